package io.shmipc.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ResponseReader;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmTimeoutException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;

/**
 * The {@link ShmOperations} of shmipc: calls routes served by {@link ShmHandler} methods in another
 * process. Thread-safe; one per name is enough. {@code byte[]}, {@link java.nio.ByteBuffer}, {@link String}
 * and {@code Void} pass through unchanged, other types go through the {@link ShmCodec} (JSON by default).
 * Build one with {@link #builder(ShmClient)}; in Spring Boot inject the auto-configured bean, or a
 * {@link ShmTemplateBuilder} to make another.
 *
 * <pre>{@code
 * ShmTemplate template = ShmTemplate.builder(client).codec(codec).interceptor(tenantInterceptor).build();
 * Receipt receipt = template.call("orders.place", order, Receipt.class);
 * Receipt same = template.route("orders.place").header("tenant", "t1").body(order).retrieve(Receipt.class);
 * }</pre>
 *
 * <p>Each call runs: encode the body, start a {@code shmipc.client.requests} observation (its trace
 * context joins the headers), run the {@link ShmClientInterceptor}s, exchange through the
 * {@link ShmTransport}, decode the reply. Failures are the engine's unchecked exceptions:
 * {@link io.shmipc.core.ShmTimeoutException}, {@link io.shmipc.core.ShmServerUnavailableException},
 * {@link io.shmipc.core.ShmRemoteException} (the handler threw), {@link io.shmipc.core.ShmNoHandlerException}
 * and {@link io.shmipc.core.ShmPayloadTooLargeException}.
 */
public class ShmTemplate implements ShmOperations, AutoCloseable {

    private static final ShmClientObservationConvention DEFAULT_CONVENTION =
            new DefaultShmClientObservationConvention();

    private final ShmClient client;
    private final @Nullable ShmCodec codec;
    private final Duration defaultTimeout;
    private volatile ShmTransport transport;
    private volatile List<ShmClientInterceptor> interceptors = List.of();
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private @Nullable ShmClientObservationConvention observationConvention;
    private final List<ShmTimeoutListener> timeoutListeners = new CopyOnWriteArrayList<>();
    private @Nullable Executor asyncExecutor;
    private @Nullable ExecutorService ownExecutor;
    /** The executor the user set, if any; {@link #asyncExecutor} may be the template's own pool. */
    private volatile @Nullable Executor userExecutor;

    /**
     * Prefer {@link #builder(ShmClient)}.
     *
     * @param client the engine client; the caller keeps ownership and closes it
     * @param codec converts non-pass-through types; may be {@code null} when only pass-through types are used
     * @param defaultTimeout timeout of calls that name none
     */
    public ShmTemplate(ShmClient client, @Nullable ShmCodec codec, Duration defaultTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.codec = codec;
        this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        this.transport = ShmTransport.of(client);
    }

    /**
     * @param client the engine client; the caller keeps ownership and closes it
     * @return a builder with the engine transport, no codec and a 5 s default timeout
     */
    public static ShmTemplateBuilder builder(ShmClient client) {
        return new ShmTemplateBuilder(client);
    }

    /** @param observationRegistry where {@code shmipc.client.requests} observations go */
    public void setObservationRegistry(ObservationRegistry observationRegistry) {
        this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
    }

    /** @param observationConvention replaces {@link DefaultShmClientObservationConvention}; {@code null} restores it */
    public void setObservationConvention(@Nullable ShmClientObservationConvention observationConvention) {
        this.observationConvention = observationConvention;
    }

