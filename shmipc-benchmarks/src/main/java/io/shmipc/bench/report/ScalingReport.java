package io.shmipc.bench.report;

import io.shmipc.bench.harness.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Threads of one client process (issue 12): the threads-N and virtual-threads-N table, the goals judged
 * from it, and a plot of round trips per second against caller count.
 */
final class ScalingReport {

    private static final String[] GOAL_TRANSPORTS = {"shm-hybrid", "shm-template-bytes"};
    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final int LEFT = 90;
    private static final int TOP = 50;
    private static final int PLOT_WIDTH = 560;
    private static final int PLOT_HEIGHT = 420;
    private static final String[] COLOURS = {
        "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"
    };

    private ScalingReport() {}

    private static List<Scenario> columns(RunResults results) {
        return results.scenarios().stream()
                .filter(s -> s.kind() == Scenario.Kind.THREADS || s.kind() == Scenario.Kind.VIRTUAL_THREADS)
                .toList();
    }

    static String markdown(RunResults results) {
        List<Scenario> columns = columns(results);
        StringBuilder md = new StringBuilder();
        if (columns.isEmpty()) {
            return "";
        }
        md.append("### Threads of one client process, 64 B: round trips per second, p50 / p99 µs\n\n");
        md.append("All threads share one client (one `ShmClient`, one `ShmTemplate`); socket peers open a"
                + " connection per thread.\n\n");
        StringBuilder header = new StringBuilder("| transport |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Scenario s : columns) {
            header.append(' ').append(s.label()).append(" |");
            rule.append("--:|");
        }
        md.append(header).append('\n').append(rule).append('\n');
        for (String t : results.transports()) {
            if (columns.stream().allMatch(s -> results.figures(t, s.label()) == null)) {
                continue;
            }
            StringBuilder row = new StringBuilder("| " + t + " |");
            for (Scenario s : columns) {
                Figures f = results.figures(t, s.label());
                row.append(
                        f == null
                                ? " – |"
                                : " " + Units.decimal(f.requestsPerSecond(), 0) + "/s, " + Units.micros(f.p50Nanos())
                                        + " / " + Units.micros(f.p99Nanos()) + " |");
            }
            md.append(row).append('\n');
        }
        md.append("\n");
        goals(results, columns, md);
        return md.toString();
    }

    /** Issue 12's goals for threads of one process, judged per transport in this run. */
    private static void goals(RunResults results, List<Scenario> columns, StringBuilder md) {
        String single = new Scenario(Scenario.Kind.THREADS, 1).label();
        md.append("| goal (threads of one process) | ")
                .append(String.join(" | ", GOAL_TRANSPORTS))
                .append(" |\n|---|")
                .append("--:|".repeat(GOAL_TRANSPORTS.length))
                .append('\n');
        for (Scenario s : columns) {
            StringBuilder half = new StringBuilder("| " + s.label() + ": rps ≥ 0.5x threads-1 |");
            StringBuilder uds = new StringBuilder("| " + s.label() + ": rps ≥ 5x UDS at the same N |");
            for (String t : GOAL_TRANSPORTS) {
                half.append(' ')
                        .append(verdict(rps(results, t, s.label()), rps(results, t, single), 0.5))
                        .append(" |");
                uds.append(' ')
                        .append(verdict(rps(results, t, s.label()), rps(results, RunResults.UDS, s.label()), 5))
                        .append(" |");
            }
            md.append(half).append('\n').append(uds).append('\n');
        }
        for (int n : new int[] {2, 4}) {
            String label = new Scenario(Scenario.Kind.THREADS, n).label();
            StringBuilder row = new StringBuilder("| " + label + ": p50 ≤ 2x threads-1 p50 |");
            for (String t : GOAL_TRANSPORTS) {
                row.append(' ')
                        .append(atMost(p50(results, t, label), p50(results, t, single), 2))
                        .append(" |");
            }
            md.append(row).append('\n');
        }
        md.append("\n");
    }

    /** @return "x.xx, met" when {@code value / base >= factor}, "missed" otherwise, "–" without figures */
    private static String verdict(double value, double base, double factor) {
        if (!Double.isFinite(value) || !Double.isFinite(base) || base == 0) {
            return "–";
        }
        double ratio = value / base;
        return Units.ratio(ratio) + (ratio >= factor ? ", **met**" : ", missed");
    }

    /** @return "x.xx, met" when {@code value / base <= factor}, "missed" otherwise, "–" without figures */
    private static String atMost(double value, double base, double factor) {
        if (!Double.isFinite(value) || !Double.isFinite(base) || base == 0) {
            return "–";
        }
        double ratio = value / base;
        return Units.ratio(ratio) + (ratio <= factor ? ", **met**" : ", missed");
    }

