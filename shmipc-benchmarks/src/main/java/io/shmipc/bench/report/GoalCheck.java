package io.shmipc.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The project's performance goals, judged from one run's figures. Reported, never asserted: figures
 * from a shared 2-vCPU VM are too noisy to fail a build on.
 */
final class GoalCheck {

    private static final String TEMPLATE = "shm-template-bytes";
    private static final String ENGINE_HYBRID = "shm-hybrid";
    private static final String ENGINE_BLOCK = "shm-block";
    private static final String AGRONA = "agrona";
    private static final String HTTP = "http-mvc";
    private static final String ECHO_1M = "echo-1MiB";

    private GoalCheck() {
    }

    static String render(RunResults r) {
        // The goals name ShmTemplate; until it runs, the engine in hybrid mode stands in, and the row says so.
        boolean templateRan = r.figures(TEMPLATE, RunResults.ECHO_64) != null;
        String shm = templateRan ? TEMPLATE : ENGINE_HYBRID;
        String stand = templateRan ? "" : " (ShmTemplate not run; engine hybrid shown)";
        double shm64 = p50(r, shm, RunResults.ECHO_64);
        double uds64 = p50(r, RunResults.UDS, RunResults.ECHO_64);
        List<String> rows = new ArrayList<>();
        rows.add(atMost("ShmTemplate byte[] hybrid p50 ≤ Agrona p50" + stand, shm64, p50(r, AGRONA, RunResults.ECHO_64), 1.0));
        rows.add(timesLower("p50 ≥ 50x lower than UDS" + stand, shm64, uds64, 50));
        rows.add(timesLower("p50 ≥ 200x lower than HTTP" + stand, shm64, p50(r, HTTP, RunResults.ECHO_64), 200));
        rows.add(idleRow(r, ENGINE_HYBRID));
        rows.add(idleRow(r, ENGINE_BLOCK));
        rows.add(atMost("block-mode p50 ≤ UDS p50", p50(r, ENGINE_BLOCK, RunResults.ECHO_64), uds64, 1.0));
        rows.add(atMost("1 MiB round trip p50 ≤ 0.5x UDS" + stand, p50(r, shm, ECHO_1M),
                p50(r, RunResults.UDS, ECHO_1M), 0.5));
        StringBuilder md = new StringBuilder("### Goals (from this run)\n\n| goal | measured | target | status |\n|---|--:|--:|---|\n");
        rows.forEach(md::append);
        return md.append('\n').toString();
    }

    private static double p50(RunResults r, String transport, String label) {
        Figures f = r.figures(transport, label);
        return f == null ? Double.NaN : f.p50Nanos();
    }

    /** "mine ≤ factor × theirs", shown as mine ÷ theirs. */
    private static String atMost(String goal, double mine, double theirs, double factor) {
        if (!Double.isFinite(mine) || !Double.isFinite(theirs)) {
            return notMeasured(goal);
        }
        double ratio = mine / theirs;
        return "| " + goal + " | " + Units.micros((long) mine) + " µs vs " + Units.micros((long) theirs) + " µs ("
                + String.format(Locale.ROOT, "%.2f", ratio) + "x) | ≤ " + factor + "x | " + (ratio <= factor ? "met" : "missed") + " |\n";
    }

    /** "theirs ÷ mine ≥ factor". */
    private static String timesLower(String goal, double mine, double theirs, double factor) {
        if (!Double.isFinite(mine) || !Double.isFinite(theirs)) {
            return notMeasured(goal);
        }
        double times = theirs / mine;
        return "| " + goal + " | " + Units.ratio(times) + " | ≥ " + (int) factor + "x | " + (times >= factor ? "met" : "missed") + " |\n";
    }

    private static String notMeasured(String goal) {
        return "| " + goal + " | – | – | not measured |\n";
    }

    private static String idleRow(RunResults r, String transport) {
        double idle = r.idleCpuPercent(transport);
        String goal = "idle CPU of " + transport + " server + client ≤ 0.5% of a core";
        if (!Double.isFinite(idle)) {
            return notMeasured(goal);
        }
        return "| " + goal + " | " + String.format(Locale.ROOT, "%.2f%%", idle) + " | ≤ 0.5% | "
                + (idle <= 0.5 ? "met" : "missed") + " |\n";
    }
}
