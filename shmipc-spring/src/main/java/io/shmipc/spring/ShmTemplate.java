package io.shmipc.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmTimeoutException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Function;

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
    private volatile Executor asyncExecutor;

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
     * @param asyncExecutor where {@code callAsync} decodes replies and completes its futures (so where
     *                      dependent stages added with the non-async methods run); {@code null}, the
     *                      default, does it on the engine's reply thread, which suits short,
     *                      non-blocking stages. No thread waits for a reply either way.
     */
    public void setAsyncExecutor(Executor asyncExecutor) {
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
        return (T) execute(route, request, responseType, timeout, observationRegistry.getCurrentObservation());
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
     * Calls a route without waiting, with the default timeout.
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
     * Calls a route without waiting: the request is encoded and sent (or queued for a free slot) on the
     * calling thread, and no thread waits for the reply. The reply is decoded on the engine's reply
     * thread, or on the {@linkplain #setAsyncExecutor async executor} when one is set.
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
        ShmClientObservationContext context = new ShmClientObservationContext(client.name(), route);
        // The caller's observation is thread-local: it is the parent of this call's, wherever the reply lands.
        Observation observation = Observation.createNotStarted(
                        observationConvention, DEFAULT_CONVENTION, () -> context, observationRegistry)
                .parentObservation(observationRegistry.getCurrentObservation())
                .start();
        CompletableFuture<byte[]> reply;
        try {
            reply = client.callAsync(route, context.getCarrier(), ShmPayloads.encode(request, codec), timeout);
        } catch (RuntimeException ex) {
            reply = CompletableFuture.failedFuture(ex);
        }
        Function<byte[], T> decode = bytes -> (T) ShmPayloads.decode(bytes, responseType, codec);
        Executor executor = asyncExecutor;
        CompletableFuture<T> result =
                executor == null ? reply.thenApply(decode) : reply.thenApplyAsync(decode, executor);
        return result.whenComplete((value, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof ShmTimeoutException timeoutException) {
                    timeoutListeners.forEach(listener -> listener.onTimeout(route, timeoutException));
                }
                observation.error(cause);
            }
            observation.stop();
        });
    }

    private Object execute(String route, Object request, Type responseType, Duration timeout, Observation parent) {
        ShmClientObservationContext context = new ShmClientObservationContext(client.name(), route);
        Observation observation = Observation.createNotStarted(
                        observationConvention, DEFAULT_CONVENTION, () -> context, observationRegistry)
                .parentObservation(parent);
        try {
            return observation.observe(() -> {
                byte[] payload = ShmPayloads.encode(request, codec);
                byte[] reply = client.call(route, context.getCarrier(), payload, timeout);
                return ShmPayloads.decode(reply, responseType, codec);
            });
        } catch (ShmTimeoutException ex) {
            for (ShmTimeoutListener listener : timeoutListeners) {
                listener.onTimeout(route, ex);
            }
            throw ex;
        }
    }

    /**
     * Does nothing: the template owns no threads (async calls wait in the engine, not in threads). Kept
     * so that containers and try-with-resources can treat it as a resource. Does not close the
     * {@link ShmClient}.
     */
    @Override
    public void close() {}
}
