package io.shmipc.spring;

import java.lang.reflect.Type;

/**
 * Turns objects into payload bytes and back, for every type that does not pass through unchanged
 * ({@code byte[]}, {@link java.nio.ByteBuffer}, {@link String}, {@code void}). Define a bean of this
 * type to replace the default JSON codec; both sides of a route must agree on the encoding.
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
}
