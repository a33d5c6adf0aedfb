package io.shmipc.sample.server;

import org.jspecify.annotations.Nullable;

/**
 * The agent's answer to {@link MetricQuery}. The statistics are {@code null} when the window holds no
 * sample (JSON has no NaN).
 *
 * @param source the series' source
 * @param metric the series' metric
 * @param windowMillis the window actually used
 * @param count samples in the window
 * @param min smallest value
 * @param max largest value
 * @param mean arithmetic mean
 * @param p99 99th percentile (nearest rank)
 */
public record MetricAggregate(
        String source,
        String metric,
        long windowMillis,
        int count,
        @Nullable Double min,
        @Nullable Double max,
        @Nullable Double mean,
        @Nullable Double p99) {}
