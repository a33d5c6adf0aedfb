package io.shmipc.spring;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values a default observation convention would otherwise build on every call (key-value sets, contextual
 * names), built once per distinct key. Bounded: past {@value #MAX_ENTRIES} keys, new ones are built per call
 * and not kept, so routes a client invents cannot grow it. Not an LRU on purpose: a lookup is one
 * {@link ConcurrentHashMap#get}, where Spring's {@code ConcurrentLruCache} measured as slow as rebuilding.
 *
 * @param <K> the key
 * @param <V> the value built from it
 */
final class ObservationValueCache<K, V> {

    static final int MAX_ENTRIES = 1024;

    private final ConcurrentHashMap<K, V> values = new ConcurrentHashMap<>();
    private final Function<K, V> builder;

    ObservationValueCache(Function<K, V> builder) {
        this.builder = builder;
    }

    V get(K key) {
        V value = values.get(key);
        if (value == null) {
            value = builder.apply(key);
            if (values.size() < MAX_ENTRIES) {
                V raced = values.putIfAbsent(key, value);
                if (raced != null) {
                    value = raced;
                }
            }
        }
        return value;
    }
}
