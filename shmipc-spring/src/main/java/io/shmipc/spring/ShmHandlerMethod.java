package io.shmipc.spring;

import io.shmipc.core.ShmTimeoutException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * One {@link ShmHandler} method bound to its route, invoked through spring-messaging's
 * {@link InvocableHandlerMethod}. Knows whether the method answers at once or later (a
 * {@link CompletionStage}, or a single-value reactive type such as {@code Mono}), and whether it should run
 * off the dispatch thread.
 */
final class ShmHandlerMethod {

    /** How long an asynchronous reply may take when the client sent no deadline. */
    static final Duration UNKNOWN_DEADLINE_WAIT = Duration.ofMinutes(1);

    /** Slow calls in a row after which a handler counts as blocking. */
    static final int SLOW_CALLS_TO_BLOCK = 2;

    /**
     * Fast calls in a row, on virtual threads, after which a handler judged blocking runs on the dispatch
     * thread again. High enough that a handler that blocks now and then (a cache in front of I/O) rarely
     * comes back, low enough that one judged during its warm-up comes back within a millisecond of traffic.
     */
    static final int FAST_CALLS_TO_UNBLOCK = 256;

    private final ShmHandlerEndpoint endpoint;
    private final String description;
    private final InvocableHandlerMethod invocable;
    private final ShmErrorMapping errors;
    private final boolean asynchronous;
    private final boolean needsCodec;
    /**
     * Set while the method counts as blocking the dispatch thread: it then runs on the handler executor.
     * Volatile: written by whichever thread judged the last call, read by the dispatch thread for every request.
     */
    private volatile boolean judgedBlocking;
    /** Fast calls in a row since the method was judged blocking; updated by the virtual threads running it. */
    private final AtomicInteger fastCallsSinceBlocked = new AtomicInteger();
    /**
     * Consecutive calls over the blocking threshold. Written by the dispatch thread (inline calls run there),
     * and reset by {@link #recordOffloadedCall} before the volatile write that hands the method back to it;
     * so a plain field. A lost update costs one more slow call, never a wrong result.
     */
    private int slowCalls;

    ShmHandlerMethod(
            ShmHandlerEndpoint endpoint,
            HandlerMethodArgumentResolverComposite resolvers,
            ShmErrorMapping errors,
            boolean needsCodec) {
        this.endpoint = endpoint;
        this.description = endpoint.description();
        this.invocable = new InvocableHandlerMethod(endpoint.bean(), endpoint.method());
        this.invocable.setMessageMethodArgumentResolvers(resolvers);
        this.errors = errors;
        this.needsCodec = needsCodec;
        this.asynchronous = isAsynchronous(endpoint.method().getReturnType());
    }

