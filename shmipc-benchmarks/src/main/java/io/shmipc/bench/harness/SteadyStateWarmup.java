package io.shmipc.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Warms one shape of call (one payload size) until its latency has levelled off: calls run in slices of
 * {@value #SLICE_MILLIS} ms (and at least {@value #MIN_CALLS_PER_SLICE} calls), and the shape is warm when the median latency of the newest
 * {@value #WINDOW} slices is no longer more than {@value #STILL_FALLING_PERCENT}% below the median of the
 * {@value #WINDOW} before, two slices in a row, with neither JVM's JIT compiling during those slices,
 * and at least the minimum time has passed.
 *
 * <p>Why latency and not compile time alone: when calls are slow (a codec path still interpreted), few
 * calls run per slice, so the JIT may finish nothing for a while and look quiet while latency is still
 * falling; and a round trip runs the server's code too, so its latency judges both JVMs.
 */
final class SteadyStateWarmup {

    static final int SLICE_MILLIS = 100;
    static final int WINDOW = 3;
    static final int STILL_FALLING_PERCENT = 5;
    private static final long SLICE_NANOS = SLICE_MILLIS * 1_000_000L;
    /** A slice's median needs some calls behind it: a slow shape on a busy machine may fit few in 100 ms. */
    static final int MIN_CALLS_PER_SLICE = 20;

    /**
     * How the warm-up of one shape ended.
     *
     * @param levelled true when latency levelled off before the cap
     * @param nanos how long it took
     * @param p50Nanos the median of the last slice
     * @param why what was still changing at the cap, or "levelled"
     */
    record Outcome(boolean levelled, long nanos, long p50Nanos, String why) {}

    private SteadyStateWarmup() {}

    static Outcome run(TimedLoop.RoundTrip roundTrip, long minNanos, long capNanos, JitActivity jit) throws Exception {
        List<Long> medians = new ArrayList<>();
        Histogram slice = ScenarioResult.newHistogram();
        long start = System.nanoTime();
        int flatSlices = 0;
        while (true) {
            slice.reset();
            long[] before = jit.snapshot();
            TimedLoop.record(roundTrip, slice, System.nanoTime() + SLICE_NANOS, 0);
            // The cap still holds: the orchestrator's wait for WARMED is sized from it.
            while (slice.getTotalCount() < MIN_CALLS_PER_SLICE && System.nanoTime() - start < capNanos) {
                TimedLoop.record(roundTrip, slice, System.nanoTime() + SLICE_NANOS / 10, 0);
            }
            boolean jitQuiet = jit.quietSince(before);
            medians.add(slice.getValueAtPercentile(50));
            boolean falling = stillFalling(medians);
            flatSlices = !falling && jitQuiet ? flatSlices + 1 : 0;
            long elapsed = System.nanoTime() - start;
            long p50 = medians.getLast();
            if (flatSlices >= 2 && elapsed >= minNanos) {
                return new Outcome(true, elapsed, p50, "levelled");
            }
            if (elapsed >= capNanos) {
                return new Outcome(false, elapsed, p50, falling ? "latency-still-falling" : "jit-still-compiling");
            }
        }
    }

    /** @return true while the newest window's median is clearly below the window before it */
    static boolean stillFalling(List<Long> medians) {
        int n = medians.size();
        if (n < 2 * WINDOW) {
            return true;
        }
        long recent = median(medians.subList(n - WINDOW, n));
        long previous = median(medians.subList(n - 2 * WINDOW, n - WINDOW));
        return recent * 100 < previous * (100 - STILL_FALLING_PERCENT);
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
