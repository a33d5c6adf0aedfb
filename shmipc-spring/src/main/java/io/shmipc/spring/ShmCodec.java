package io.shmipc.spring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Type;

/**
 * Turns objects into payload bytes and back, for every type that does not pass through unchanged
 * ({@code byte[]}, {@link java.nio.ByteBuffer}, {@link String}, {@code void}). Define a bean of this
 * type to replace the default JSON codec; both sides of a route must agree on the encoding.
 *
 * <p>The template and the handlers call the {@link MemorySegment} methods, which read from and write
 * into the slot's shared memory directly. Their defaults go through the {@code byte[]} methods, so a
 * codec that implements only those still works, with one extra copy each way; {@link JacksonShmCodec}
 * generates straight into the slot and parses after one bulk copy into a reused buffer (Jackson parses a
 * whole in-memory document faster than a stream).
 */
public interface ShmCodec {

    /**
     * @param value the object to encode, never {@code null}
     * @return its encoding
     */
    byte[] encode(Object value);

    /**
     * @param data the encoding, never empty
     * @param type the type to produce, possibly generic (e.g. {@code List<Order>})
     * @return the decoded object
     */
    Object decode(byte[] data, Type type);

    /**
     * Encodes straight into a slot's payload area.
     *
     * @param value the object to encode, never {@code null}
     * @param target where the encoding goes, from offset 0; its size is the slot capacity
     * @return the length of the whole encoding; a length above {@code target.byteSize()} means it did not
     *     fit, and the caller then refuses the payload (what {@code target} holds is unspecified)
     */
    default long encode(Object value, MemorySegment target) {
        byte[] encoded = encode(value);
        if (encoded.length <= target.byteSize()) {
            MemorySegment.copy(encoded, 0, target, ValueLayout.JAVA_BYTE, 0, encoded.length);
        }
        return encoded.length;
    }

    /**
     * Decodes straight from a slot's payload area.
     *
     * @param data the encoding, never empty; valid only during this call, so the result must not keep it
     * @param type the type to produce, possibly generic
     * @return the decoded object
     */
    default Object decode(MemorySegment data, Type type) {
        return decode(data.toArray(ValueLayout.JAVA_BYTE), type);
    }
}
