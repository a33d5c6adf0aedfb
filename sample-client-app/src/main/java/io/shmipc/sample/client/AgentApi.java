package io.shmipc.sample.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The client's view of the monitoring agent's JSON messages (its routes are {@link AgentClient}). The agent is another
 * program, so the client declares just the fields it uses; JSON binding matches them by name and
 * replies ignore fields the client does not know, so the agent may add some without breaking it.
 */
public final class AgentApi {

    private AgentApi() {}

    /**
     * A measurement to report.
     *
     * @param source who measured
     * @param metric what was measured
     * @param value the value
     * @param timestamp epoch milliseconds
     */
    public record Sample(String source, String metric, double value, long timestamp) {}

    /**
     * The agent's acknowledgement of a {@link Sample}.
     *
     * @param source the series' source
     * @param metric the series' metric
     * @param retained samples the series holds
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Receipt(String source, String metric, int retained) {}

    /**
     * Asks for the aggregate of one series.
     *
     * @param source the series' source
     * @param metric the series' metric
     * @param windowMillis how far back to look
     */
    public record Query(String source, String metric, long windowMillis) {}

    /**
     * The aggregate of a series over the window; statistics are {@code null} when it is empty.
     *
     * @param source the series' source
     * @param metric the series' metric
     * @param count samples in the window
     * @param min smallest value
     * @param max largest value
     * @param mean arithmetic mean
     * @param p99 99th percentile
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Aggregate(String source, String metric, int count, Double min, Double max, Double mean, Double p99) {}
}
