package io.shmipc.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Plain-text helpers: aligned tables and human units. */
final class Text {

    private Text() {}

    /**
     * @param header the column titles
     * @param rows the cells, one array per row
     * @return the table, columns padded to their widest cell, no trailing spaces
     */
    static String table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    /** @return e.g. {@code 512 B}, {@code 64 KiB}, {@code 1.5 MiB} */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return trim(bytes / 1024.0) + " KiB";
        }
        return trim(bytes / (1024.0 * 1024)) + " MiB";
    }

    /** @return e.g. {@code 40 ms}, {@code 2.5 s}; {@code -} for null */
    static String duration(Duration duration) {
        if (duration == null) {
            return "-";
        }
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 120_000) {
            return trim(millis / 1000.0) + " s";
        }
        return trim(millis / 60_000.0) + " min";
    }

    /** @return a deadline relative to now: {@code in 4.2 s} or {@code 1.3 s ago}; {@code -} for none */
    static String deadline(@Nullable Instant deadline, Instant now) {
        if (deadline == null) {
            return "-";
        }
        Duration left = Duration.between(now, deadline);
        return left.isNegative() ? duration(left.negated()) + " ago" : "in " + duration(left);
    }

    /** @return a pid for display: {@code 0} means another pid namespace */
    static String pid(long pid) {
        return pid == 0 ? "(other pid ns)" : pid < 0 ? "-" : Long.toString(pid);
    }

    private static String trim(double value) {
        String text = String.format(java.util.Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
