package io.shmipc.bench.report;

import io.shmipc.bench.harness.Aggregate;
import io.shmipc.bench.harness.ResultStore;
import io.shmipc.bench.harness.Scenario;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Read-only view of one run's results with the derived figures: percentiles and same-run ratios. */
final class RunResults {

    static final String UDS = "uds";
    static final String FLOOR = "bare-spin";
    static final String ECHO_64 = new Scenario(Scenario.Kind.ECHO, Scenario.SMALL_PAYLOAD).label();

    private final ResultStore store;
    private final List<Scenario> scenarios;
    private final String idleLabel;

    RunResults(ResultStore store, List<Scenario> scenarios) {
        this.store = store;
        this.scenarios = scenarios;
        this.idleLabel = scenarios.stream()
                .filter(s -> s.kind() == Scenario.Kind.IDLE)
                .map(Scenario::label)
                .findFirst()
                .orElse("idle");
    }

    List<String> transports() {
        return store.transports();
    }

    List<Scenario> scenarios() {
        return scenarios;
    }

    /** @return the figures, or null when not measured */
    @Nullable
    Figures figures(String transport, String label) {
        Aggregate a = store.get(transport, label);
        return a == null || (a.calls() == 0 && !label.equals(idleLabel)) ? null : Figures.of(a);
    }

    /** @return why there is no figure: the recorded reason, or a generic one */
    String notRunReason(String transport, String label) {
        String reason = store.notRunReason(transport, label);
        return reason != null ? reason : "no result";
    }

    /** @return why the whole transport was not run, or null when it ran */
    @Nullable
    String transportNotRunReason(String transport) {
        return store.notRunReason(transport, "*");
    }

    /** @return UDS p50 divided by this p50 (how many times faster than UDS), or NaN */
    double udsOverP50(String transport, String label) {
        return baselineRatio(UDS, transport, label);
    }

    /** @return this p50 divided by the bare-spin floor's p50 (how far above the floor), or NaN */
    double p50OverFloor(String transport, String label) {
        return 1 / baselineRatio(FLOOR, transport, label);
    }

    private double baselineRatio(String baseline, String transport, String label) {
        Figures base = figures(baseline, label);
        Figures mine = figures(transport, label);
        if (base == null || mine == null || mine.p50Nanos() == 0) {
            return Double.NaN;
        }
        return (double) base.p50Nanos() / mine.p50Nanos();
    }

    /** @return the idle figures (CPU only) of a transport, or null */
    @Nullable
    Figures idle(String transport) {
        Aggregate a = store.get(transport, idleLabel);
        return a == null ? null : Figures.of(a);
    }

    /** @return server plus client CPU while idle, in percent of one core, or NaN */
    double idleCpuPercent(String transport) {
        Figures idle = idle(transport);
        return idle == null ? Double.NaN : idle.serverCpuPercent() + idle.clientCpuPercent();
    }

    String idleLabel() {
        return idleLabel;
    }
}
