package io.shmipc.core;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The one server for a name. Opening it takes the single-server lock, creates the region (or takes
 * over one left by a dead server), and starts the dispatch thread that calls the handler.
 */
public final class ShmServer implements AutoCloseable {

    private ShmServer() {
    }

    /**
     * Starts a server.
     *
     * @param name the shmipc name: {@code [A-Za-z0-9._-]}, at most 100 characters, not starting with a dot
     * @param config settings; geometry and file mode come from here
     * @param handler serves every request
     * @return the running server
     * @throws ShmServerAlreadyRunningException when another server holds the name
     * @throws ShmProtocolException when a region of another magic or layout version is in the way
     * @throws ShmException when the region cannot be created (the message says why)
     */
    public static ShmServer start(String name, ShmConfig config, ShmRequestHandler handler) {
        throw new UnsupportedOperationException("not yet built");
    }

    /** @return the shmipc name */
    public String name() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** @return the region file */
    public Path path() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** @return this server's epoch: the number of server starts on this region, this one included */
    public long epoch() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** @return true from start until close begins */
    public boolean isRunning() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** @return a snapshot of the region header and slot usage */
    public ShmRegionInfo info() {
        throw new UnsupportedOperationException("not yet built");
    }

    /**
     * Stops gracefully: refuses new requests at once, lets in-flight ones finish within {@code grace},
     * fails what is left, wakes every waiter, deletes the region and lock files and ends its threads.
     * Idempotent.
     *
     * @param grace how long in-flight requests may take to finish
     */
    public void close(Duration grace) {
        throw new UnsupportedOperationException("not yet built");
    }

    /** Stops gracefully with {@link ShmConfig#shutdownGrace()}. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet built");
    }
}
