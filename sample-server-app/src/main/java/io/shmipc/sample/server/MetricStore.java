package io.shmipc.sample.server;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Thread-safe in-memory store of metric samples with bounded memory: at most {@code maxSeries} series,
 * each a ring of its latest {@code samplesPerSeries} samples. Reports may arrive from several server
 * threads ({@code shmipc.server.concurrency}) while queries read.
 */
public final class MetricStore {

    /** The window of a query that names none. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

    private static final double P99 = 0.99;

    private final int maxSeries;
    private final int samplesPerSeries;
    private final LongSupplier clockMillis;
    private final Map<SeriesKey, Series> series = new ConcurrentHashMap<>();

    /**
     * @param maxSeries the most series kept; a report for one more is refused
     * @param samplesPerSeries the latest samples each series keeps
     * @param clockMillis the agent's clock in epoch milliseconds (a parameter so tests can fix it)
     */
    public MetricStore(int maxSeries, int samplesPerSeries, LongSupplier clockMillis) {
        if (maxSeries < 1 || samplesPerSeries < 1) {
            throw new IllegalArgumentException(
                    "maxSeries and samplesPerSeries must be positive, were " + maxSeries + " and " + samplesPerSeries);
        }
        this.maxSeries = maxSeries;
        this.samplesPerSeries = samplesPerSeries;
        this.clockMillis = clockMillis;
    }

    /**
     * Stores a sample.
     *
     * @param sample the sample; a {@code null} timestamp means now
     * @return how many samples its series now holds
     * @throws IllegalArgumentException when source or metric is blank or the value is not finite
     * @throws IllegalStateException when the sample would start a series beyond {@code maxSeries}
     */
    public int record(MetricSample sample) {
        SeriesKey key = SeriesKey.of(sample.source(), sample.metric());
        if (!Double.isFinite(sample.value())) {
            throw new IllegalArgumentException("value must be finite, was " + sample.value());
        }
        long timestamp = sample.timestamp() == null ? clockMillis.getAsLong() : sample.timestamp();
        return seriesFor(key).add(timestamp, sample.value());
    }

    /**
     * Aggregates one series over the window ending now.
     *
     * @param query the series and window
     * @return the aggregate; empty statistics when the series is unknown or has no sample in the window
     */
    public MetricAggregate aggregate(MetricQuery query) {
        SeriesKey key = SeriesKey.of(query.source(), query.metric());
        long window = query.windowMillis() == null || query.windowMillis() <= 0
                ? DEFAULT_WINDOW.toMillis()
                : query.windowMillis();
        long now = clockMillis.getAsLong();
        Series found = series.get(key);
        double[] values = found == null ? new double[0] : found.valuesBetween(now - window, now);
        if (values.length == 0) {
            return new MetricAggregate(key.source(), key.metric(), window, 0, null, null, null, null);
        }
        Arrays.sort(values);
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        // Nearest-rank percentile: the smallest value with at least 99% of the samples at or below it.
        int p99Index = (int) Math.ceil(P99 * values.length) - 1;
        return new MetricAggregate(
                key.source(),
                key.metric(),
                window,
                values.length,
                values[0],
                values[values.length - 1],
                sum / values.length,
                values[p99Index]);
    }

    /** @return how many series the store holds */
    public int seriesCount() {
        return series.size();
    }

    private Series seriesFor(SeriesKey key) {
        Series existing = series.get(key);
        if (existing != null) {
            return existing;
        }
        // New series are rare; one lock keeps the bound exact where computeIfAbsent could overshoot it.
        synchronized (series) {
            existing = series.get(key);
            if (existing == null) {
                if (series.size() >= maxSeries) {
                    throw new IllegalStateException(
                            "the agent keeps at most " + maxSeries + " series (agent.max-series);"
                                    + " refusing new series " + key.source() + "/" + key.metric());
                }
                existing = new Series(samplesPerSeries);
                series.put(key, existing);
            }
            return existing;
        }
    }

    private record SeriesKey(String source, String metric) {

        static SeriesKey of(String source, String metric) {
            if (source == null || source.isBlank() || metric == null || metric.isBlank()) {
                throw new IllegalArgumentException(
                        "source and metric must not be blank, were '" + source + "' and '" + metric + "'");
            }
            return new SeriesKey(source, metric);
        }
    }

    /** A ring of the latest samples of one series; its own lock, so series do not contend with each other. */
    private static final class Series {

        private final long[] timestamps;
        private final double[] values;
        private int next;
        private int size;

        Series(int capacity) {
            timestamps = new long[capacity];
            values = new double[capacity];
        }

        synchronized int add(long timestamp, double value) {
            timestamps[next] = timestamp;
            values[next] = value;
            next = (next + 1) % timestamps.length;
            size = Math.min(size + 1, timestamps.length);
            return size;
        }

        /** Samples may arrive out of timestamp order, so every retained one is checked. */
        synchronized double[] valuesBetween(long fromInclusive, long toInclusive) {
            double[] found = new double[size];
            int count = 0;
            for (int i = 0; i < size; i++) {
                if (timestamps[i] >= fromInclusive && timestamps[i] <= toInclusive) {
                    found[count++] = values[i];
                }
            }
            return Arrays.copyOf(found, count);
        }
    }
}
