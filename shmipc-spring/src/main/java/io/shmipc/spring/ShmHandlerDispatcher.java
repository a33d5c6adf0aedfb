package io.shmipc.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmRequest;
import io.shmipc.core.ShmRequestHandler;
import io.shmipc.core.ShmResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The engine-facing handler of a Spring server: routes each request to its bound {@link ShmHandler}
 * method inside a {@code shmipc.server.requests} observation that continues the client's trace, and
 * chooses per request whether the method runs on the dispatch thread or on a virtual thread
 * ({@link ShmHandlerExecution}).
 *
 * <p>Lifecycle: {@link #verify()} binds every handler method (failing on the first that cannot be served),
 * {@link #open()} starts the handler executor before the server serves, {@link #close()} stops it after.
 */
public class ShmHandlerDispatcher implements ShmRequestHandler {

    private static final Log logger = LogFactory.getLog(ShmHandlerDispatcher.class);

    private static final ShmServerObservationConvention DEFAULT_CONVENTION =
            new DefaultShmServerObservationConvention();

    /** The default {@link #setBlockingThreshold blocking threshold}. */
    public static final Duration DEFAULT_BLOCKING_THRESHOLD = Duration.ofMillis(1);

    private final String name;
    private final ShmHandlerRegistry registry;
    private final ShmHandlerMethodFactory methodFactory;
    private final ObservationRegistry observationRegistry;
    private final @Nullable ShmServerObservationConvention convention;
    private ShmHandlerExecution execution = ShmHandlerExecution.ADAPTIVE;
    private long blockingThresholdNanos = DEFAULT_BLOCKING_THRESHOLD.toNanos();
    private volatile @Nullable Map<String, ShmHandlerMethod> table;
    private volatile @Nullable ExecutorService handlerExecutor;

    /**
     * @param name the shmipc name, for observations and thread names
     * @param registry the discovered handler methods
     * @param codec converts payloads that do not pass through; may be {@code null} when no handler needs one
     * @param observationRegistry where observations go; {@link ObservationRegistry#NOOP} to skip them
     * @param convention a custom convention, or {@code null} for the default
     */
    public ShmHandlerDispatcher(
            String name,
            ShmHandlerRegistry registry,
            @Nullable ShmCodec codec,
            ObservationRegistry observationRegistry,
            @Nullable ShmServerObservationConvention convention) {
        this(name, registry, new ShmHandlerMethodFactory(codec), observationRegistry, convention);
    }

    /**
     * @param name the shmipc name, for observations and thread names
     * @param registry the discovered handler methods
     * @param methodFactory binds handler methods to requests
     * @param observationRegistry where observations go; {@link ObservationRegistry#NOOP} to skip them
     * @param convention a custom convention, or {@code null} for the default
     */
    public ShmHandlerDispatcher(
            String name,
            ShmHandlerRegistry registry,
            ShmHandlerMethodFactory methodFactory,
            ObservationRegistry observationRegistry,
            @Nullable ShmServerObservationConvention convention) {
        this.name = Objects.requireNonNull(name, "name");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.methodFactory = Objects.requireNonNull(methodFactory, "methodFactory");
        this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
        this.convention = convention;
    }

    /** @param execution where handler methods run; {@link ShmHandlerExecution#ADAPTIVE} by default */
    public void setExecution(ShmHandlerExecution execution) {
        this.execution = Objects.requireNonNull(execution, "execution");
    }

    /**
     * @param threshold how long a call may keep the dispatch thread; two longer calls in a row make
     *     {@link ShmHandlerExecution#ADAPTIVE} move its handler to virtual threads; {@link #DEFAULT_BLOCKING_THRESHOLD} by default
     */
    public void setBlockingThreshold(Duration threshold) {
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("the blocking threshold must be positive, was " + threshold);
        }
        this.blockingThresholdNanos = threshold.toNanos();
    }

    /**
     * Binds every handler method now, so a signature that cannot be served fails startup rather than the
     * first request.
     *
     * @throws ShmHandlerDefinitionException naming the first such handler's bean and method
     */
    public void verify() {
        table();
    }

    private Map<String, ShmHandlerMethod> table() {
        Map<String, ShmHandlerMethod> bound = table;
        if (bound == null) {
            synchronized (this) {
                bound = table;
                if (bound == null) {
                    ShmErrorMapping errors = new ShmErrorMapping(methodFactory.resolvers(), registry.adviceBeans());
                    bound = new HashMap<>();
                    for (ShmHandlerEndpoint endpoint : registry.endpoints()) {
                        bound.put(endpoint.route(), methodFactory.create(endpoint, errors));
                    }
                    table = bound;
                }
            }
        }
        return bound;
    }

    /** Starts the virtual threads' executor; called before the server serves. */
    public synchronized void open() {
        verify();
        if (handlerExecutor == null && execution != ShmHandlerExecution.DISPATCH_THREAD) {
            handlerExecutor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("shmipc-handler-" + name + "-", 0).factory());
        }
    }

    /**
     * Stops the executor after the server stopped: handlers still running past the grace period are
     * interrupted (their replies had nowhere to go).
     */
    public synchronized void close() {
        ExecutorService executor = handlerExecutor;
        handlerExecutor = null;
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public @Nullable Executor executorFor(ShmRequest request) {
        ExecutorService executor = handlerExecutor;
        if (executor == null) {
            return null;
        }
        if (execution == ShmHandlerExecution.VIRTUAL_THREADS) {
            return executor;
        }
        ShmHandlerMethod method = table().get(request.route());
        return method != null && method.isBlocking() ? executor : null;
    }

    @Override
    public void handle(ShmRequest request, ShmResponse response) throws Exception {
        handle(request, response, ShmClientObservationContext.TRANSPORT_SHM);
    }

    /**
     * Serves a request that another transport delivered (e.g. gRPC), exactly as a shared-memory one, with
     * the transport's name on the {@code shmipc.server.requests} observation ({@code shmipc.transport}).
     *
     * @param request the request
     * @param response where the reply goes
     * @param transport a short, fixed name such as {@code grpc}: it becomes a tag value
     * @throws Exception what the handler method threw, for the transport to report to the caller
     */
    public void handle(ShmRequest request, ShmResponse response, String transport) throws Exception {
        String route = request.route();
        ShmHandlerMethod method = table().get(route);
        if (observationRegistry.isNoop()) {
            serve(method, request, response);
            return;
        }
        ShmServerObservationContext context = new ShmServerObservationContext(
                name, route, request.headers(), request.clientPid(), request.requestId());
        context.setTransport(transport);
        Observation.createNotStarted(convention, DEFAULT_CONVENTION, () -> context, observationRegistry)
                .observeChecked(() -> serve(method, request, response));
    }

    private void serve(@Nullable ShmHandlerMethod method, ShmRequest request, ShmResponse response) throws Exception {
        if (method == null) {
            throw new ShmNoHandlerException(request.route());
        }
        ShmMessage message = new ShmMessage(request);
        Object reply;
        if (execution == ShmHandlerExecution.ADAPTIVE && !method.isBlocking()) {
            long start = System.nanoTime();
            try {
                reply = method.reply(message);
            } finally {
                long elapsed = System.nanoTime() - start;
                if (method.recordInlineCall(elapsed > blockingThresholdNanos)) {
                    blocked(method, elapsed);
                }
            }
        } else if (execution == ShmHandlerExecution.ADAPTIVE && method.isJudgedBlocking()) {
            long start = System.nanoTime();
            try {
                reply = method.reply(message);
            } finally {
                if (method.recordOffloadedCall(System.nanoTime() - start > blockingThresholdNanos)) {
                    logger.info("shmipc server '" + name + "': " + method.description() + " answered "
                            + ShmHandlerMethod.FAST_CALLS_TO_UNBLOCK + " calls in a row within the blocking"
                            + " threshold; route '" + method.route() + "' runs on the dispatch thread again");
                }
            }
        } else {
            reply = method.reply(message);
        }
        if (reply instanceof ShmResponseEntity<?> entity) {
            // Reply headers go into the slot first; one that cannot be encoded fails the call as a handler error.
            if (!entity.headers().isEmpty()) {
                response.headers(entity.headers());
            }
            reply = entity.body();
        }
        if (reply instanceof ByteBuffer buffer) {
            response.write(buffer);
        } else if (reply != null) {
            // Encoded straight into the slot; a reply that does not fit is refused by commit.
            long length = ShmPayloads.write(reply, response.buffer(), methodFactory.codec());
            response.commit((int) Math.min(length, Integer.MAX_VALUE));
        }
    }

    private void blocked(ShmHandlerMethod method, long elapsedNanos) {
        if (handlerExecutor != null) {
            logger.info("shmipc server '" + name + "': " + method.description() + " kept the dispatch thread for "
                    + TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " ms; route '" + method.route()
                    + "' runs on virtual threads from now on (shmipc.server.execution)");
        }
    }
}
