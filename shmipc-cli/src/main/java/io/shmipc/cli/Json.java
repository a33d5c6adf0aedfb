package io.shmipc.cli;

import io.shmipc.core.ShmInspectionException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON the {@code --json} flag prints: records become objects named by their components, durations become
 * milliseconds, instants ISO-8601 text. Small on purpose: the command ships as one jar without a JSON library.
 */
final class Json {

    private Json() {}

    /**
     * @param value a record, map, collection, or scalar
     * @return the same as maps, lists and scalars, ready for {@link #write}
     */
    static @Nullable Object tree(@Nullable Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number || value instanceof String) {
            return value;
        }
        if (value instanceof Duration duration) {
            return duration.toNanos() / 1_000_000.0;
        }
        if (value instanceof Instant || value instanceof Path || value instanceof Enum<?>) {
            return value.toString();
        }
        if (value instanceof ShmInspectionException problem) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("reason", problem.reason().name());
            map.put("message", problem.getMessage());
            return map;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), tree(item)));
            return copy;
        }
        if (value instanceof Collection<?> items) {
            return items.stream().map(Json::tree).toList();
        }
        if (value instanceof Record record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    map.put(component.getName(), tree(component.getAccessor().invoke(record)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
            return map;
        }
        return value.toString();
    }

    /**
     * @param value a record, map, collection or scalar
     * @return its JSON text on one line
     */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, tree(value));
        return out.toString();
    }

    private static void append(StringBuilder out, @Nullable Object value) {
        switch (value) {
            case null -> out.append("null");
            case String text -> quote(out, text);
            case Number number -> out.append(isFinite(number) ? number.toString() : "null");
            case Boolean flag -> out.append(flag);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(out, String.valueOf(entry.getKey()));
                    out.append(':');
                    append(out, entry.getValue());
                }
                out.append('}');
            }
            case Collection<?> items -> {
                out.append('[');
                boolean first = true;
                for (Object item : items) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    append(out, item);
                }
                out.append(']');
            }
            default -> quote(out, value.toString());
        }
    }

    private static boolean isFinite(Number number) {
        return !(number instanceof Double value) || Double.isFinite(value);
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
