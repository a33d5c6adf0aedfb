package io.shmipc.sample.server;

import org.jspecify.annotations.Nullable;

/**
 * A question asked on {@code metrics.query}: aggregate one series over a recent window.
 *
 * @param source the series' source
 * @param metric the series' metric
 * @param windowMillis how far back from now to look; {@code null} or non-positive means one minute
 */
public record MetricQuery(
        String source, String metric, @Nullable Long windowMillis) {}
