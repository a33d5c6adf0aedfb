package io.shmipc.sample.client;

import io.shmipc.sample.client.AgentApi.Aggregate;
import io.shmipc.sample.client.AgentApi.Query;
import io.shmipc.sample.client.AgentApi.Receipt;
import io.shmipc.sample.client.AgentApi.Sample;
import io.shmipc.spring.ShmExchange;

/**
 * The monitoring agent's routes, as a declarative shmipc client: registered by
 * {@link io.shmipc.spring.ImportShmServices @ImportShmServices} on {@link SampleClientApplication}, each
 * call goes through the auto-configured {@link io.shmipc.spring.ShmTemplate}.
 */
public interface AgentClient {

    /**
     * @param sample the measurement to store
     * @return the agent's acknowledgement
     */
    @ShmExchange("metrics.report")
    Receipt report(Sample sample);

    /**
     * @param query which series and how far back
     * @return the series' aggregate over the window
     */
    @ShmExchange("metrics.query")
    Aggregate query(Query query);

    /**
     * @param bytes any bytes
     * @return the same bytes
     */
    @ShmExchange("echo")
    byte[] echo(byte[] bytes);
}