    /**
     * @param returnType a handler's return type
     * @return true when the reply comes later, through a future or a single-value reactive type
     * @throws IllegalArgumentException naming what to return instead when the type cannot carry one reply
     */
    static boolean isAsynchronous(Class<?> returnType) {
        if (CompletionStage.class.isAssignableFrom(returnType)) {
            return true;
        }
        if (Future.class.isAssignableFrom(returnType)) {
            throw new IllegalArgumentException("returns " + returnType.getSimpleName()
                    + ", which cannot tell when it completes; return CompletableFuture or CompletionStage");
        }
        ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType);
        if (adapter == null) {
            return false;
        }
        if (adapter.isMultiValue()) {
            throw new IllegalArgumentException("returns " + returnType.getSimpleName()
                    + ", a stream of values, but a request has one reply; return Mono or a collection");
        }
        return true;
    }

    String route() {
        return endpoint.route();
    }

    /** @return {@code bean.method(ParamTypes)} */
    String description() {
        return description;
    }

    Method method() {
        return endpoint.method();
    }

    /** @return the handler method's parameters, as spring-messaging sees them */
    MethodParameter[] parameters() {
        return invocable.getMethodParameters();
    }

    /** @return true when the payload or the reply needs a {@link ShmCodec} */
    boolean needsCodec() {
        return needsCodec;
    }

    /** @return true when the method replies through a future or a reactive type */
    boolean isAsynchronous() {
        return asynchronous;
    }

    /** @return true when the method should not run on the dispatch thread: it is asynchronous, or it blocked */
    boolean isBlocking() {
        return asynchronous || judgedBlocking;
    }

    /** @return true when the method runs off the dispatch thread because its calls were slow (not asynchronous) */
    boolean isJudgedBlocking() {
        return judgedBlocking;
    }

    /**
     * Records how long a call on the dispatch thread took. The method is judged blocking after
     * {@link #SLOW_CALLS_TO_BLOCK} slow calls in a row, so one cold first call (class loading, validator
     * start-up) does not move a quick handler off the dispatch thread.
     *
     * @param slow whether the call took longer than the blocking threshold
     * @return true when this call made the method blocking
     */
    boolean recordInlineCall(boolean slow) {
        if (!slow) {
            if (slowCalls != 0) {
                slowCalls = 0;
            }
            return false;
        }
        if (++slowCalls < SLOW_CALLS_TO_BLOCK) {
            return false;
        }
        fastCallsSinceBlocked.set(0);
        judgedBlocking = true;
        return true;
    }

    /**
     * Records how long a call of a method judged blocking took on the handler executor. A judgment made while
     * the code was cold (a first deserializer build, the interpreter, a GC pause) would otherwise cost a
     * thread hand-off on every call for the life of the server: after {@link #FAST_CALLS_TO_UNBLOCK} fast
     * calls in a row the method runs on the dispatch thread again, where {@link #recordInlineCall} judges it
     * afresh. Calls run concurrently here, so the count is approximate; a lost update delays the return by
     * one call, never more.
     *
     * @param slow whether the call took longer than the blocking threshold
     * @return true when this call moved the method back to the dispatch thread
     */
    boolean recordOffloadedCall(boolean slow) {
        if (slow) {
            fastCallsSinceBlocked.set(0);
            return false;
        }
        if (fastCallsSinceBlocked.incrementAndGet() != FAST_CALLS_TO_UNBLOCK) {
            return false;
        }
        // Reset before the volatile write that publishes the move: the dispatch thread reads judgedBlocking
        // before it touches slowCalls, so it sees the reset.
        slowCalls = 0;
        judgedBlocking = false;
        return true;
    }

    /**
     * Binds the request, calls the method and waits for an asynchronous reply within the client's deadline.
     * The payload is bound before anything is written, because the reply overwrites the request in place.
     *
     * @return the reply value (before encoding), possibly {@code null}
     * @throws Exception the failure to send as a remote error, after exception handlers had their say
     */
    @Nullable
    Object reply(ShmMessage message) throws Exception {
        @Nullable Object result;
        try {
            result = invocable.invoke(message);
            if (asynchronous && result != null) {
                result = await(result, message);
            }
        } catch (Exception ex) {
            return errors.handle(ex, message, endpoint.bean(), endpoint.route());
        }
        return result;
    }

    private @Nullable Object await(Object result, ShmMessage message) throws Exception {
        CompletableFuture<?> future =
                result instanceof CompletionStage<?> stage ? stage.toCompletableFuture() : PublisherFuture.of(result);
        long deadline = message.getPayload().deadlineEpochMillis();
        long waitMillis = deadline > 0 ? deadline - System.currentTimeMillis() : UNKNOWN_DEADLINE_WAIT.toMillis();
        try {
            return future.get(Math.max(0, waitMillis), TimeUnit.MILLISECONDS);
        } catch (TimeoutException ex) {
            // The client has given up: nobody reads the reply, and the slot is needed for other requests.
            future.cancel(true);
            throw new ShmTimeoutException(
                    "the asynchronous reply of " + description + " did not complete within the caller's deadline",
                    false);
        } catch (ExecutionException | CompletionException ex) {
            throw ex.getCause() instanceof Exception cause ? cause : ex;
        }
    }

    @Override
    public String toString() {
        return "'" + endpoint.route() + "' -> " + description;
    }

    /** Completes with the single value (or none) of a reactive type such as {@code Mono}. */
    private static final class PublisherFuture<T> extends CompletableFuture<T> implements Subscriber<T> {

        private volatile @Nullable Subscription subscription;

        @SuppressWarnings("unchecked")
        static CompletableFuture<?> of(Object reactive) {
            ReactiveAdapter adapter =
                    ReactiveAdapterRegistry.getSharedInstance().getAdapter(reactive.getClass());
            if (adapter == null) {
                throw new IllegalStateException(
                        "no reactive adapter for " + reactive.getClass().getName()
                                + "; return a CompletionStage, or add the reactive library's Spring adapter");
            }
            Publisher<Object> publisher = (Publisher<Object>) adapter.toPublisher(reactive);
            PublisherFuture<Object> future = new PublisherFuture<>();
            publisher.subscribe(future);
            return future;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(T value) {
            complete(value);
        }

        @Override
        public void onError(Throwable error) {
            completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            complete(null);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
            return super.cancel(mayInterruptIfRunning);
        }
    }
}
