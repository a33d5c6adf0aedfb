package io.shmipc.bench.report;

import io.shmipc.bench.harness.Aggregate;
import java.util.List;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The numbers reported for one transport and scenario.
 *
 * @param p50Nanos median round trip
 * @param requestsPerSecond round trips per second, all clients together
 * @param cpuSecondsPerMillion client plus server CPU seconds per million round trips
 * @param notes context the clients reported, e.g. the vCPUs a pinned run used
 * @param roundMedians p50 of each round alone; rounds far apart mean the machine's load changed
 * @param roundsStillWarming for each of {@code roundMedians}, whether that round was still warming
 */
record Figures(
        long p50Nanos,
        long p90Nanos,
        long p99Nanos,
        long p999Nanos,
        long maxNanos,
        long calls,
        int rounds,
        double requestsPerSecond,
        double cpuSecondsPerMillion,
        double serverCpuPercent,
        double clientCpuPercent,
        Set<String> notes,
        List<Long> roundMedians,
        List<Boolean> roundsStillWarming) {

    static Figures of(Aggregate a) {
        Histogram h = a.histogram();
        return new Figures(
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(90),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue(),
                a.calls(),
                a.rounds(),
                a.requestsPerSecond(),
                a.cpuSecondsPerMillion(),
                a.serverCpuPercent(),
                a.clientCpuPercent(),
                a.notes(),
                a.roundMedians(),
                a.roundsStillWarming());
    }

    /** @return true when any round was flagged as still warming */
    boolean stillWarming() {
        return roundsStillWarming.contains(true);
    }

    /** @return the largest distance of a round's p50 from the median of the rounds' p50s, as a fraction */
    double roundSpread() {
        if (roundMedians.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted =
                roundMedians.stream().mapToLong(Long::longValue).sorted().toArray();
        double median = sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
        double spread = 0;
        for (long p50 : sorted) {
            spread = Math.max(spread, Math.abs(p50 - median) / median);
        }
        return spread;
    }

    long[] percentiles() {
        return new long[] {p50Nanos, p90Nanos, p99Nanos, p999Nanos, maxNanos};
    }

    static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "max"};
}
