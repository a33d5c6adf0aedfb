package io.shmipc.sample.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Calls until the code both sides run is compiled and latency has levelled off, so the figures that follow
 * show warm code, not the JIT at work. Calls run in slices of 100 ms (and at least 20 calls); warm-up ends
 * when, for {@value #STEADY_SLICES} slices in a row, the median of the newest {@value #WINDOW} slices is no
 * longer more than {@value #STILL_FALLING_PERCENT}% below the median of the {@value #WINDOW} before, and no
 * JIT compile finished in either JVM (this client's, and the agent's when its Actuator answers) during the
 * slice; and at least the minimum time has passed. A fixed number of warm-up calls cannot do this: a slow
 * path (JSON over HTTP, or a codec still interpreted) needs far more time for the same count.
 *
 * <p>Why the JIT check: latency alone is fooled by a plateau. While C2 compiles the JSON path (here or in
 * the agent), calls may run at one slow speed for a second or more, which looks level; the old rule ended
 * there and the measured run was then 8x faster than the warm-up's last slice. A compile finishing shows
 * such a plateau for what it is.
 *
 * <p>The same rule as the benchmark harness's {@code SteadyStateWarmup} (shmipc-benchmarks), kept as a small
 * copy here: a sample depends on the public API only, never on the benchmark module, and the harness's
 * version is tied to its own loop, histograms and jvmstat access to the server JVM.
 */
final class LatencyWarmup {

    static final long SLICE_NANOS = Duration.ofMillis(100).toNanos();
    static final int WINDOW = 3;
    static final int STILL_FALLING_PERCENT = 5;
    /** Slices in a row that must be level and JIT-quiet. */
    static final int STEADY_SLICES = 3;
    /**
     * The shortest warm-up: a typed path's first C2 compiles come after thousands of calls, and a slow mix
     * (HTTP) makes few calls per second. Shorter only when the cap is.
     */
    static final Duration MIN_DURATION = Duration.ofSeconds(5);
    /** A slice's median needs some calls behind it: on a busy machine 100 ms may hold only a few. */
    private static final int MIN_CALLS_PER_SLICE = 20;

    /**
     * How a warm-up ended.
     *
     * @param levelled true when latency levelled off with both JITs quiet before the cap
     * @param seconds how long it took
     * @param calls how many calls it made
     * @param p50Micros median latency of the last slice
     * @param why "levelled", or what was still changing at the cap
     * @param judged the JVMs whose JIT was watched, e.g. "client and agent"
     */
    record Outcome(boolean levelled, double seconds, long calls, double p50Micros, String why, String judged) {}

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
     * @param jits the JVMs whose JIT must be quiet; a clock that cannot be read judges nothing
     */
    static Outcome run(Call call, long firstSequence, Duration cap, List<CompileClock> jits) {
        long capNanos = cap.toNanos();
        Judge judge = new Judge(Math.min(MIN_DURATION.toNanos(), capNanos));
        Histogram slice = new Histogram(3);
        long sequence = firstSequence;
        long[] compiled = readAll(jits);
        boolean[] seen = new boolean[jits.size()];
        long start = System.nanoTime();
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
            long elapsed = System.nanoTime() - start;
            // Read after the slice's calls, outside them: a compile that finished during the slice moved the clock.
            long[] now = readAll(jits);
            String compiling = null;
            for (int i = 0; i < now.length; i++) {
                boolean known = now[i] != CompileClock.UNKNOWN && compiled[i] != CompileClock.UNKNOWN;
                seen[i] |= known;
                if (known && now[i] != compiled[i] && compiling == null) {
                    compiling = jits.get(i).name();
                }
            }
            compiled = now;
            boolean steady = judge.slice(slice.getValueAtPercentile(50), compiling, elapsed);
            if (steady || elapsed >= capNanos) {
                return new Outcome(
                        steady,
                        elapsed / 1e9,
                        sequence - firstSequence,
                        slice.getValueAtPercentile(50) / 1_000.0,
                        steady ? "levelled" : judge.why(),
                        judged(jits, seen));
            }
        }
    }

    private static long[] readAll(List<CompileClock> jits) {
        long[] readings = new long[jits.size()];
        for (int i = 0; i < readings.length; i++) {
            readings[i] = jits.get(i).millis();
        }
        return readings;
    }

    private static String judged(List<CompileClock> jits, boolean[] seen) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) {
            if (seen[i]) {
                names.add(jits.get(i).name());
            }
        }
        return names.isEmpty() ? "none" : String.join(" and ", names);
    }

    /**
     * The rule alone, fed one slice at a time: kept apart from the calls so a test can give it a
     * synthetic sequence of slices.
     */
    static final class Judge {

        private final long minNanos;
        private final List<Long> medians = new ArrayList<>();
        private int steadySlices;
        private String why = "latency still falling";

        /** @param minNanos the shortest warm-up */
        Judge(long minNanos) {
            this.minNanos = minNanos;
        }

        /**
         * @param medianNanos the slice's median latency
         * @param compiling the JVM whose JIT finished a compile during the slice, or {@code null} when none did
         * @param elapsedNanos time since the warm-up began, at the slice's end
         * @return true when the warm-up may end after this slice
         */
        boolean slice(long medianNanos, @Nullable String compiling, long elapsedNanos) {
            medians.add(medianNanos);
            boolean falling = stillFalling(medians);
            if (falling) {
                why = "latency still falling";
            } else if (compiling != null) {
                why = "the " + compiling + " JVM's JIT still compiling";
            }
            steadySlices = !falling && compiling == null ? steadySlices + 1 : 0;
            return steadySlices >= STEADY_SLICES && elapsedNanos >= minNanos;
        }

        /** @return what kept the warm-up going at its last unsteady slice */
        String why() {
            return why;
        }
    }

    /** @return true while the newest window's median is clearly below the window before it */
    static boolean stillFalling(List<Long> medians) {
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
