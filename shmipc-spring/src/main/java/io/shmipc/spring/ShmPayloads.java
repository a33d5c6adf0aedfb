package io.shmipc.spring;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.springframework.core.ResolvableType;

/**
 * The binding rules shared by {@link ShmTemplate}, {@link ShmHandler} methods and transports or test
 * servers that stand in for them ({@code MockShmServer}), so every end of a route agrees on what passes
 * through unchanged ({@code byte[]}, {@link ByteBuffer}, {@link String}, {@code void}) and what goes
 * through the codec. An empty payload is how {@code null} travels.
 *
 * <pre>{@code
 * byte[] wire = ShmPayloads.encode(order, codec);
 * Order back = (Order) ShmPayloads.decode(wire, Order.class, codec);
 * }</pre>
 */
public final class ShmPayloads {

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

    /**
     * @param value the value to send; {@code null} becomes an empty payload
     * @param codec converts types that do not pass through; may be {@code null} when none is needed
     * @return the payload
     * @throws IllegalStateException when {@code value} needs a codec and there is none
     */
    public static byte[] encode(Object value, ShmCodec codec) {
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

    /**
     * @param data the payload
     * @param type the type to produce, possibly generic
     * @param codec converts types that do not pass through; may be {@code null} when none is needed
     * @return the value; {@code null} for an empty payload of a codec type, or for {@code void}
     * @throws IllegalStateException when {@code type} needs a codec and there is none
     */
    public static Object decode(byte[] data, Type type, ShmCodec codec) {
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
