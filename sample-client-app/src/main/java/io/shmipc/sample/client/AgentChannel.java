package io.shmipc.sample.client;

import io.shmipc.spring.ShmTemplate;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * One way to reach the agent's routes: shared memory through {@link ShmTemplate}, or HTTP to the same
 * agent's {@code POST /agent/<route>} endpoints, so one request mix can be timed both ways.
 */
public interface AgentChannel {

    /**
     * @param route the agent's route
     * @param request the request object (JSON both ways)
     * @param replyType the reply type
     * @param <T> the reply type
     * @return the reply
     */
    <T> T call(String route, Object request, Class<T> replyType);

    /**
     * @param request raw bytes
     * @return the bytes the agent returned
     */
    byte[] echo(byte[] request);

    /** @return "shmipc" or "HTTP", for printing */
    String name();

    /**
     * @param template the application's template
     * @return shared memory through the template
     */
    static AgentChannel shm(ShmTemplate template) {
        return new AgentChannel() {
            @Override
            public <T> T call(String route, Object request, Class<T> replyType) {
                return template.call(route, request, replyType);
            }

            @Override
            public byte[] echo(byte[] request) {
                return template.call(AgentApi.ECHO, request);
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
            public <T> T call(String route, Object request, Class<T> replyType) {
                return http.post()
                        .uri("/agent/{route}", route)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(request)
                        .retrieve()
                        .body(replyType);
            }

            @Override
            public byte[] echo(byte[] request) {
                return http.post()
                        .uri("/agent/{route}", AgentApi.ECHO)
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .body(request)
                        .retrieve()
                        .body(byte[].class);
            }

            @Override
            public String name() {
                return "HTTP";
            }
        };
    }
}
