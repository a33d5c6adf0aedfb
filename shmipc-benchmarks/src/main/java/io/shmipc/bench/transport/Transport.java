package io.shmipc.bench.transport;

import org.jspecify.annotations.Nullable;

/**
 * One way of doing a request/response round trip between two processes. The server side runs in
 * its own JVM; the client side opens one {@link Caller} per calling thread.
 */
public interface Transport {

    /** @return the short name used on the command line and in the results */
    String id();

    /** What kind of address the server listens on; the orchestrator picks a fresh one per session. */
    enum EndpointKind {
        /** A shmipc name, in the engine's default directory. */
        SHM_NAME,
        /** A file path in shared memory (/dev/shm where it exists). */
        SHARED_FILE,
        /** A Unix domain socket path. */
        SOCKET_FILE,
        /** A free TCP port on loopback. */
        TCP_PORT
    }

    /** @return the kind of endpoint {@link #startServer} and {@link #connect} take */
    EndpointKind endpointKind();

    /** @return null when this transport can run here, else why it cannot (reported as "not run") */
    default @Nullable String unavailableReason() {
        return null;
    }

    /**
     * @return true when a waiting side burns a core; such transports are not run where waiters
     *         would outnumber the vCPUs, because there they measure the scheduler, not the transport
     */
    default boolean spins() {
        return false;
    }

    /** @return true when several callers (threads or processes) may share one server */
    default boolean multiClient() {
        return true;
    }

    /** @return true when the threads-N and virtual-threads-N scenarios beyond 4 callers run for it */
    default boolean manyCallers() {
        return false;
    }

    /** @return true when {@link Caller#callZeroCopy} avoids the byte[] copies */
    default boolean zeroCopy() {
        return false;
    }

    /**
     * @return the shortest warm-up of each call shape, in milliseconds: paths with much more code to
     *     compile (a codec on each side) need longer before their latency can be judged level
     */
    default long warmupMinMillis() {
        return 0;
    }

    /**
     * Starts the server in this JVM.
     *
     * @param endpoint where to listen: a file name, socket path or port, chosen by the orchestrator
     */
    AutoCloseable startServer(String endpoint) throws Exception;

    /** Opens a caller for one client thread. */
    Caller connect(String endpoint) throws Exception;
}
