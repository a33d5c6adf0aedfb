package io.shmipc.core.internal;

import io.shmipc.core.WaitMode;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps how many client threads of this JVM spin at once in {@link WaitMode#HYBRID}. Two spinners
 * sharing a core collapse to scheduler time slices (milliseconds per round trip), so a thread that
 * finds the budget used up goes straight to the futex. One core is left for the server.
 */
public final class SpinBudget {

    private static final int MAX_SPINNERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    private static final AtomicInteger SPINNERS = new AtomicInteger();

    private SpinBudget() {}

    /** @return true when the caller may spin; it must then call {@link #release()} */
    static boolean tryAcquire() {
        while (true) {
            int spinners = SPINNERS.get();
            if (spinners >= MAX_SPINNERS) {
                return false;
            }
            if (SPINNERS.compareAndSet(spinners, spinners + 1)) {
                return true;
            }
        }
    }

    static void release() {
        SPINNERS.decrementAndGet();
    }
}
