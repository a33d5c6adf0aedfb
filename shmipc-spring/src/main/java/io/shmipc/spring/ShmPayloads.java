package io.shmipc.spring;

import io.shmipc.core.RequestWriter;
import io.shmipc.core.ResponseReader;
import io.shmipc.core.ShmPayloadTooLargeException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;

/**
 * The binding rules shared by {@link ShmTemplate}, {@link ShmHandler} methods and transports or test
 * servers that stand in for them ({@code MockShmServer}), so every end of a route agrees on what passes
 * through unchanged ({@code byte[]}, {@link ByteBuffer}, {@link String}, {@code void}) and what goes
 * through the codec. An empty payload is how {@code null} travels.
 *
 * <p>{@link #write} and {@link #read} work on the slot's payload area directly: {@code byte[]},
 * {@link ByteBuffer} and {@link String} are copied once between the slot and the Java object, and codec
 * types are encoded into and decoded from the slot without an intermediate array. How a declared type
 * binds is resolved once per type.
 */
public final class ShmPayloads {

    static final byte[] EMPTY = new byte[0];

    /** How a declared payload type binds. */
    enum Binding {
        /** {@code void}/{@code Void}: the payload is ignored. */
        NONE,
        /** {@code byte[]}: copied as is. */
        BYTES,
        /** {@link ByteBuffer}: copied as is; read-only. */
        BUFFER,
        /** {@link String}: UTF-8. */
        TEXT,
        /** Anything else: through the {@link ShmCodec}; an empty payload is {@code null}. */
        CODEC
    }

    private static final ClassValue<Binding> CLASS_BINDINGS = new ClassValue<>() {
        @Override
        protected Binding computeValue(Class<?> type) {
            return bindingOf(type);
        }
    };

    /** Generic types (e.g. {@code List<Order>}) are compared by equality; they come from code, so few. */
    private static final Map<Type, Binding> GENERIC_BINDINGS = new ConcurrentHashMap<>();

    private ShmPayloads() {}

    /** @return true for the types that never touch the codec */
    static boolean passesThrough(Class<?> type) {
        return CLASS_BINDINGS.get(type) != Binding.CODEC;
    }

    /** @return how {@code type} binds, resolved once per type */
    static Binding binding(Type type) {
        if (type instanceof Class<?> raw) {
            return CLASS_BINDINGS.get(raw);
        }
        Binding binding = GENERIC_BINDINGS.get(type);
        if (binding == null) {
            binding = bindingOf(ResolvableType.forType(type).toClass());
            GENERIC_BINDINGS.putIfAbsent(type, binding);
        }
        return binding;
    }

    private static Binding bindingOf(Class<?> raw) {
        if (raw == void.class || raw == Void.class) {
            return Binding.NONE;
        }
        if (raw == byte[].class) {
            return Binding.BYTES;
        }
        if (raw == ByteBuffer.class) {
            return Binding.BUFFER;
        }
        return raw == String.class ? Binding.TEXT : Binding.CODEC;
    }

    /**
     * Writes a payload into a slot's payload area.
     *
     * @param value the payload; {@code null} is an empty payload
     * @param target the payload area, as long as the slot capacity
     * @return the payload's length; more than {@code target.byteSize()} means it did not fit and nothing
     *     usable was written, so the caller must refuse it
     */
    static long write(@Nullable Object value, MemorySegment target, @Nullable ShmCodec codec) {
        return switch (value) {
            case null -> 0;
            case byte[] bytes -> copy(bytes, target);
            case ByteBuffer buffer -> {
                long length = buffer.remaining();
                if (length <= target.byteSize()) {
                    // A view from the buffer's position to its limit; the buffer itself is left as it was.
                    MemorySegment.copy(MemorySegment.ofBuffer(buffer), 0, target, 0, length);
                }
                yield length;
            }
            case String text -> copy(text.getBytes(StandardCharsets.UTF_8), target);
            default -> requireCodec(codec, value.getClass()).encode(value, target);
        };
    }

    private static long copy(byte[] bytes, MemorySegment target) {
        if (bytes.length <= target.byteSize()) {
            MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, 0, bytes.length);
        }
        return bytes.length;
    }

    /**
     * Reads a payload from a slot into an object that outlives the slot.
     *
     * @param data the payload, valid only during this call
     * @param type the declared type
     * @return the payload as {@code type}; {@code null} for {@code void} and for an empty codec payload
     */
    static @Nullable Object read(MemorySegment data, Type type, @Nullable ShmCodec codec) {
        return switch (binding(type)) {
            case NONE -> null;
            case BYTES -> data.toArray(ValueLayout.JAVA_BYTE);
            case BUFFER -> ByteBuffer.wrap(data.toArray(ValueLayout.JAVA_BYTE)).asReadOnlyBuffer();
            case TEXT -> new String(data.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            // An empty payload is how a null travels: the codec never sees it.
            case CODEC ->
                data.byteSize() == 0 ? null : requireCodec(codec, type).decode(data, type);
        };
    }

    /** @return a writer that puts {@code request} into the slot, refusing it when it does not fit */
    static RequestWriter requestWriter(@Nullable Object request, @Nullable ShmCodec codec) {
        return slot -> {
            long length = write(request, slot, codec);
            if (length > slot.byteSize()) {
                // Thrown before the request is published: the engine frees the slot and nothing is sent.
                throw new ShmPayloadTooLargeException("request", length, slot.byteSize());
            }
            return (int) length;
        };
    }

    /** @return a reader that binds the reply to {@code type} */
    static ResponseReader<@Nullable Object> replyReader(Type type, @Nullable ShmCodec codec) {
        return reply -> read(reply, type, codec);
    }

    /** @return a reader that hands the reply in place to {@code reader} as a read-only buffer */
    static <T> ResponseReader<T> replyReader(ShmReplyReader<T> reader) {
        return reply -> reader.read(reply.asByteBuffer());
    }

    /**
     * @param value the value to send; {@code null} becomes an empty payload
     * @param codec converts types that do not pass through; may be {@code null} when none is needed
     * @return the payload
     * @throws IllegalStateException when {@code value} needs a codec and there is none
     */
    public static byte[] encode(@Nullable Object value, @Nullable ShmCodec codec) {
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
     * @return the payload as {@code type}; {@code null} for {@code void} and for an empty codec payload
     */
    public static @Nullable Object decode(byte[] data, Type type, @Nullable ShmCodec codec) {
        return switch (binding(type)) {
            case NONE -> null;
            case BYTES -> data;
            case BUFFER -> ByteBuffer.wrap(data).asReadOnlyBuffer();
            case TEXT -> new String(data, StandardCharsets.UTF_8);
            case CODEC -> data.length == 0 ? null : requireCodec(codec, type).decode(data, type);
        };
    }

    static ShmCodec requireCodec(@Nullable ShmCodec codec, Type type) {
        if (codec == null) {
            throw new IllegalStateException("No ShmCodec to convert " + type.getTypeName()
                    + "; add spring-boot-jackson (or the shmipc starter) for JSON, define a ShmCodec bean, "
                    + "or use byte[], ByteBuffer or String");
        }
        return codec;
    }
}
