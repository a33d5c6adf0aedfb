package io.shmipc.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.HdrHistogram.Histogram;

/** Everything measured for one transport and scenario, over all rounds. */
public final class Aggregate {

    private final Histogram histogram = ScenarioResult.newHistogram();
    private final Set<String> notes = new LinkedHashSet<>();
    private final List<Long> roundMedians = new ArrayList<>();
    private final List<Boolean> roundsStillWarming = new ArrayList<>();
    private long calls;
    private long elapsedNanos;
    private long clientCpuNanos;
    private long serverCpuNanos;
    private int rounds;

    /**
     * Adds one round, measured by one or more client processes at once: their calls and client CPU
     * add up, while the window and the one server's CPU are shared, so those take the largest.
     */
    void addRound(List<ScenarioResult> concurrent) {
        long window = 0;
        long server = 0;
        Histogram round = ScenarioResult.newHistogram();
        boolean warming = false;
        for (ScenarioResult r : concurrent) {
            warming |= r.stillWarming();
            histogram.add(r.histogram());
            round.add(r.histogram());
            calls += r.calls();
            clientCpuNanos += r.clientCpuNanos();
            window = Math.max(window, r.elapsedNanos());
            server = Math.max(server, r.serverCpuNanos());
            if (!r.note().equals("-")) {
                notes.add(r.note());
            }
        }
        elapsedNanos += window;
        serverCpuNanos += server;
        rounds++;
        if (round.getTotalCount() > 0) {
            roundMedians.add(round.getValueAtPercentile(50));
            roundsStillWarming.add(warming);
        }
    }

    public Histogram histogram() {
        return histogram;
    }

    public long calls() {
        return calls;
    }

    public int rounds() {
        return rounds;
    }

    /** @return the median of each round on its own, in run order: shows whether rounds agreed */
    public List<Long> roundMedians() {
        return roundMedians;
    }

    /** @return for each of {@link #roundMedians()}, whether that round was still warming */
    public List<Boolean> roundsStillWarming() {
        return roundsStillWarming;
    }

    public Set<String> notes() {
        return notes;
    }

    /** @return round trips per second over the measured windows */
    public double requestsPerSecond() {
        return elapsedNanos == 0 ? 0 : calls * 1e9 / elapsedNanos;
    }

    /** @return CPU seconds (client and server processes) spent per million round trips */
    public double cpuSecondsPerMillion() {
        return calls == 0 ? 0 : (clientCpuNanos + serverCpuNanos) / 1e9 / (calls / 1e6);
    }

    /** @return server CPU as a percentage of one core over the windows */
    public double serverCpuPercent() {
        return elapsedNanos == 0 ? 0 : 100.0 * serverCpuNanos / elapsedNanos;
    }

    /** @return client CPU as a percentage of one core over the windows */
    public double clientCpuPercent() {
        return elapsedNanos == 0 ? 0 : 100.0 * clientCpuNanos / elapsedNanos;
    }
}