    private static double rps(RunResults results, String transport, String label) {
        Figures f = results.figures(transport, label);
        return f == null ? Double.NaN : f.requestsPerSecond();
    }

    private static double p50(RunResults results, String transport, String label) {
        Figures f = results.figures(transport, label);
        return f == null ? Double.NaN : f.p50Nanos();
    }

    /** @return round trips per second against caller count, log-log, platform threads solid, virtual dashed */
    static String svg(RunResults results) {
        List<Scenario> columns = columns(results);
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        double maxRps = 1;
        double minRps = Double.MAX_VALUE;
        int maxCallers = 1;
        for (String t : results.transports()) {
            for (Scenario.Kind kind : new Scenario.Kind[] {Scenario.Kind.THREADS, Scenario.Kind.VIRTUAL_THREADS}) {
                List<double[]> points = new ArrayList<>();
                for (Scenario s : columns) {
                    Figures f = results.figures(t, s.label());
                    if (s.kind() == kind && f != null && f.requestsPerSecond() > 0) {
                        points.add(new double[] {s.value(), f.requestsPerSecond()});
                        maxRps = Math.max(maxRps, f.requestsPerSecond());
                        minRps = Math.min(minRps, f.requestsPerSecond());
                        maxCallers = Math.max(maxCallers, s.value());
                    }
                }
                if (!points.isEmpty()) {
                    series.put(t + (kind == Scenario.Kind.VIRTUAL_THREADS ? " (virtual)" : ""), points);
                }
            }
        }
        StringBuilder svg = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\""
                        + " fill=\"white\"/>%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        svg.append(text(LEFT, 25, "Round trips per second against caller threads of one process, 64 B, log-log"));
        if (series.isEmpty()) {
            return svg.append(text(LEFT, TOP + 40, "no results"))
                    .append("</svg>\n")
                    .toString();
        }
        int minDecade = (int) Math.floor(Math.log10(minRps));
        int maxDecade = (int) Math.ceil(Math.log10(maxRps));
        if (maxDecade == minDecade) {
            maxDecade++;
        }
        double xMax = Math.log10(Math.max(10, maxCallers));
        for (int d = minDecade; d <= maxDecade; d++) {
            double py = TOP + PLOT_HEIGHT * (1 - (double) (d - minDecade) / (maxDecade - minDecade));
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT,
                    py,
                    LEFT + PLOT_WIDTH,
                    py));
            svg.append(anchored(LEFT - 8, py + 4, String.format(Locale.ROOT, "%,.0f/s", Math.pow(10, d)), "end"));
        }
        for (Scenario s : columns) {
            if (s.kind() == Scenario.Kind.THREADS || s.value() > 64) {
                double px = LEFT + PLOT_WIDTH * Math.log10(s.value()) / xMax;
                svg.append(anchored(px, TOP + PLOT_HEIGHT + 20, Integer.toString(s.value()), "middle"));
            }
        }
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT,
                TOP,
                PLOT_WIDTH,
                PLOT_HEIGHT));
        int index = 0;
        Map<String, String> colours = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            // A transport's platform and virtual series share a colour; virtual is dashed.
            String transport = e.getKey().replace(" (virtual)", "");
            String colour = colours.computeIfAbsent(transport, k -> COLOURS[colours.size() % COLOURS.length]);
            boolean virtual = e.getKey().endsWith("(virtual)");
            StringBuilder points = new StringBuilder();
            for (double[] p : e.getValue()) {
                double px = LEFT + PLOT_WIDTH * Math.log10(p[0]) / xMax;
                double py = TOP + PLOT_HEIGHT * (1 - (Math.log10(p[1]) - minDecade) / (maxDecade - minDecade));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                svg.append(String.format(
                        Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, colour));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    points.toString().trim(),
                    colour,
                    virtual ? " stroke-dasharray=\"6,4\"" : ""));
            int ly = TOP + 10 + index * 20;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"%s/>%n",
                    LEFT + PLOT_WIDTH + 20,
                    ly,
                    LEFT + PLOT_WIDTH + 44,
                    ly,
                    colour,
                    virtual ? " stroke-dasharray=\"6,4\"" : ""));
            svg.append(text(LEFT + PLOT_WIDTH + 50, ly + 4, e.getKey()));
            index++;
        }
        svg.append(anchored(LEFT + PLOT_WIDTH / 2.0, TOP + PLOT_HEIGHT + 40, "caller threads", "middle"));
        return svg.append("</svg>\n").toString();
    }

    private static String text(double x, double y, String content) {
        return anchored(x, y, content, "start");
    }

    private static String anchored(double x, double y, String content, String anchor) {
        String escaped = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return String.format(
                Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n", x, y, anchor, escaped);
    }
}
