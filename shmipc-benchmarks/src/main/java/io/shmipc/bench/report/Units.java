package io.shmipc.bench.report;

import java.util.Locale;

/** Number formatting shared by the table and the plot. */
final class Units {

    private Units() {}

    /** @return nanoseconds as microseconds with about three significant digits */
    static String micros(long nanos) {
        double us = nanos / 1000.0;
        if (us < 10) {
            return String.format(Locale.ROOT, "%.2f", us);
        }
        if (us < 100) {
            return String.format(Locale.ROOT, "%.1f", us);
        }
        return String.format(Locale.ROOT, "%,.0f", us);
    }

    static String ratio(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0fx", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1fx" : "%.2fx", value);
    }

    static String decimal(double value, int digits) {
        return String.format(Locale.ROOT, "%,." + digits + "f", value);
    }
}