    /** @param listener told about every timed-out call */
    public void addTimeoutListener(ShmTimeoutListener listener) {
        timeoutListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param interceptors run around every call, in this order (the first outermost); replaces earlier ones */
    public void setInterceptors(List<? extends ShmClientInterceptor> interceptors) {
        this.interceptors = List.copyOf(interceptors);
    }

    /** @return the interceptors, in the order they run */
    public List<ShmClientInterceptor> getInterceptors() {
        return interceptors;
    }

    /**
     * Replaces what carries requests; {@code MockShmServer} binds itself here.
     *
     * @param transport the new transport
     */
    public void setTransport(ShmTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** @return what carries requests; by default the shared-memory engine */
    public ShmTransport getTransport() {
        return transport;
    }

    /**
     * @param asyncExecutor where async calls decode replies and complete their futures (so where
     *                      dependent stages added with the non-async methods run); {@code null}, the
     *                      default, does it on the engine's reply thread, which suits short, non-blocking
     *                      stages. No thread waits for a reply either way. With a transport without an
     *                      asynchronous exchange, this executor also runs the calls themselves; by default
     *                      the template's own daemon threads do. Interceptors never need it (see
     *                      {@link ShmClientInterceptor#interceptAsync}).
     */
    public synchronized void setAsyncExecutor(@Nullable Executor asyncExecutor) {
        this.asyncExecutor = asyncExecutor;
        this.userExecutor = asyncExecutor;
    }

    /** @return the engine client this template calls through */
    public ShmClient getClient() {
        return client;
    }

    /** @return the codec of non-pass-through types, or {@code null} when there is none */
    public @Nullable ShmCodec getCodec() {
        return codec;
    }

    /** @return the timeout of calls that name none */
    public Duration getDefaultTimeout() {
        return defaultTimeout;
    }

    // ------------------------------------------------------------------ ShmOperations

    @Override
    public <T> @Nullable T call(String route, @Nullable Object request, Class<T> responseType) {
        return call(route, request, responseType, defaultTimeout);
    }

    @Override
    public <T> @Nullable T call(String route, @Nullable Object request, Class<T> responseType, Duration timeout) {
        return execute(
                route, Map.of(), request, timeout, currentObservation(), bodyOf(responseType), inPlace(responseType));
    }

    /**
     * Calls a route and reads the reply in place, without copying it out of shared memory: the cheapest
     * way to consume a large reply. A {@link java.nio.ByteBuffer} request (heap or direct) is copied once,
     * straight into the slot. Uses the default timeout. With {@link ShmClientInterceptor}s or another
     * {@link ShmTransport}, which see payloads as {@code byte[]}, the reader gets a view of a copy.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param replyReader reads the reply from a read-only view that is valid only while it runs
     * @param <T> what the reader returns
     * @return what {@code replyReader} returned
     */
    public <T> @Nullable T call(String route, @Nullable Object request, ShmReplyReader<T> replyReader) {
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
    public <T> @Nullable T call(
            String route, @Nullable Object request, ShmReplyReader<T> replyReader, Duration timeout) {
        Objects.requireNonNull(replyReader, "replyReader");
        return execute(
                route,
                Map.of(),
                request,
                timeout,
                currentObservation(),
                reply -> replyReader.read(ByteBuffer.wrap(reply.body()).asReadOnlyBuffer()),
                ShmPayloads.replyReader(replyReader));
    }

    @Override
    public <T> @Nullable T call(String route, @Nullable Object request, ParameterizedTypeReference<T> responseType) {
        return call(route, request, responseType, defaultTimeout);
    }

    @Override
    public <T> @Nullable T call(
            String route, @Nullable Object request, ParameterizedTypeReference<T> responseType, Duration timeout) {
        return execute(
                route,
                Map.of(),
                request,
                timeout,
                currentObservation(),
                bodyOf(responseType.getType()),
                inPlace(responseType.getType()));
    }

    @Override
    public byte[] call(String route, byte[] request) {
        return execute(route, Map.of(), request, defaultTimeout, currentObservation(), ShmClientResponse::body);
    }

    @Override
    public <T> CompletableFuture<@Nullable T> callAsync(String route, @Nullable Object request, Class<T> responseType) {
        return callAsync(route, request, responseType, defaultTimeout);
    }

    @Override
    public <T> CompletableFuture<@Nullable T> callAsync(
            String route, @Nullable Object request, Class<T> responseType, Duration timeout) {
        return executeAsync(route, Map.of(), request, timeout, bodyOf(responseType));
    }

    @Override
    public <T> CompletableFuture<@Nullable T> callAsync(
            String route, @Nullable Object request, ParameterizedTypeReference<T> responseType) {
        return callAsync(route, request, responseType, defaultTimeout);
    }

    @Override
    public <T> CompletableFuture<@Nullable T> callAsync(
            String route, @Nullable Object request, ParameterizedTypeReference<T> responseType, Duration timeout) {
        return executeAsync(route, Map.of(), request, timeout, bodyOf(responseType.getType()));
    }

    @Override
    public RequestSpec route(String route) {
        return new DefaultShmRequestSpec(this, Objects.requireNonNull(route, "route"), defaultTimeout);
    }

    // ------------------------------------------------------------------ the pipeline (one place each)

    /** @return a reply mapper decoding the body to {@code type} */
    <T extends @Nullable Object> Function<ShmClientResponse, @Nullable T> bodyOf(Type type) {
        return reply -> decode(reply.body(), type);
    }

    /** @return a reply mapper decoding the body to {@code type}, keeping the reply headers */
    /** @return a reader that decodes the reply to {@code type} straight from the slot */
    @SuppressWarnings("unchecked")
    private <T extends @Nullable Object> ResponseReader<T> inPlace(Type type) {
        return (ResponseReader<T>) ShmPayloads.replyReader(type, codec);
    }

    <T> Function<ShmClientResponse, ShmResponseEntity<T>> entityOf(Type type) {
        return reply -> new ShmResponseEntity<>(decode(reply.body(), type), reply.headers());
    }

    /**
     * Runs one call on the caller's thread: encode, observe, intercept, exchange, map the reply.
     *
     * @param parent the observation the call's observation continues (captured on the caller's thread)
     */
    <R extends @Nullable Object> R execute(
            String route,
            Map<String, String> headers,
            @Nullable Object body,
            Duration timeout,
            @Nullable Observation parent,
            Function<ShmClientResponse, R> reply) {
        return execute(route, headers, body, timeout, parent, reply, null);
    }

    /**
     * One observed call. Without interceptors, on the engine's own transport, and with {@code inPlace}
     * given, the body is written straight into the slot and the reply read straight from it (no
     * {@code byte[]} on either side); otherwise the body is encoded to bytes for the interceptors and the
     * transport, and {@code reply} decodes the bytes that come back.
     */
    <R extends @Nullable Object> R execute(
            String route,
            Map<String, String> headers,
            @Nullable Object body,
            Duration timeout,
            @Nullable Observation parent,
            Function<ShmClientResponse, R> reply,
            @Nullable ResponseReader<R> inPlace) {
        try {
            boolean inPlaceAllowed =
                    inPlace != null && interceptors.isEmpty() && transport instanceof EngineShmTransport;
            if (observationRegistry.isNoop()) {
                // Nothing observes: skip the context, its carrier map and the observation on the hot path.
                if (inPlaceAllowed && inPlace != null) {
                    return ((EngineShmTransport) transport)
                            .exchange(route, headers, ShmPayloads.requestWriter(body, codec), inPlace, timeout);
                }
                return reply.apply(exchange(new ShmClientRequest(route, headers, encode(body), timeout)));
            }
            ShmClientObservationContext context = new ShmClientObservationContext(client.name(), route);
            Observation observation = Observation.createNotStarted(
                            observationConvention, DEFAULT_CONVENTION, () -> context, observationRegistry)
                    .parentObservation(parent);
            return observation.observe(() -> {
                if (inPlaceAllowed && inPlace != null && transport instanceof EngineShmTransport engine) {
                    Map<String, String> all = context.carrier().isEmpty() ? headers : withCarrier(headers, context);
                    return engine.exchange(route, all, ShmPayloads.requestWriter(body, codec), inPlace, timeout);
                }
                ShmClientRequest request = new ShmClientRequest(route, headers, encode(body), timeout);
                // The observation has started, so a tracing handler has written the trace context by now.
                request.addHeaders(context.carrier());
                return reply.apply(exchange(request));
            });
        } catch (ShmTimeoutException ex) {
            for (ShmTimeoutListener listener : timeoutListeners) {
                listener.onTimeout(route, ex);
            }
            throw ex;
        }
    }

    /**
     * The one place async calls are made. Without interceptors the request is encoded and sent (or
     * queued for a free slot) on the caller's thread through {@link ShmTransport#exchangeAsync}, and no
     * thread waits for the reply: the engine's reply thread completes it, and the reply is decoded there,
     * or on the {@linkplain #setAsyncExecutor async executor} when one is set. Interceptors run through
     * {@link ShmClientInterceptor#interceptAsync}: without a thread when they override it, else each on a
     * virtual thread that parks while the engine waits (never a pooled platform thread per call).
     */
    <R extends @Nullable Object> CompletableFuture<R> executeAsync(
            String route,
            Map<String, String> headers,
            @Nullable Object body,
            Duration timeout,
            Function<ShmClientResponse, R> reply) {
        // The caller's observation is thread-local; capture it so the async span has the right parent.
        Observation parent = currentObservation();
        ShmClientObservationContext context = new ShmClientObservationContext(client.name(), route);
        Observation observation = Observation.createNotStarted(
                        observationConvention, DEFAULT_CONVENTION, () -> context, observationRegistry)
                .parentObservation(parent)
                .start();
        CompletableFuture<ShmClientResponse> exchanged;
        try {
            ShmClientRequest request = new ShmClientRequest(route, headers, encode(body), timeout);
            // The observation has started, so a tracing handler has written the trace context by now.
            request.addHeaders(context.carrier());
            // In scope while the chain starts on this thread, as the synchronous path runs its interceptors:
            // what an interceptor does before it hands on sees this call's observation as the current one.
            try (Observation.Scope scope = observation.openScope()) {
                exchanged = exchangeAsync(request);
            }
        } catch (RuntimeException ex) {
            exchanged = CompletableFuture.failedFuture(ex);
        }
        Executor decoding = userExecutor;
        CompletableFuture<R> result =
                decoding == null ? exchanged.thenApply(reply) : exchanged.thenApplyAsync(reply, decoding);
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

    private static Map<String, String> withCarrier(Map<String, String> headers, ShmClientObservationContext context) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(context.carrier());
        return all;
    }

    /**
     * The async chain: each interceptor's {@link ShmClientInterceptor#interceptAsync}, then the transport's
     * asynchronous exchange (the engine's holds no thread; the executor serves only transports without one).
     */
    private CompletableFuture<ShmClientResponse> exchangeAsync(ShmClientRequest request) {
        List<ShmClientInterceptor> chain = interceptors;
        ShmTransport target = transport;
        Executor blocking = command -> executor().execute(command);
        if (chain.isEmpty()) {
            return target.exchangeAsync(request, blocking);
        }
        return new AsyncInterceptorChain(chain, target, blocking, 0).executeAsync(request);
    }

    private ShmClientResponse exchange(ShmClientRequest request) {
        List<ShmClientInterceptor> chain = interceptors;
        ShmTransport target = transport;
        if (chain.isEmpty()) {
            return target.exchange(request);
        }
        return new InterceptorChain(chain, target).execute(request);
    }

    /** The codec seam, request side: every body is encoded here and nowhere else. */
    private byte[] encode(@Nullable Object body) {
        return ShmPayloads.encode(body, codec);
    }

    /** The codec seam, reply side: every reply body is decoded here and nowhere else. */
    @SuppressWarnings("unchecked")
    private <T> @Nullable T decode(byte[] body, Type type) {
        return (T) ShmPayloads.decode(body, type, codec);
    }

    @Nullable
    Observation currentObservation() {
        return observationRegistry.getCurrentObservation();
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

    /** Walks the interceptors' async variants in order, then the transport's asynchronous exchange. */
    private record AsyncInterceptorChain(
            List<ShmClientInterceptor> interceptors, ShmTransport transport, Executor blocking, int index)
            implements ShmClientInterceptor.AsyncExecution {

        @Override
        public CompletableFuture<ShmClientResponse> executeAsync(ShmClientRequest request) {
            if (index == interceptors.size()) {
                return transport.exchangeAsync(request, blocking);
            }
            try {
                return interceptors
                        .get(index)
                        .interceptAsync(
                                request, new AsyncInterceptorChain(interceptors, transport, blocking, index + 1));
            } catch (RuntimeException e) {
                // An interceptor that refuses the call by throwing fails the future, as a transport failure would.
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /** Walks the interceptors in order, then the transport. */
    private record InterceptorChain(List<ShmClientInterceptor> interceptors, ShmTransport transport, int index)
            implements ShmClientInterceptor.Execution {

        InterceptorChain(List<ShmClientInterceptor> interceptors, ShmTransport transport) {
            this(interceptors, transport, 0);
        }

        @Override
        public ShmClientResponse execute(ShmClientRequest request) {
            if (index == interceptors.size()) {
                return transport.exchange(request);
            }
            return interceptors.get(index).intercept(request, new InterceptorChain(interceptors, transport, index + 1));
        }
    }
}
