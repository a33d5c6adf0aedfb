package io.shmipc.sample.server;

import org.jspecify.annotations.Nullable;

/**
 * One measurement a client reports on {@code metrics.report}.
 *
 * @param source who measured, e.g. a host or service name
 * @param metric what was measured, e.g. {@code cpu.load}
 * @param value the measured value; must be finite
 * @param timestamp when, in epoch milliseconds; {@code null} means "now" on the agent's clock
 */
public record MetricSample(
        String source,
        String metric,
        double value,
        @Nullable Long timestamp) {}
