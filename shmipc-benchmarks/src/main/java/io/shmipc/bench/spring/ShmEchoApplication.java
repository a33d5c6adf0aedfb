package io.shmipc.bench.spring;

import io.shmipc.spring.ShmHandler;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The Spring side of the ShmTemplate transport: the same app serves (role server) or calls (role
 * client), as two processes of one application would. No component scan.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ShmEchoApplication {

    static final String BYTES_ROUTE = "echo-bytes";
    static final String JSON_ROUTE = "echo-json";

    /** A small JSON object: the shape a typical request/response DTO has. */
    public record Message(long id, String text) {}

    @ShmHandler(BYTES_ROUTE)
    public byte[] echoBytes(byte[] request) {
        return request;
    }

    @ShmHandler(JSON_ROUTE)
    public Message echoJson(Message request) {
        return request;
    }
}
