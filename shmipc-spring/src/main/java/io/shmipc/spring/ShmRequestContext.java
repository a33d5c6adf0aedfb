package io.shmipc.spring;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ShmHandler} method may learn about the request besides its payload. Declare a parameter
 * of this type to receive it.
 *
 * @param route the route the client called
 * @param clientPid the client's process id, as the client saw it
 * @param requestId the client's request id, unique per client process
 * @param deadline when the client gives up waiting, or {@code null} when unknown; work past it is wasted
 * @param headers small string headers the client sent (e.g. trace context); never {@code null}
 */
public record ShmRequestContext(
        String route,
        long clientPid,
        long requestId,
        @Nullable Instant deadline,
        Map<String, String> headers) {

    /** Copies the headers, so the context outlives the request it came from. */
    public ShmRequestContext {
        headers = Map.copyOf(headers);
    }
}
