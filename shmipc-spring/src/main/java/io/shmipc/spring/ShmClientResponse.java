package io.shmipc.spring;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * One successful reply, still encoded, as a {@link ShmTransport} returns it and a {@link ShmClientInterceptor}
 * sees it. Failed calls do not produce one: they throw the engine's exceptions.
 *
 * <pre>{@code
 * ShmClientResponse reply = execution.execute(request);
 * log.debug("{} -> {} bytes, headers {}", request.route(), reply.body().length, reply.headers());
 * }</pre>
 *
 * @param body the encoded reply payload, empty for an empty reply; do not modify it
 * @param headers the reply headers the handler set, read-only, empty when none
 */
public record ShmClientResponse(byte[] body, Map<String, String> headers) {

    /** Makes the headers read-only without copying them. */
    public ShmClientResponse {
        Objects.requireNonNull(body, "body");
        headers = headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(headers);
    }
}
