package io.shmipc.core;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Where a handler writes its reply: either one of the {@code write} methods, or zero-copy through
 * {@link #buffer()} followed by {@link #commit(int)}. The last write or commit wins. The buffer is the
 * slot's payload area, so it aliases the request payload.
 */
public interface ShmResponse {

    /** @return the largest reply, in bytes */
    int capacity();

    /**
     * @param reply the whole reply
     * @throws ShmPayloadTooLargeException when it exceeds {@link #capacity()}
     */
    void write(byte[] reply);

    /**
     * @param reply the whole reply; its remaining bytes are copied and its position is left unchanged. A
     *     view of the request payload starting at its first byte (e.g. {@link ShmRequest#payloadBuffer()}
     *     returned as is) is the reply in place, with no copy
     * @throws ShmPayloadTooLargeException when it exceeds {@link #capacity()}
     */
    void write(ByteBuffer reply);

    /** @return a writable view of the whole payload area, {@link #capacity()} bytes long */
    MemorySegment buffer();

    /**
     * Marks the first {@code length} bytes of {@link #buffer()} as the reply.
     *
     * @param length reply length
     * @throws ShmPayloadTooLargeException when it exceeds {@link #capacity()}
     */
    void commit(int length);

    /**
     * Sets small string headers that travel back with a successful reply (they reach the client's
     * {@link ResponseReader#read(MemorySegment, Map)}). The last call wins; an error reply carries none.
     * Call it after reading the request headers: the reply headers overwrite them in the slot.
     *
     * @param headers the reply headers; same limits as request headers (at most 320 bytes encoded)
     * @throws IllegalArgumentException when they cannot be encoded; nothing is written then
     * @throws UnsupportedOperationException when this response cannot carry headers (the default)
     */
    default void headers(Map<String, String> headers) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot carry reply headers");
    }
}
