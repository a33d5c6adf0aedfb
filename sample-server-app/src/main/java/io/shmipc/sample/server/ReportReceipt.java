package io.shmipc.sample.server;

/**
 * The agent's reply to {@code metrics.report}.
 *
 * @param source the series' source
 * @param metric the series' metric
 * @param retained samples the series now holds (at most {@code agent.samples-per-series})
 */
public record ReportReceipt(String source, String metric, int retained) {}
