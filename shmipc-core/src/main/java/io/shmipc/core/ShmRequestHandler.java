package io.shmipc.core;

import java.util.concurrent.Executor;

/**
 * Serves requests on the server. Called on a server thread, one call per request.
 *
 * <p>Contract: read what you need from {@code request} before writing to {@code response}, because
 * the reply overwrites the request in place. Neither object may be used after the method returns.
 * A thrown exception reaches the client as {@link ShmRemoteException} (type and message only);
 * {@link ShmNoHandlerException} reaches it as itself. The server carries on either way.
 */
@FunctionalInterface
public interface ShmRequestHandler {

    /**
     * @param request the request, valid only during this call
     * @param response where the reply goes; an untouched response is an empty reply
     * @throws Exception any failure, reported to the client
     */
    void handle(ShmRequest request, ShmResponse response) throws Exception;

    /**
     * Chooses where {@link #handle} runs for this request. Called on the dispatch thread, after the
     * request is read and before {@code handle}; it must be quick and must not block. Returning an
     * executor frees the dispatch thread for the next request while this one runs there (for blocking or
     * asynchronous handlers); the request keeps its slot until {@code handle} returns. Ignored when the
     * server runs a fixed worker pool ({@link ShmConfig#serverConcurrency()} above 1).
     *
     * @param request the request, valid only during this call
     * @return the executor to run {@code handle} on, or {@code null} (the default) to run it on the dispatch
     *     thread
     */
    default Executor executorFor(ShmRequest request) {
        return null;
    }
}
