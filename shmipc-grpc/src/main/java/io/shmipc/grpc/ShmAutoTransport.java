package io.shmipc.grpc;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.spring.ShmClientObservationContext;
import io.shmipc.spring.ShmClientRequest;
import io.shmipc.spring.ShmClientResponse;
import io.shmipc.spring.ShmTransport;
import java.time.Duration;
import java.util.Objects;

/**
 * Shared memory when a live local server serves the name, the remote server otherwise; chosen per call.
 *
 * <p>While the local server is up, calls go straight to shared memory and a failure that proves the request
 * was never sent (the server died or stopped) moves that same call to the remote end, because nothing ran.
 * While it is down, the local region is looked at again at most once per {@code localCheckInterval}, so a
 * server that starts is used again within that interval. A failure whose outcome is unknown is never
 * retried anywhere.
 */
public final class ShmAutoTransport implements ShmTransport {

    private final ShmClient client;
    private final ShmTransport local;
    private final ShmTransport remote;
    private final long localCheckIntervalNanos;

    /** When the local region may next be looked at; only while it is known to be down. */
    private volatile long nextLocalCheckNanos;

    private volatile boolean localUp;

    /**
     * @param client the engine client of the name
     * @param remote the remote transport, e.g. {@link ShmGrpcTransport}
     * @param localCheckInterval how often to look for a local server while there is none
     */
    public ShmAutoTransport(ShmClient client, ShmTransport remote, Duration localCheckInterval) {
        this.client = Objects.requireNonNull(client, "client");
        this.local = ShmTransport.of(client);
        this.remote = Objects.requireNonNull(remote, "remote");
        this.localCheckIntervalNanos = localCheckInterval.toNanos();
        this.nextLocalCheckNanos = System.nanoTime();
    }

    /** @return true when the last decision was shared memory */
    public boolean isUsingSharedMemory() {
        return localUp;
    }

    /**
     * The transport the next call would take, looking at the local region again if its check interval has
     * passed.
     *
     * @return {@code shm} while a live local server serves the name, else the remote transport's name
     */
    public String currentTransport() {
        return isLocalUp() ? ShmClientObservationContext.TRANSPORT_SHM : ShmGrpcTransport.TRANSPORT_NAME;
    }

    /** @return the remote transport used when no local server is up */
    public ShmTransport remote() {
        return remote;
    }

    @Override
    public ShmClientResponse exchange(ShmClientRequest request) {
        if (isLocalUp()) {
            try {
                return local.exchange(request);
            } catch (ShmServerUnavailableException ex) {
                if (ex.isOutcomeUnknown()) {
                    throw ex;
                }
                // The request never reached the local server: it is safe to send it elsewhere.
                localDown();
            }
        }
        return remote.exchange(request);
    }

    private boolean isLocalUp() {
        if (localUp) {
            return true;
        }
        long now = System.nanoTime();
        if (now - nextLocalCheckNanos < 0) {
            return false;
        }
        // Racing callers may both look; that costs one extra check, never a wrong answer.
        nextLocalCheckNanos = now + localCheckIntervalNanos;
        localUp = client.isServerAvailable();
        return localUp;
    }

    private void localDown() {
        localUp = false;
        nextLocalCheckNanos = System.nanoTime() + localCheckIntervalNanos;
    }

    @Override
    public String toString() {
        return "ShmAutoTransport[local " + client.name() + ", remote " + remote + "]";
    }
}
