package io.shmipc.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A client of the server for a name. Thread-safe: share one per name and process. Connects lazily on
 * the first call, and reconnects by itself when a server comes back after stopping or dying.
 */
public final class ShmClient implements AutoCloseable {

    /**
     * Creates a client. Does no I/O; see {@link #connect()} to fail fast.
     *
     * @param name the shmipc name
     * @param config settings; the wait mode, spin time and liveness timeout apply, geometry comes from the server
     */
    public ShmClient(String name, ShmConfig config) {
        throw new UnsupportedOperationException("not yet built");
    }

    /** @return the shmipc name */
    public String name() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** @return the region file this client maps */
    public Path path() {
        throw new UnsupportedOperationException("not yet built");
    }

    /**
     * Connects now instead of on the first call.
     *
     * @throws ShmServerUnavailableException when no live server serves the name
     * @throws ShmProtocolException when the region has another magic or layout version
     */
    public void connect() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** @return true when a live server serves the name right now */
    public boolean isServerAvailable() {
        throw new UnsupportedOperationException("not yet built");
    }

    /**
     * @return the current region header, or null when no region is there
     */
    public ShmRegionInfo info() {
        throw new UnsupportedOperationException("not yet built");
    }

    /**
     * Calls a route with a byte payload.
     *
     * @param route the route, at most 128 UTF-8 bytes
     * @param request the request payload
     * @param timeout how long to wait for the reply
     * @return the reply payload
     * @throws ShmTimeoutException when no reply came in time
     * @throws ShmServerUnavailableException when no live server serves the name, or it went away
     * @throws ShmPayloadTooLargeException when the request exceeds the slot capacity (nothing was sent)
     * @throws ShmRemoteException when the handler threw
     * @throws ShmNoHandlerException when the server has no handler for the route
     * @throws ShmProtocolException when shared memory was corrupted under this call
     */
    public byte[] call(String route, byte[] request, Duration timeout) {
        throw new UnsupportedOperationException("not yet built");
    }

    /**
     * Calls a route with a byte payload and headers (e.g. trace context).
     *
     * @param route the route
     * @param headers small string headers; at most 320 bytes encoded in all
     * @param request the request payload
     * @param timeout how long to wait for the reply
     * @return the reply payload
     * @see #call(String, byte[], Duration)
     */
    public byte[] call(String route, Map<String, String> headers, byte[] request, Duration timeout) {
        throw new UnsupportedOperationException("not yet built");
    }

    /**
     * Zero-copy call: {@code writer} writes the request into the slot and {@code reader} reads the
     * reply from it.
     *
     * @param route the route
     * @param headers small string headers, may be empty
     * @param writer writes the request into the slot
     * @param reader decodes the reply
     * @param timeout how long to wait for the reply
     * @param <T> the decoded reply type
     * @return what {@code reader} returned
     * @see #call(String, byte[], Duration)
     */
    public <T> T call(String route, Map<String, String> headers, RequestWriter writer,
                      ResponseReader<T> reader, Duration timeout) {
        throw new UnsupportedOperationException("not yet built");
    }

    /** Releases the mapping and the client registration. Calls in progress fail. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet built");
    }
}
