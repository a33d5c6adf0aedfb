package io.shmipc.spring;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.springframework.core.ResolvableType;

/**
 * The binding rules shared by {@link ShmTemplate} and {@link ShmHandler} methods, so both ends of a
 * route agree on what passes through unchanged and what goes through the codec.
 */
final class ShmPayloads {

    static final byte[] EMPTY = new byte[0];

    private ShmPayloads() {}

    /** @return true for the types that never touch the codec */
    static boolean passesThrough(Class<?> type) {
        return type == byte[].class
                || type == ByteBuffer.class
                || type == String.class
                || type == void.class
                || type == Void.class;
    }

    static byte[] encode(Object value, ShmCodec codec) {
        return switch (value) {
            case null -> EMPTY;
            case byte[] bytes -> bytes;
            case ByteBuffer buffer -> {
                byte[] copy = new byte[buffer.remaining()];
                buffer.duplicate().get(copy);
                yield copy;
            }
            case String text -> text.getBytes(StandardCharsets.UTF_8);
            default -> requireCodec(codec, value.getClass()).encode(value);
        };
    }

    static Object decode(byte[] data, Type type, ShmCodec codec) {
        Class<?> raw = ResolvableType.forType(type).toClass();
        if (raw == void.class || raw == Void.class) {
            return null;
        }
        if (raw == byte[].class) {
            return data;
        }
        if (raw == ByteBuffer.class) {
            return ByteBuffer.wrap(data).asReadOnlyBuffer();
        }
        if (raw == String.class) {
            return new String(data, StandardCharsets.UTF_8);
        }
        // An empty payload is how a null travels: the codec never sees it.
        if (data.length == 0) {
            return null;
        }
        return requireCodec(codec, raw).decode(data, type);
    }

    static ShmCodec requireCodec(ShmCodec codec, Class<?> type) {
        if (codec == null) {
            throw new IllegalStateException("No ShmCodec to convert " + type.getName()
                    + "; add spring-boot-jackson (or the shmipc starter) for JSON, define a ShmCodec bean, "
                    + "or use byte[], ByteBuffer or String");
        }
        return codec;
    }
}
