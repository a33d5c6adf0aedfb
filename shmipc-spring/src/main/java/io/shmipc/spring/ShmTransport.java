package io.shmipc.spring;

import io.shmipc.core.ShmClient;

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
     * @param client the engine client; the caller keeps ownership
     * @return a transport sending through the shared-memory engine
     */
    static ShmTransport of(ShmClient client) {
        return new EngineShmTransport(client);
    }
}
