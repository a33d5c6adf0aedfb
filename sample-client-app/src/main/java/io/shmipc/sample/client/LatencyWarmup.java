package io.shmipc.sample.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Calls until latency has levelled off, so the figures that follow show compiled code on both sides,
 * not the JIT at work: calls run in slices of 100 ms (and at least 20 calls), and warm-up ends when the median of the newest
 * three slices is no longer more than 5% below the median of the three before, twice in a row, after at
 * least one second. A fixed number of warm-up calls cannot do this: a slow path (JSON over HTTP, or a
 * codec still interpreted) needs far more time for the same count.
 */
final class LatencyWarmup {

    private static final long SLICE_NANOS = Duration.ofMillis(100).toNanos();
    private static final long MIN_NANOS = Duration.ofSeconds(1).toNanos();
    private static final int WINDOW = 3;
    private static final int STILL_FALLING_PERCENT = 5;
    /** A slice's median needs some calls behind it: on a busy machine 100 ms may hold only a few. */
    private static final int MIN_CALLS_PER_SLICE = 20;

    /**
     * How a warm-up ended.
     *
     * @param levelled true when latency levelled off before the cap
     * @param seconds how long it took
     * @param calls how many calls it made
     * @param p50Micros median latency of the last slice
     */
    record Outcome(boolean levelled, double seconds, long calls, double p50Micros) {}

    /** One call; returns normally or throws. */
    @FunctionalInterface
    interface Call {
        void run(long sequence);
    }

    private LatencyWarmup() {}

    /**
     * @param call one call of the request mix
     * @param firstSequence the sequence number of the first call
     * @param cap the longest warm-up
     */
    static Outcome run(Call call, long firstSequence, Duration cap) {
        long capNanos = cap.toNanos();
        List<Long> medians = new ArrayList<>();
        Histogram slice = new Histogram(3);
        long sequence = firstSequence;
        long start = System.nanoTime();
        int flat = 0;
        while (true) {
            slice.reset();
            long sliceEnd = System.nanoTime() + SLICE_NANOS;
            for (long now = System.nanoTime();
                    now < sliceEnd || slice.getTotalCount() < MIN_CALLS_PER_SLICE;
                    now = System.nanoTime()) {
                try {
                    call.run(sequence++);
                } catch (RuntimeException ex) {
                    // Failures show in the measured run; here they only take time.
                }
                slice.recordValue(System.nanoTime() - now);
            }
            medians.add(slice.getValueAtPercentile(50));
            flat = stillFalling(medians) ? 0 : flat + 1;
            long elapsed = System.nanoTime() - start;
            if ((flat >= 2 && elapsed >= MIN_NANOS) || elapsed >= capNanos) {
                return new Outcome(flat >= 2, elapsed / 1e9, sequence - firstSequence, medians.getLast() / 1_000.0);
            }
        }
    }

    private static boolean stillFalling(List<Long> medians) {
        int n = medians.size();
        if (n < 2 * WINDOW) {
            return true;
        }
        return median(medians.subList(n - WINDOW, n)) * 100
                < median(medians.subList(n - 2 * WINDOW, n - WINDOW)) * (100 - STILL_FALLING_PERCENT);
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
