package io.shmipc.spring;

import io.shmipc.core.ShmClient;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One encoded request on its way from {@link ShmTemplate} to the {@link ShmTransport}: what a
 * {@link ShmClientInterceptor} sees. The headers are mutable, so interceptors can add some; each added
 * header is checked at once.
 *
 * <pre>{@code
 * ShmClientInterceptor tenant = (request, execution) -> {
 *     request.header("tenant", TenantContext.current());
 *     return execution.execute(request);
 * };
 * }</pre>
 */
public final class ShmClientRequest {

    private final String route;
    /** The caller's map while nobody adds a header (no copy on the common path), then a private copy. */
    private Map<String, String> headers;

    private boolean ownHeaders;
    private final byte[] body;
    private final Duration timeout;

    /**
     * @param route the route
     * @param headers the request headers; copied before the first change, so the caller may not change them
     * @param body the encoded payload
     * @param timeout how long to wait for the reply
     */
    public ShmClientRequest(String route, Map<String, String> headers, byte[] body, Duration timeout) {
        this.route = Objects.requireNonNull(route, "route");
        this.headers = headers.isEmpty() ? Map.of() : headers;
        this.body = Objects.requireNonNull(body, "body");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** @return the route */
    public String route() {
        return route;
    }

    /** @return the request headers (including the trace context), read-only; see {@link #header} to add */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /**
     * Adds or replaces a header.
     *
     * @param name the header name
     * @param value the header value
     * @return this request
     * @throws IllegalArgumentException at once when the header cannot be encoded
     */
    public ShmClientRequest header(String name, String value) {
        ShmClient.checkHeader(name, value);
        writableHeaders().put(name, value);
        return this;
    }

    /** Adds headers already checked (the trace context); no copy when there are none. */
    void addHeaders(Map<String, String> more) {
        if (!more.isEmpty()) {
            writableHeaders().putAll(more);
        }
    }

    private Map<String, String> writableHeaders() {
        if (!ownHeaders) {
            headers = new LinkedHashMap<>(headers);
            ownHeaders = true;
        }
        return headers;
    }

    /** @return the encoded payload; do not modify it */
    public byte[] body() {
        return body;
    }

    /** @return how long to wait for the reply */
    public Duration timeout() {
        return timeout;
    }

    /** Live view for the transport: no copy on the hot path. */
    Map<String, String> headerMap() {
        return headers;
    }

    @Override
    public String toString() {
        return "ShmClientRequest[route=" + route + ", headers=" + headers + ", " + body.length + " bytes, timeout="
                + timeout + "]";
    }
}
