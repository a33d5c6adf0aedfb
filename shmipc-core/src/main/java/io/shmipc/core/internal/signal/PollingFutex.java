package io.shmipc.core.internal.signal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The fallback where there is no futex: re-read the word with a spin, yield, park back-off. Wakes are
 * no-ops because a process cannot unpark another process's thread; the back-off cap bounds how late
 * a waiter notices (at most {@link #MAX_PARK_NANOS} after the change).
 */
public final class PollingFutex implements Futex {

    static final long MAX_PARK_NANOS = 200_000;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    @Override
    public void await(MemorySegment segment, long offset, int expected, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        long park = 1_000;
        for (int round = 0; (int) INT.getVolatile(segment, offset) == expected; round++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            if (round < 100) {
                Thread.onSpinWait();
            } else if (round < 110) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(Math.min(park, remaining));
                park = Math.min(park * 2, MAX_PARK_NANOS);
            }
        }
    }

    @Override
    public void wake(MemorySegment segment, long offset, int waiters) {
        // Nothing to do: waiters poll.
    }

    @Override
    public boolean blocksInKernel() {
        return false;
    }
}
