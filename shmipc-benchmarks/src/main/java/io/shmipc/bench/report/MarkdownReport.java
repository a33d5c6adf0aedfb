package io.shmipc.bench.report;

import io.shmipc.bench.harness.Scenario;
import java.util.List;
import java.util.function.Predicate;

/** The tables of one run as markdown, ready to paste into docs/PERFORMANCE.md. */
final class MarkdownReport {

    private final RunResults results;
    private final StringBuilder md = new StringBuilder();

    private MarkdownReport(RunResults results) {
        this.results = results;
    }

    static String render(
            RunResults results, MachineInfo machine, String date, String command, String loadBefore, long seconds) {
        MarkdownReport r = new MarkdownReport(results);
        r.line("- Date: " + date);
        r.line("- Machine: " + machine.vcpus() + " vCPU, " + machine.cpuModel() + ", Linux " + machine.kernel());
        r.line("- JDK: " + machine.jdk());
        r.line("- Load average (1/5/15 min) before: " + loadBefore + "; after: " + machine.loadAverage()
                + " (anything near or above the vCPU count means the machine was busy)");
        if (busy(loadBefore, machine)) {
            r.line("- **The machine was busy** (1-minute load average at or above the vCPU count): other work"
                    + " competed for the vCPUs, which hurts spinning transports and thread hand-offs most.");
        }
        r.line("- Command: `" + command + "` (" + seconds + " s)");
        r.line("- Latencies are round trips in µs, closed loop, server and client in separate JVMs;"
                + " each percentile is over all rounds merged.");
        r.line("");
        r.echoTable();
        r.matrix("Payload sizes: p50 / p99 µs (one client)", s -> s.kind() == Scenario.Kind.ECHO, false);
        r.matrix(
                "byte[] against zero-copy: p50 / p99 µs",
                s -> s.kind() == Scenario.Kind.ZERO_COPY || (s.kind() == Scenario.Kind.ECHO && s.value() >= 65536),
                false);
        r.md.append(ScalingReport.markdown(results));
        r.matrix(
                "Concurrent client processes, 64 B: p50 / p99 µs, round trips per second (all clients)",
                s -> s.kind() == Scenario.Kind.PROCESSES,
                true);
        r.matrix(
                "Wake-up after 1 ms idle and placement, 64 B: p50 / p99 µs",
                s -> s.kind() == Scenario.Kind.WAKEUP
                        || s.kind() == Scenario.Kind.SAME_VCPU
                        || s.kind() == Scenario.Kind.CROSS_VCPU,
                false);
        r.idleTable();
        r.md.append(GoalCheck.render(results));
        return r.md.toString();
    }

    private static boolean busy(String loadBefore, MachineInfo machine) {
        for (String loads : new String[] {loadBefore, machine.loadAverage()}) {
            try {
                if (Double.parseDouble(loads.split(" ")[0]) >= machine.vcpus()) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // An unreadable load average says nothing either way.
            }
        }
        return false;
    }

    private void line(String text) {
        md.append(text).append('\n');
    }

    private void echoTable() {
        String label = RunResults.ECHO_64;
        line("### 64 B echo, one client");
        line("");
        line(
                "| transport | p50 | p90 | p99 | p99.9 | max | req/s | CPU s per M req | UDS p50 ÷ p50 | p50 ÷ floor p50 | idle CPU % | p50 per round |");
        line("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (String t : results.transports()) {
            Figures f = results.figures(t, label);
            if (f == null) {
                line("| " + t + " | not run: " + results.notRunReason(t, label) + " ||||||||||| ");
                continue;
            }
            line("| " + t + " | " + Units.micros(f.p50Nanos()) + " | " + Units.micros(f.p90Nanos()) + " | "
                    + Units.micros(f.p99Nanos()) + " | " + Units.micros(f.p999Nanos()) + " | "
                    + Units.micros(f.maxNanos())
                    + " | " + Units.decimal(f.requestsPerSecond(), 0) + " | "
                    + Units.decimal(f.cpuSecondsPerMillion(), 1)
                    + " | " + ratio(results.udsOverP50(t, label)) + " | " + ratio(results.p50OverFloor(t, label))
                    + " | " + percent(results.idleCpuPercent(t)) + " | "
                    + roundMedians(f) + " |");
        }
        line("");
    }

