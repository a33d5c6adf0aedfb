package io.shmipc.spring;

import io.shmipc.core.RequestWriter;
import io.shmipc.core.ResponseReader;
import io.shmipc.core.ShmClient;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The default {@link ShmTransport}: one call of the shared-memory engine per request. */
final class EngineShmTransport implements ShmTransport, ResponseReader<ShmClientResponse> {

    private final ShmClient client;

    EngineShmTransport(ShmClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public ShmClientResponse exchange(ShmClientRequest request) {
        // The byte[] overload checks the size before anything is written; the reply is copied out of the
        // slot together with its headers, which the engine decodes only when the handler set some.
        return client.call(request.route(), request.headerMap(), request.body(), this, request.timeout());
    }

    /**
     * The zero-copy exchange {@link ShmTemplate} uses when no interceptor needs the payload as bytes: the
     * request is written straight into the slot and the reply read straight from it.
     */
    <T> T exchange(
            String route,
            Map<String, String> headers,
            RequestWriter writer,
            ResponseReader<T> reader,
            Duration timeout) {
        return client.call(route, headers, writer, reader, timeout);
    }

    @Override
    public CompletableFuture<ShmClientResponse> exchangeAsync(ShmClientRequest request, Executor executor) {
        // No thread waits: the engine queues the call for a slot if need be and completes it from its reply thread.
        return client.callAsync(request.route(), request.headerMap(), request.body(), this, request.timeout());
    }

    @Override
    public ShmClientResponse read(MemorySegment reply) {
        return read(reply, Map.of());
    }

    @Override
    public ShmClientResponse read(MemorySegment reply, Map<String, String> headers) {
        return new ShmClientResponse(reply.toArray(ValueLayout.JAVA_BYTE), headers);
    }

    @Override
    public String toString() {
        return "EngineShmTransport[" + client.name() + "]";
    }
}
