package io.shmipc.sample.client;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * One way to reach the agent's routes: shared memory through the declarative {@link AgentClient}, or
 * HTTP to the same agent's {@code POST /agent/<route>} endpoints, so one request mix can be timed both ways.
 */
public interface AgentChannel extends AgentClient {

    /** @return "shmipc" or "HTTP", for printing */
    String name();

    /**
     * @param agent the application's shared-memory client of the agent
     * @return shared memory
     */
    static AgentChannel shm(AgentClient agent) {
        return new AgentChannel() {
            @Override
            public AgentApi.Receipt report(AgentApi.Sample sample) {
                return agent.report(sample);
            }

            @Override
            public AgentApi.Aggregate query(AgentApi.Query query) {
                return agent.query(query);
            }

            @Override
            public byte[] echo(byte[] bytes) {
                return agent.echo(bytes);
            }

            @Override
            public String name() {
                return "shmipc";
            }
        };
    }

    /**
     * @param http a client whose base URL is the agent's, e.g. {@code http://localhost:8081}
     * @return HTTP/1.1 with keep-alive to the agent's endpoints, JSON through Spring's converters
     */
    static AgentChannel http(RestClient http) {
        return new AgentChannel() {
            @Override
            public AgentApi.Receipt report(AgentApi.Sample sample) {
                return post("metrics.report", sample, MediaType.APPLICATION_JSON, AgentApi.Receipt.class);
            }

            @Override
            public AgentApi.Aggregate query(AgentApi.Query query) {
                return post("metrics.query", query, MediaType.APPLICATION_JSON, AgentApi.Aggregate.class);
            }

            @Override
            public byte[] echo(byte[] bytes) {
                return post("echo", bytes, MediaType.APPLICATION_OCTET_STREAM, byte[].class);
            }

            private <T> T post(String route, Object body, MediaType type, Class<T> replyType) {
                T reply = http.post()
                        .uri("/agent/{route}", route)
                        .contentType(type)
                        .body(body)
                        .retrieve()
                        .body(replyType);
                if (reply == null) {
                    throw new IllegalStateException("the agent's /agent/" + route + " answered with an empty body");
                }
                return reply;
            }

            @Override
            public String name() {
                return "HTTP";
            }
        };
    }
}
