package io.shmipc.bench.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Latency percentiles per transport for one scenario, on a log scale, as a self-contained SVG. */
final class LatencySvgPlot {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final int LEFT = 80;
    private static final int TOP = 50;
    private static final int PLOT_WIDTH = 580;
    private static final int PLOT_HEIGHT = 430;
    private static final String[] COLOURS = {
        "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666", "#1f78b4", "#b15928",
        "#6a3d9a", "#000000"
    };

    private LatencySvgPlot() {}

    static String render(RunResults results, String label) {
        Map<String, long[]> series = new LinkedHashMap<>();
        for (String t : results.transports()) {
            Figures f = results.figures(t, label);
            if (f != null) {
                series.put(t, f.percentiles());
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(LEFT, 25, "Round-trip latency, " + label + ", log scale (µs)", "start", 15));
        if (series.isEmpty()) {
            return svg.append(text(LEFT, TOP + 40, "no results", "start", 12))
                    .append("</svg>\n")
                    .toString();
        }
        long lowest = series.values().stream()
                .mapToLong(p -> p[0])
                .filter(v -> v > 0)
                .min()
                .orElse(100);
        long highest =
                series.values().stream().mapToLong(p -> p[p.length - 1]).max().orElse(1000);
        int minDecade = (int) Math.floor(Math.log10(Math.max(1, lowest)));
        int maxDecade = (int) Math.ceil(Math.log10(Math.max(highest, lowest * 10)));
        Axis y = new Axis(minDecade, maxDecade);
        for (int d = minDecade; d <= maxDecade; d++) {
            double py = y.pixel(Math.pow(10, d));
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT,
                    py,
                    LEFT + PLOT_WIDTH,
                    py));
            svg.append(text(LEFT - 8, py + 4, decadeLabel(d), "end", 12));
        }
        int columns = Figures.PERCENTILE_NAMES.length;
        for (int i = 0; i < columns; i++) {
            svg.append(text(x(i, columns), TOP + PLOT_HEIGHT + 20, Figures.PERCENTILE_NAMES[i], "middle", 12));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT,
                TOP,
                PLOT_WIDTH,
                PLOT_HEIGHT));
        int index = 0;
        for (Map.Entry<String, long[]> e : series.entrySet()) {
            String colour = COLOURS[index % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                double px = x(i, columns);
                double py = y.pixel(Math.max(1, e.getValue()[i]));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                svg.append(String.format(
                        Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, colour));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    points.toString().trim(),
                    colour));
            int ly = TOP + 10 + index * 20;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                    LEFT + PLOT_WIDTH + 20,
                    ly,
                    LEFT + PLOT_WIDTH + 44,
                    ly,
                    colour));
            svg.append(text(
                    LEFT + PLOT_WIDTH + 50,
                    ly + 4,
                    e.getKey() + " (p50 " + Units.micros(e.getValue()[0]) + " µs)",
                    "start",
                    12));
            index++;
        }
        return svg.append("</svg>\n").toString();
    }

    private static double x(int column, int columns) {
        return LEFT + PLOT_WIDTH * (column + 0.5) / columns;
    }

    private static String decadeLabel(int decade) {
        double micros = Math.pow(10, decade) / 1000;
        return micros >= 1 ? String.format(Locale.ROOT, "%,.0f", micros) : String.format(Locale.ROOT, "%s", micros);
    }

    private static String text(double x, double y, String content, String anchor, int size) {
        String escaped = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x,
                y,
                anchor,
                size,
                escaped);
    }

    /** Maps nanoseconds to a vertical pixel, decades evenly spaced. */
    private record Axis(int minDecade, int maxDecade) {
        double pixel(double nanos) {
            double fraction = (Math.log10(nanos) - minDecade) / (maxDecade - minDecade);
            return TOP + PLOT_HEIGHT * (1 - fraction);
        }
    }
}
