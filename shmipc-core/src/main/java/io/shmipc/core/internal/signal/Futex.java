package io.shmipc.core.internal.signal;

import java.lang.foreign.MemorySegment;

/**
 * Wait on, and wake, a 32-bit word in shared memory: the one small interface behind which the
 * platform's mechanism sits ({@link LinuxFutex} on Linux, {@link PollingFutex} elsewhere).
 *
 * <p>Contract: {@link #await} returns when woken, when the word no longer holds {@code expected},
 * when the timeout passes, or spuriously. Callers always loop and re-read the word. A waker must
 * publish its change to the word (or to whatever the waiter re-checks) before calling {@link #wake}.
 */
public interface Futex {

    /**
     * @param segment the mapping holding the word
     * @param offset the word's offset, 4-byte aligned
     * @param expected sleep only while the word holds this value
     * @param timeoutNanos the longest sleep; callers bound it so liveness checks and shutdown can run
     */
    void await(MemorySegment segment, long offset, int expected, long timeoutNanos);

    /**
     * @param segment the mapping holding the word
     * @param offset the word's offset
     * @param waiters how many sleepers to wake at most ({@link Integer#MAX_VALUE} for all)
     */
    void wake(MemorySegment segment, long offset, int waiters);

    /** @return true when waiting blocks in the kernel; false for the polling fallback */
    boolean blocksInKernel();

    /** @return the futex for this platform: {@link LinuxFutex} where available, else {@link PollingFutex} */
    static Futex forPlatform() {
        return Futexes.PLATFORM;
    }
}
