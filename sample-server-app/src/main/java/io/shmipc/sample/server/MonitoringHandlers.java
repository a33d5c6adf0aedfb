package io.shmipc.sample.server;

import io.shmipc.spring.ShmHandler;
import org.springframework.stereotype.Component;

/**
 * The agent's shmipc routes. JSON payloads are bound to records by the starter's default codec;
 * {@code byte[]} passes through untouched. An exception thrown here reaches the caller as
 * {@link io.shmipc.core.ShmRemoteException} and the agent keeps serving.
 */
@Component
public class MonitoringHandlers {

    private final MetricStore store;

    /** @param store where samples are kept */
    public MonitoringHandlers(MetricStore store) {
        this.store = store;
    }

    /**
     * Stores a reported sample.
     *
     * @param sample the sample (JSON)
     * @return how many samples its series retains (JSON)
     */
    @ShmHandler("metrics.report")
    public ReportReceipt report(MetricSample sample) {
        int retained = store.record(sample);
        return new ReportReceipt(sample.source(), sample.metric(), retained);
    }

    /**
     * Aggregates a series over a recent window.
     *
     * @param query the series and window (JSON)
     * @return count, min, max, mean and p99 (JSON)
     */
    @ShmHandler("metrics.query")
    public MetricAggregate query(MetricQuery query) {
        return store.aggregate(query);
    }

    /**
     * Returns the request unchanged: the cheapest round trip, for latency checks.
     *
     * @param payload any bytes
     * @return the same bytes
     */
    @ShmHandler("echo")
    public byte[] echo(byte[] payload) {
        return payload;
    }
}
