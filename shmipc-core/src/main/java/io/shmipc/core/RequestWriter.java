package io.shmipc.core;

import java.lang.foreign.MemorySegment;

/** Writes a request straight into the slot: the zero-copy path of {@link ShmClient}. */
@FunctionalInterface
public interface RequestWriter {

    /**
     * @param buffer the slot's payload area, {@code capacity} bytes long; writes past it throw
     * @return how many bytes, from offset 0, form the request
     */
    int write(MemorySegment buffer);
}
