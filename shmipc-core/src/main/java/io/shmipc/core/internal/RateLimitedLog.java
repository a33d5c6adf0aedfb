package io.shmipc.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs at most one message per period and counts what it dropped, so a process scribbling over
 * shared memory cannot flood the server's log.
 */
public final class RateLimitedLog {

    private final System.Logger logger;
    private final long periodNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(System.Logger logger, long periodNanos) {
        this.logger = logger;
        this.periodNanos = periodNanos;
    }

    public void warn(String message) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed == Long.MIN_VALUE || now - allowed >= 0)
                && nextAllowed.compareAndSet(allowed, now + periodNanos)) {
            long dropped = suppressed.getAndSet(0);
            logger.log(
                    System.Logger.Level.WARNING,
                    dropped == 0 ? message : message + " (" + dropped + " similar messages suppressed)");
        } else {
            suppressed.incrementAndGet();
        }
    }
}
