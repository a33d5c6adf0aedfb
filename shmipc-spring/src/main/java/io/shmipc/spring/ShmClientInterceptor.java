package io.shmipc.spring;

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

    /** The rest of the chain after one interceptor. */
    @FunctionalInterface
    interface Execution {

        /**
         * @param request the request to send on
         * @return the reply
         */
        ShmClientResponse execute(ShmClientRequest request);
    }
}
