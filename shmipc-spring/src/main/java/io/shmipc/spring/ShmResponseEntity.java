package io.shmipc.spring;

import io.shmipc.core.ShmClient;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A reply body with the headers that travel beside it. A client gets one from
 * {@link ShmOperations.RequestSpec#toEntity(Class)}; a {@link ShmHandler} method returns one to set reply
 * headers.
 *
 * <pre>{@code
 * @ShmHandler("orders.place")
 * ShmResponseEntity<Receipt> place(Order order) {
 *     return ShmResponseEntity.of(store.place(order)).withHeader("region", "eu-1");
 * }
 * }</pre>
 *
 * @param body the reply body, {@code null} for an empty reply
 * @param headers small string headers, never {@code null}; at most 320 bytes encoded
 * @param <T> the body type
 */
public record ShmResponseEntity<T>(@Nullable T body, Map<String, String> headers) {

    /** Keeps the header order and makes the map read-only. */
    public ShmResponseEntity {
        Objects.requireNonNull(headers, "headers");
        headers = headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * @param body the reply body
     * @param <T> the body type
     * @return an entity without headers
     */
    public static <T> ShmResponseEntity<T> of(@Nullable T body) {
        return new ShmResponseEntity<>(body, Map.of());
    }

    /**
     * @param name the header name
     * @param value its value
     * @return a copy with the header added (or replaced)
     * @throws IllegalArgumentException when the name or value cannot be encoded
     */
    public ShmResponseEntity<T> withHeader(String name, String value) {
        ShmClient.checkHeader(name, value);
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ShmResponseEntity<>(body, copy);
    }
}
