package io.shmipc.bench.harness;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/** Closed-loop timing: one round trip after another, each timed with {@link System#nanoTime()}. */
final class TimedLoop {

    /** One round trip; returns something derived from the reply so it cannot be optimised away. */
    @FunctionalInterface
    interface RoundTrip {
        long once() throws Exception;
    }

    /** Consumes results so the JIT must keep every round trip. */
    static volatile long sink;

    private TimedLoop() {}

    /** Runs round trips without recording until {@code nanos} have passed. */
    static void spin(RoundTrip roundTrip, long nanos) throws Exception {
        long end = System.nanoTime() + nanos;
        long acc = 0;
        while (System.nanoTime() < end) {
            acc += roundTrip.once();
        }
        sink = acc;
    }

    /**
     * Records round trips into {@code histogram} until {@code deadline} (a nanoTime).
     *
     * @param pauseNanos silence before each call, 0 for none
     * @return how many were recorded
     */
    static long record(RoundTrip roundTrip, Histogram histogram, long deadline, long pauseNanos) throws Exception {
        long calls = 0;
        long acc = 0;
        long highest = histogram.getHighestTrackableValue();
        while (true) {
            if (pauseNanos > 0) {
                LockSupport.parkNanos(pauseNanos);
            }
            long start = System.nanoTime();
            if (start >= deadline) {
                break;
            }
            acc += roundTrip.once();
            histogram.recordValue(Math.min(System.nanoTime() - start, highest));
            calls++;
        }
        sink = acc;
        return calls;
    }
}
