package io.shmipc.core;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A request and its reply held in this process's memory instead of a slot, so that the same
 * {@link ShmRequestHandler} can serve calls that arrive by another transport (gRPC) or from a test.
 *
 * <p>It behaves as a slot does: the payload area has a fixed capacity, the reply overwrites the request
 * in place, and a reply longer than the capacity is refused with {@link ShmPayloadTooLargeException}.
 * Not thread-safe: one exchange serves one call on one thread.
 *
 * <pre>{@code
 * ShmInMemoryExchange exchange = ShmInMemoryExchange.of("echo", Map.of(), payload, 64 * 1024);
 * handler.handle(exchange, exchange);
 * byte[] reply = exchange.replyBytes();
 * }</pre>
 */
public final class ShmInMemoryExchange implements ShmRequest, ShmResponse {

    private final String route;
    private final Map<String, String> headers;
    private final int capacity;
    private final long requestId;
    private final long clientPid;
    private final long deadlineEpochMillis;
    /** Request, then reply; as long as the payload until a handler asks for the whole area. */
    private byte[] data;

    private int size;

    private Map<String, String> replyHeaders = Map.of();

    private ShmInMemoryExchange(
            String route,
            Map<String, String> headers,
            int capacity,
            byte[] data,
            int size,
            long requestId,
            long clientPid,
            long deadlineEpochMillis) {
        this.route = route;
        this.headers = headers;
        this.capacity = capacity;
        this.data = data;
        this.size = size;
        this.requestId = requestId;
        this.clientPid = clientPid;
        this.deadlineEpochMillis = deadlineEpochMillis;
    }

    /**
     * An exchange for one call from this process, with no deadline.
     *
     * @param route the route called
     * @param headers the request's headers
     * @param payload the request payload; copied
     * @param capacity the largest request or reply, in bytes
     * @return the exchange, holding the request
     * @throws ShmPayloadTooLargeException when {@code payload} is longer than {@code capacity}
     */
    public static ShmInMemoryExchange of(String route, Map<String, String> headers, byte[] payload, int capacity) {
        return of(route, headers, payload, capacity, 0, ProcessHandle.current().pid(), 0);
    }

    /**
     * An exchange for a call that arrived from elsewhere.
     *
     * @param route the route called
     * @param headers the request's headers
     * @param payload the request payload; copied
     * @param capacity the largest request or reply, in bytes
     * @param requestId the caller's request id, or 0 when unknown
     * @param clientPid the caller's process id, or 0 when unknown
     * @param deadlineEpochMillis when the caller gives up, in epoch milliseconds; 0 when unknown
     * @return the exchange, holding the request
     * @throws ShmPayloadTooLargeException when {@code payload} is longer than {@code capacity}
     */
    public static ShmInMemoryExchange of(
            String route,
            Map<String, String> headers,
            byte[] payload,
            int capacity,
            long requestId,
            long clientPid,
            long deadlineEpochMillis) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(payload, "payload");
        if (payload.length > capacity) {
            throw new ShmPayloadTooLargeException("request", payload.length, capacity);
        }
        return new ShmInMemoryExchange(
                route,
                Map.copyOf(headers),
                capacity,
                payload.clone(),
                payload.length,
                requestId,
                clientPid,
                deadlineEpochMillis);
    }

    /** @return a copy of the reply (after the handler ran) or of the request (before) */
    public byte[] replyBytes() {
        return Arrays.copyOf(data, size);
    }

    /** @return the headers the handler set on its reply; empty if none */
    public Map<String, String> replyHeaders() {
        return replyHeaders;
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public MemorySegment payload() {
        return MemorySegment.ofArray(data).asSlice(0, size).asReadOnly();
    }

    @Override
    public ByteBuffer payloadBuffer() {
        return payload().asByteBuffer();
    }

    @Override
    public byte[] payloadBytes() {
        return replyBytes();
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public long requestId() {
        return requestId;
    }

    @Override
    public long clientPid() {
        return clientPid;
    }

    @Override
    public long deadlineEpochMillis() {
        return deadlineEpochMillis;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void write(byte[] reply) {
        checkCapacity(reply.length);
        data = reply.clone();
        size = reply.length;
    }

    @Override
    public void write(ByteBuffer reply) {
        int length = reply.remaining();
        checkCapacity(length);
        data = new byte[length];
        reply.duplicate().get(data);
        size = length;
    }

    @Override
    public MemorySegment buffer() {
        if (data.length < capacity) {
            // Only a handler that writes in place pays for the whole area.
            data = Arrays.copyOf(data, capacity);
        }
        return MemorySegment.ofArray(data);
    }

    @Override
    public void commit(int length) {
        checkCapacity(length);
        if (length > data.length) {
            throw new IllegalStateException(
                    "commit(" + length + ") beyond the " + data.length + " bytes written; write into buffer() first");
        }
        size = length;
    }

    @Override
    public void headers(Map<String, String> headers) {
        headers.forEach(ShmClient::checkHeader);
        replyHeaders = Map.copyOf(headers);
    }

    private void checkCapacity(int length) {
        if (length < 0 || length > capacity) {
            throw new ShmPayloadTooLargeException("reply", length, capacity);
        }
    }
}
