package io.shmipc.spring;

import io.shmipc.core.ShmClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What carries an encoded request to a server and brings its reply back: the seam under
 * {@link ShmTemplate}. The default sends through the shared-memory engine ({@link #of(ShmClient)});
 * tests bind an in-process one ({@code MockShmServer}), and other transports can sit here without the
 * template, its interceptors or its callers changing.
 *
 * <pre>{@code
 * ShmTemplate template = ShmTemplate.builder(client).transport(ShmTransport.of(client)).build();
 * }</pre>
 */
@FunctionalInterface
public interface ShmTransport {

    /**
     * Sends one request and waits for its reply.
     *
     * @param request the encoded request
     * @return the reply
     * @throws io.shmipc.core.ShmException the engine's exceptions on failure, as {@link ShmClient#call} throws them
     */
    ShmClientResponse exchange(ShmClientRequest request);

    /**
     * Sends one request without waiting for its reply. The default runs {@link #exchange} on
     * {@code executor}, a thread per outstanding call; the engine's transport overrides it with an
     * exchange that holds no thread while it waits.
     *
     * @param request the encoded request
     * @param executor where a transport without an asynchronous exchange may block for the reply
     * @return the reply, or a future failed with the engine's exceptions
     */
    default CompletableFuture<ShmClientResponse> exchangeAsync(ShmClientRequest request, Executor executor) {
        return CompletableFuture.supplyAsync(() -> exchange(request), executor);
    }

    /**
     * @param client the engine client; the caller keeps ownership
     * @return a transport sending through the shared-memory engine
     */
    static ShmTransport of(ShmClient client) {
        return new EngineShmTransport(client);
    }
}
