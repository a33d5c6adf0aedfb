package io.shmipc.spring;

import java.nio.ByteBuffer;

/**
 * Reads a reply in place, straight from the slot, for callers that want no copy of it: see
 * {@link ShmTemplate#call(String, Object, ShmReplyReader)}.
 *
 * @param <T> what the reader makes of the reply
 */
@FunctionalInterface
public interface ShmReplyReader<T> {

    /**
     * @param reply a read-only view of the reply in shared memory, from position 0 to its limit; valid only
     *     during this call, so copy out whatever must outlive it (the slot is reused once this returns)
     * @return what the call returns
     */
    T read(ByteBuffer reply);
}