    /** @return each round's p50, a round that was still warming marked with a dagger */
    private static String roundMedians(Figures f) {
        StringBuilder cell = new StringBuilder();
        for (int i = 0; i < f.roundMedians().size(); i++) {
            cell.append(i == 0 ? "" : ", ").append(Units.micros(f.roundMedians().get(i)));
            if (f.roundsStillWarming().get(i)) {
                cell.append('†');
            }
        }
        return cell.toString();
    }

    private void matrix(String title, Predicate<Scenario> columns, boolean withRate) {
        List<Scenario> shown = results.scenarios().stream().filter(columns).toList();
        line("### " + title);
        line("");
        StringBuilder header = new StringBuilder("| transport |");
        StringBuilder rule = new StringBuilder("|---|");
        shown.forEach(s -> {
            header.append(' ').append(s.label()).append(" |");
            rule.append("--:|");
        });
        line(header.toString());
        line(rule.toString());
        for (String t : results.transports()) {
            StringBuilder row = new StringBuilder("| " + t + " |");
            for (Scenario s : shown) {
                Figures f = results.figures(t, s.label());
                if (f == null) {
                    row.append(" – |");
                } else {
                    row.append(' ')
                            .append(Units.micros(f.p50Nanos()))
                            .append(" / ")
                            .append(Units.micros(f.p99Nanos()));
                    if (f.stillWarming()) {
                        row.append('†');
                    }
                    if (withRate) {
                        row.append(", ")
                                .append(Units.decimal(f.requestsPerSecond(), 0))
                                .append("/s");
                    }
                    row.append(" |");
                }
            }
            line(row.toString());
        }
        line("");
        line("– = not run; the reasons are listed under \"Not run\". † = still warming in at least one round"
                + " (listed under \"Still warming\").");
        line("");
    }

    private void idleTable() {
        line("### Idle CPU (" + results.idleLabel() + " window, no traffic), percent of one core");
        line("");
        line("| transport | server | client | both |");
        line("|---|--:|--:|--:|");
        for (String t : results.transports()) {
            Figures idle = results.idle(t);
            if (idle == null) {
                line("| " + t + " | – | – | – |");
            } else {
                line("| " + t + " | " + percent(idle.serverCpuPercent()) + " | " + percent(idle.clientCpuPercent())
                        + " | " + percent(results.idleCpuPercent(t)) + " |");
            }
        }
        line("");
        stillWarmingList();
        line("### Not run");
        line("");
        for (String t : results.transports()) {
            String whole = results.transportNotRunReason(t);
            if (whole != null) {
                line("- " + t + ": " + whole);
                continue;
            }
            for (Scenario s : results.scenarios()) {
                Figures f = s.kind() == Scenario.Kind.IDLE ? results.idle(t) : results.figures(t, s.label());
                if (f == null) {
                    line("- " + t + " / " + s.label() + ": " + results.notRunReason(t, s.label()));
                }
            }
        }
        line("");
    }

    /** Lists every figure with a round that was still warming: its latency may be too high. */
    private void stillWarmingList() {
        line("### Still warming");
        line("");
        line("Scenarios with a round whose call shape had not levelled off within the warm-up cap, or whose p50"
                + " fell by more than 10% between the two halves of its window (so code was still being compiled"
                + " while it was measured). Their figures may be too high.");
        line("");
        boolean any = false;
        for (String t : results.transports()) {
            for (Scenario s : results.scenarios()) {
                Figures f = s.kind() == Scenario.Kind.IDLE ? null : results.figures(t, s.label());
                if (f != null && f.stillWarming()) {
                    any = true;
                    line("- " + t + " / " + s.label() + ": rounds " + f.roundsStillWarming());
                }
            }
        }
        if (!any) {
            line("None: every scenario was measured warm.");
        }
        line("");
    }

    static String ratio(double value) {
        return Double.isFinite(value) ? Units.ratio(value) : "–";
    }

    static String percent(double value) {
        return Double.isFinite(value) ? Units.decimal(value, 2) : "–";
    }
}
