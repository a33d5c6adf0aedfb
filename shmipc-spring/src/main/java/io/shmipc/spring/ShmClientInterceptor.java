package io.shmipc.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs around every call of a {@link ShmTemplate}, after the body is encoded and the trace context is in
 * the headers: it sees the request, may add headers, may refuse the call (throw), call on several times
 * (retry) or not at all (answer itself), and sees the encoded reply. Interceptors run in their order
 * ({@link org.springframework.core.Ordered} / {@code @Order} for beans), the first outermost.
 *
 * <pre>{@code
 * @Bean
 * ShmClientInterceptor retryOnRestart() {
 *     return (request, execution) -> {
 *         try {
 *             return execution.execute(request);
 *         } catch (ShmServerUnavailableException ex) {
 *             if (ex.isOutcomeUnknown()) throw ex;  // it may have run: do not run it twice
 *             return execution.execute(request);
 *         }
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ShmClientInterceptor {

    /**
     * @param request the encoded request; its headers can be added to
     * @param execution the rest of the chain: the next interceptor, then the transport
     * @return the reply
     */
    ShmClientResponse intercept(ShmClientRequest request, Execution execution);

    /**
     * The same for an asynchronous call ({@code callAsync}, {@code retrieveAsync}, ...). Override it
     * (doing what {@link #intercept} does, with {@code execution}'s future instead of its reply) and an
     * async call holds no thread at any point while it waits. The default runs {@link #intercept} on a
     * virtual thread of its own, whose {@link Execution#execute} waits for the rest of the chain by
     * parking: no platform thread is held per call, only that virtual thread's few hundred bytes.
     *
     * @param request the encoded request; its headers can be added to
     * @param execution the rest of the chain, asynchronous
     * @return the reply, or a future failed with the engine's exceptions
     */
    default CompletableFuture<ShmClientResponse> interceptAsync(ShmClientRequest request, AsyncExecution execution) {
        CompletableFuture<ShmClientResponse> reply = new CompletableFuture<>();
        Thread.ofVirtual().name("shmipc-interceptor").start(() -> {
            try {
                reply.complete(intercept(request, next -> AsyncExecution.await(execution.executeAsync(next))));
            } catch (Throwable e) {
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }

    /** The rest of the chain after one interceptor. */
    @FunctionalInterface
    interface Execution {

        /**
         * @param request the request to send on
         * @return the reply
         */
        ShmClientResponse execute(ShmClientRequest request);
    }

    /** The rest of the chain after one interceptor, for an asynchronous call. */
    @FunctionalInterface
    interface AsyncExecution {

        /**
         * @param request the request to send on
         * @return the reply, or a future failed with the engine's exceptions
         */
        CompletableFuture<ShmClientResponse> executeAsync(ShmClientRequest request);

        /**
         * Waits for a reply of the asynchronous chain and hands it over as the synchronous chain would:
         * the engine's exception itself, not wrapped, so a synchronous interceptor's {@code catch} works.
         */
        private static ShmClientResponse await(CompletableFuture<ShmClientResponse> reply) {
            try {
                return reply.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }
    }
}
