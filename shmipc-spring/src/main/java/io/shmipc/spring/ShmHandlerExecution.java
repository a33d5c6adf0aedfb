package io.shmipc.spring;

/**
 * Where {@link ShmHandler} methods run on the server. The engine's dispatch thread takes every request
 * from shared memory; running a quick handler right there is the fastest path (no thread hand-off), but a
 * handler that blocks there stalls every other request.
 */
public enum ShmHandlerExecution {

    /**
     * Each handler runs on the dispatch thread until two calls of it in a row take longer than the blocking
     * threshold (one slow first call is often just class loading); from then on that handler runs on a virtual thread per request. Asynchronous handlers
     * ({@code CompletableFuture}, {@code Mono}) always run on a virtual thread, which waits for the reply.
     * The default: quick handlers keep the lowest latency, blocking ones do not cap throughput.
     */
    ADAPTIVE,

    /** Every handler runs on the dispatch thread, one request at a time (as before virtual threads). */
    DISPATCH_THREAD,

    /** Every handler runs on a virtual thread per request; requests in flight are bounded by the slot count. */
    VIRTUAL_THREADS
}
