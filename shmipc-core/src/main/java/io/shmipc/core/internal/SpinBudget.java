package io.shmipc.core.internal;

import io.shmipc.core.WaitMode;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps how many client threads of this JVM spin at once in {@link WaitMode#HYBRID}. Two spinners
 * sharing a core collapse to scheduler time slices (milliseconds per round trip), so a thread that
 * finds the budget used up yields instead (at most {@value #MAX_YIELDERS} such threads) or goes
 * straight to the futex. One core is left for the server.
 */
public final class SpinBudget {

    private static final int MAX_SPINNERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    private static final AtomicInteger SPINNERS = new AtomicInteger();

    private SpinBudget() {}

    /** @return true when the caller may spin; it must then call {@link #release()} */
    static boolean tryAcquire() {
        return tryTake(SPINNERS, MAX_SPINNERS);
    }

    static void release() {
        SPINNERS.decrementAndGet();
    }

    /**
     * How many more client threads may wait by yielding ({@link Thread#yield()} between looks) once the
     * spinners are counted. They trade places with a spinner on its core. Two measured no different
     * from one at 2 to 64 threads on two vCPUs; two keep three of four callers off the futex.
     */
    private static final int MAX_YIELDERS = 2;

    private static final AtomicInteger YIELDERS = new AtomicInteger();

    /** @return true when the caller may wait by yielding; it must then call {@link #releaseYield()} */
    static boolean tryAcquireYield() {
        return tryTake(YIELDERS, MAX_YIELDERS);
    }

    static void releaseYield() {
        YIELDERS.decrementAndGet();
    }

    /**
     * @return how many threads wait by yielding now; a hint for spinners (a plain read: a stale value
     *         only delays or advances one yield)
     */
    static int yielders() {
        return YIELDERS.getPlain();
    }

    /** Counts one more holder unless {@code max} hold already. */
    private static boolean tryTake(AtomicInteger holders, int max) {
        while (true) {
            int current = holders.get();
            if (current >= max) {
                return false;
            }
            if (holders.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }
}
