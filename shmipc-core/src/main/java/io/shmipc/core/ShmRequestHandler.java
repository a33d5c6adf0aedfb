package io.shmipc.core;

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
}
