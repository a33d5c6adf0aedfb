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
        List<Long> roundMedians) {

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
                a.roundMedians());
    }

    long[] percentiles() {
        return new long[] {p50Nanos, p90Nanos, p99Nanos, p999Nanos, maxNanos};
    }

    static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "max"};
}
