package io.shmipc.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ResponseReader;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls routes served by {@link ShmHandler} methods in another process. Thread-safe; one per name is
 * enough. {@code byte[]}, {@link java.nio.ByteBuffer}, {@link String} and {@code Void} pass through
 * unchanged, other types go through the {@link ShmCodec} (JSON by default).
 *
 * <p>Failures are the engine's unchecked exceptions: {@link io.shmipc.core.ShmTimeoutException},
 * {@link io.shmipc.core.ShmServerUnavailableException}, {@link io.shmipc.core.ShmRemoteException} (the
 * handler threw), {@link io.shmipc.core.ShmNoHandlerException} and
 * {@link io.shmipc.core.ShmPayloadTooLargeException}.
 */
public class ShmTemplate implements AutoCloseable {

    private static final ShmClientObservationConvention DEFAULT_CONVENTION =
            new DefaultShmClientObservationConvention();

    private final ShmClient client;
    private final ShmCodec codec;
    private final Duration defaultTimeout;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private ShmClientObservationConvention observationConvention;
    private final List<ShmTimeoutListener> timeoutListeners = new CopyOnWriteArrayList<>();
    private Executor asyncExecutor;
    private ExecutorService ownExecutor;

    /**
     * @param client the engine client; the caller keeps ownership and closes it
     * @param codec converts non-pass-through types; may be {@code null} when only pass-through types are used
     * @param defaultTimeout timeout of calls that name none
     */
    public ShmTemplate(ShmClient client, ShmCodec codec, Duration defaultTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.codec = codec;
        this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    }

    /** @param observationRegistry where {@code shmipc.client.requests} observations go */
    public void setObservationRegistry(ObservationRegistry observationRegistry) {
        this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
    }

    /** @param observationConvention replaces {@link DefaultShmClientObservationConvention}; {@code null} restores it */
    public void setObservationConvention(ShmClientObservationConvention observationConvention) {
        this.observationConvention = observationConvention;
    }

    /** @param listener told about every timed-out call */
    public void addTimeoutListener(ShmTimeoutListener listener) {
        timeoutListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * @param asyncExecutor runs {@code callAsync} calls; by default the template's own daemon threads.
     *                      Each call blocks its thread until the reply, so avoid virtual threads: a
     *                      thread waiting in the kernel pins its carrier.
     */
    public synchronized void setAsyncExecutor(Executor asyncExecutor) {
        this.asyncExecutor = asyncExecutor;
    }

    /** @return the engine client this template calls through */
    public ShmClient getClient() {
        return client;
    }

    /**
     * Calls a route with the default timeout.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type; {@code Void.class} ignores the reply
     * @param <T> the reply type
     * @return the reply, {@code null} for an empty one
     */
    public <T> T call(String route, Object request, Class<T> responseType) {
        return call(route, request, responseType, defaultTimeout);
    }

    /**
     * Calls a route.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type; {@code Void.class} ignores the reply
     * @param timeout how long to wait for the reply
     * @param <T> the reply type
     * @return the reply, {@code null} for an empty one
     */
    @SuppressWarnings("unchecked")
    public <T> T call(String route, Object request, Class<T> responseType, Duration timeout) {
        return (T) execute(
                route,
                request,
                ShmPayloads.replyReader(responseType, codec),
                timeout,
                observationRegistry.getCurrentObservation());
    }

    /**
     * Calls a route and reads the reply in place, without copying it out of shared memory: the cheapest
     * way to consume a large reply. A {@link java.nio.ByteBuffer} request (heap or direct) is copied once,
     * straight into the slot. Uses the default timeout.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param replyReader reads the reply from a read-only view that is valid only while it runs
     * @param <T> what the reader returns
     * @return what {@code replyReader} returned
     */
    public <T> T call(String route, Object request, ShmReplyReader<T> replyReader) {
        return call(route, request, replyReader, defaultTimeout);
    }

    /**
     * Calls a route and reads the reply in place; see {@link #call(String, Object, ShmReplyReader)}.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param replyReader reads the reply from a read-only view that is valid only while it runs
     * @param timeout how long to wait for the reply
     * @param <T> what the reader returns
     * @return what {@code replyReader} returned
     */
    public <T> T call(String route, Object request, ShmReplyReader<T> replyReader, Duration timeout) {
        Objects.requireNonNull(replyReader, "replyReader");
        return execute(
                route,
                request,
                ShmPayloads.replyReader(replyReader),
                timeout,
                observationRegistry.getCurrentObservation());
    }

    /**
     * Calls a route with raw bytes both ways and the default timeout.
     *
     * @param route the route
     * @param request the request payload
     * @return the reply payload
     */
    public byte[] call(String route, byte[] request) {
        return call(route, request, byte[].class, defaultTimeout);
    }

    /**
     * Calls a route on another thread with the default timeout.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type
     * @param <T> the reply type
     * @return the reply, completed exceptionally with the engine's exception on failure
     */
    public <T> CompletableFuture<T> callAsync(String route, Object request, Class<T> responseType) {
        return callAsync(route, request, responseType, defaultTimeout);
    }

    /**
     * Calls a route on another thread.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type
     * @param timeout how long to wait for the reply
     * @param <T> the reply type
     * @return the reply, completed exceptionally with the engine's exception on failure
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> callAsync(String route, Object request, Class<T> responseType, Duration timeout) {
        // The caller's observation is thread-local; capture it so the async span has the right parent.
        Observation parent = observationRegistry.getCurrentObservation();
        return CompletableFuture.supplyAsync(
                () -> (T) execute(route, request, ShmPayloads.replyReader(responseType, codec), timeout, parent),
                executor());
    }

    /** One observed call: the request is written into the slot and the reply read from it, with no copies between. */
    private <T> T execute(
            String route, Object request, ResponseReader<T> reader, Duration timeout, Observation parent) {
        ShmClientObservationContext context = new ShmClientObservationContext(client.name(), route);
        Observation observation = Observation.createNotStarted(
                        observationConvention, DEFAULT_CONVENTION, () -> context, observationRegistry)
                .parentObservation(parent);
        try {
            return observation.observe(() -> client.call(
                    route, context.getCarrier(), ShmPayloads.requestWriter(request, codec), reader, timeout));
        } catch (ShmTimeoutException ex) {
            for (ShmTimeoutListener listener : timeoutListeners) {
                listener.onTimeout(route, ex);
            }
            throw ex;
        }
    }

    private synchronized Executor executor() {
        if (asyncExecutor == null) {
            AtomicInteger count = new AtomicInteger();
            ownExecutor = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "shmipc-template-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            asyncExecutor = ownExecutor;
        }
        return asyncExecutor;
    }

    /** Stops the template's own async threads, if it started any. Does not close the {@link ShmClient}. */
    @Override
    public synchronized void close() {
        if (ownExecutor != null) {
            ownExecutor.shutdown();
            ownExecutor = null;
            asyncExecutor = null;
        }
    }
}
