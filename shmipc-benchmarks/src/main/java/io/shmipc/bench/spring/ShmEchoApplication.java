package io.shmipc.bench.spring;

import io.shmipc.spring.ShmHandler;
import java.nio.ByteBuffer;
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
    static final String BUFFER_ROUTE = "echo-buffer";
    static final String MESSAGE_ROUTE = "echo-message";

    /** A small typed object: the shape a typical request/response DTO has. */
    public record Message(long id, String text) {}

    @ShmHandler(BYTES_ROUTE)
    public byte[] echoBytes(byte[] request) {
        return request;
    }

    /** The request's read-only view of the slot, returned as is: a reply in place, no copy. */
    @ShmHandler(BUFFER_ROUTE)
    public ByteBuffer echoBuffer(ByteBuffer request) {
        return request;
    }

    @ShmHandler(MESSAGE_ROUTE)
    public Message echoMessage(Message request) {
        return request;
    }
}
