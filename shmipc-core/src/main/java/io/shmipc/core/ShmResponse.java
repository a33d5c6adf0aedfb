package io.shmipc.core;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

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
}
