package io.shmipc.core;

/** How a waiting thread (server dispatcher or client caller) waits for the other side. */
public enum WaitMode {
    /** Busy-spin only: lowest latency, burns a core per waiter. */
    SPIN,
    /** Spin for {@link ShmConfig#spinTime()}, then block in the kernel (futex). The default. */
    HYBRID,
    /** Block in the kernel at once: lowest CPU, one wake-up per hand-off. */
    BLOCK
}
