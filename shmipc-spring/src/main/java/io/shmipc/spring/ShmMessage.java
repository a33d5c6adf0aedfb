package io.shmipc.spring;

import io.shmipc.core.ShmRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * A request seen as a spring-messaging {@link Message}, so handler methods are invoked by
 * {@link org.springframework.messaging.handler.invocation.InvocableHandlerMethod}. The payload is the request
 * itself (decoding is the payload resolver's job); the headers are built only when a resolver asks for
 * them, without the generated id and timestamp a {@link MessageHeaders} would otherwise cost per request.
 * Valid only while the request is.
 */
final class ShmMessage implements Message<ShmRequest> {

    private final ShmRequest request;
    private @Nullable MessageHeaders headers;
    private @Nullable ShmRequestContext context;

    ShmMessage(ShmRequest request) {
        this.request = request;
    }

    @Override
    public ShmRequest getPayload() {
        return request;
    }

    @Override
    public MessageHeaders getHeaders() {
        MessageHeaders built = headers;
        if (built == null) {
            built = headers = new RequestHeaders(new HashMap<>(request.headers()));
        }
        return built;
    }

    /** @return what the handler may learn about the request besides its payload */
    ShmRequestContext context() {
        ShmRequestContext built = context;
        if (built == null) {
            long deadline = request.deadlineEpochMillis();
            built = context = new ShmRequestContext(
                    request.route(),
                    request.clientPid(),
                    request.requestId(),
                    deadline > 0 ? Instant.ofEpochMilli(deadline) : null,
                    request.headers());
        }
        return built;
    }

    /** Message headers with neither an id nor a timestamp: a request is identified by its request id. */
    private static final class RequestHeaders extends MessageHeaders {

        private static final long serialVersionUID = 1L;

        RequestHeaders(Map<String, Object> headers) {
            super(headers, ID_VALUE_NONE, -1L);
        }
    }
}
