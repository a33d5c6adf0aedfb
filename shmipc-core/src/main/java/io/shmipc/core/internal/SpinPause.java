package io.shmipc.core.internal;

/**
 * One step of a spin-wait. Mostly {@link Thread#onSpinWait()}, with a {@link Thread#yield()} every
 * {@value #YIELD_EVERY} steps.
 *
 * <p>Why the yield: the party being waited for may be runnable on this very CPU (the kernel tends to
 * wake a thread on its waker's CPU). A pure spin would then hold that CPU for its whole spin time
 * while the other side waits for it, and every hand-off would cost about two spin times (measured:
 * 200-300 µs per round trip instead of 1-2 µs). A yield every few microseconds lets a co-located
 * peer run at once; with the peer on another CPU it costs one cheap syscall per few microseconds.
 *
 * <p>A virtual thread never yields here: {@link Thread#yield()} would unmount it, and it would leave
 * its carrier while still holding the process's {@link SpinBudget}, so the one thread allowed to
 * spin would be queued behind other virtual threads instead of watching its slot. Its spin is
 * short and bounded by the spin time anyway, after which it parks (see {@code ReplyWaiter}).
 */
public final class SpinPause {

    static final int YIELD_EVERY = 128;
    static final int YIELD_EVERY_WITH_PEER = 8;

    private SpinPause() {}

    /** @param spins how many steps this wait has taken, from 1 */
    static void pause(int spins) {
        pause(spins, false);
    }

    /**
     * @param spins how many steps this wait has taken, from 1
     * @param peerYielding true when a thread of this process waits by yielding ({@link SpinBudget}): it
     *     shares this core and sees its reply only when this thread yields, so yield every
     *     {@value #YIELD_EVERY_WITH_PEER} steps
     */
    static void pause(int spins, boolean peerYielding) {
        if ((spins & ((peerYielding ? YIELD_EVERY_WITH_PEER : YIELD_EVERY) - 1)) == 0
                && !Thread.currentThread().isVirtual()) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }
}
