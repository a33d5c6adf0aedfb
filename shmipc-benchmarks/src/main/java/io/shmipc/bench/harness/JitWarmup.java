package io.shmipc.bench.harness;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Warms up until the JIT is quiet: round trips run in slices until the JVM's total compilation time
 * stops growing for two slices in a row (so C2 has compiled the loop), or a time cap is reached.
 */
final class JitWarmup {

    private static final long SLICE_NANOS = 200_000_000L;
    private static final long MIN_NANOS = 1_000_000_000L;

    private JitWarmup() {}

    /**
     * @param roundTrips every shape of call the scenarios will make; each slice runs all of them
     * @return true when the JIT went quiet before the cap
     */
    static boolean run(List<TimedLoop.RoundTrip> roundTrips, long capNanos) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long lastCompileMillis = -1;
        int quietSlices = 0;
        while (System.nanoTime() - start < capNanos) {
            for (TimedLoop.RoundTrip roundTrip : roundTrips) {
                TimedLoop.spin(roundTrip, SLICE_NANOS / roundTrips.size());
            }
            long compileMillis = jit.getTotalCompilationTime();
            quietSlices = compileMillis == lastCompileMillis ? quietSlices + 1 : 0;
            lastCompileMillis = compileMillis;
            if (quietSlices >= 2 && System.nanoTime() - start >= MIN_NANOS) {
                return true;
            }
        }
        return false;
    }
}
