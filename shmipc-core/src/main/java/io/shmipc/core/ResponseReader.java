package io.shmipc.core;

import java.lang.foreign.MemorySegment;

/**
 * Reads a reply straight from the slot: the zero-copy path of {@link ShmClient}.
 *
 * @param <T> what the reader makes of the reply
 */
@FunctionalInterface
public interface ResponseReader<T> {

    /**
     * @param reply read-only view of the reply, valid only during this call
     * @return the decoded reply
     */
    T read(MemorySegment reply);
}
