package io.shmipc.core;

/**
 * A region's server as an inspector judges it, by the same liveness rules a client applies before it
 * sends a request.
 */
public enum ShmServerState {
    /** A live server serves the region and accepts calls. */
    RUNNING,
    /** A live server is stopping: in-flight calls finish, new ones are refused. */
    DRAINING,
    /** The server stopped cleanly; the file is a leftover about to be removed or replaced. */
    CLOSED,
    /**
     * The region says RUNNING or DRAINING but its server process is gone, stopped past the liveness
     * timeout, or silent past it: what a {@code kill -9} leaves behind.
     */
    DEAD
}
