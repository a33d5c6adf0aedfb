package io.shmipc.core.internal;

/**
 * Where the server's threads report a {@link Throwable} instead of dying with it. The server
 * decides: a broken region file (truncated, replaced, its lock lost) stops the server and releases
 * its lock so that another instance can take over; anything else is logged and the thread carries on.
 */
@FunctionalInterface
public interface ServerFaults {

    /** Logs and lets the thread go on; for tests and tools that run a single component. */
    ServerFaults LOG_ONLY = (thread, cause) -> System.getLogger(ServerFaults.class.getName())
            .log(System.Logger.Level.WARNING, "shmipc server thread " + thread + " caught " + cause, cause);

    /**
     * Called on the failing thread; must not throw.
     *
     * @param thread which thread caught it ("dispatcher", "housekeeper", "worker")
     * @param cause what it caught
     */
    void threadFailed(String thread, Throwable cause);

    /**
     * Called by the housekeeper before every pass, before it touches the region.
     *
     * @return false when the region file is broken or no longer ours; the server has then been stopped
     */
    default boolean filesIntact() {
        return true;
    }
}
