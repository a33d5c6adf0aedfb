package io.shmipc.spring;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;

/**
 * Calls routes served by {@link ShmHandler} methods in another process. {@link ShmTemplate} implements
 * it; depend on this interface to swap or mock the client (see also {@link ShmServiceProxyFactory} for
 * declarative clients). Failures are the engine's unchecked {@link io.shmipc.core.ShmException}s.
 *
 * <pre>{@code
 * Receipt receipt = operations.call("orders.place", order, Receipt.class);
 * List<Order> open = operations.call("orders.open", null, new ParameterizedTypeReference<List<Order>>() {});
 * Receipt r = operations.route("orders.place")
 *         .header("tenant", "t1")
 *         .timeout(Duration.ofMillis(200))
 *         .body(order)
 *         .retrieve(Receipt.class);
 * }</pre>
 */
public interface ShmOperations {

    /**
     * Calls a route with the default timeout.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type; {@code Void.class} ignores the reply
     * @param <T> the reply type
     * @return the reply, {@code null} for an empty one
     */
    <T> @Nullable T call(String route, @Nullable Object request, Class<T> responseType);

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
    <T> @Nullable T call(String route, @Nullable Object request, Class<T> responseType, Duration timeout);

    /**
     * Calls a route with the default timeout, for a generic reply type such as {@code List<Order>}.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type
     * @param <T> the reply type
     * @return the reply, {@code null} for an empty one
     */
    <T> @Nullable T call(String route, @Nullable Object request, ParameterizedTypeReference<T> responseType);

    /**
     * Calls a route, for a generic reply type such as {@code List<Order>}.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type
     * @param timeout how long to wait for the reply
     * @param <T> the reply type
     * @return the reply, {@code null} for an empty one
     */
    <T> @Nullable T call(
            String route, @Nullable Object request, ParameterizedTypeReference<T> responseType, Duration timeout);

    /**
     * Calls a route with raw bytes both ways and the default timeout.
     *
     * @param route the route
     * @param request the request payload
     * @return the reply payload
     */
    byte[] call(String route, byte[] request);

    /**
     * Calls a route without blocking the caller, with the default timeout.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type
     * @param <T> the reply type
     * @return the reply, completed exceptionally with the engine's exception on failure
     */
    <T> CompletableFuture<@Nullable T> callAsync(String route, @Nullable Object request, Class<T> responseType);

    /**
     * Calls a route without blocking the caller.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type
     * @param timeout how long to wait for the reply
     * @param <T> the reply type
     * @return the reply, completed exceptionally with the engine's exception on failure
     */
    <T> CompletableFuture<@Nullable T> callAsync(
            String route, @Nullable Object request, Class<T> responseType, Duration timeout);

    /**
     * Calls a route without blocking the caller, for a generic reply type.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type
     * @param <T> the reply type
     * @return the reply, completed exceptionally with the engine's exception on failure
     */
    <T> CompletableFuture<@Nullable T> callAsync(
            String route, @Nullable Object request, ParameterizedTypeReference<T> responseType);

    /**
     * Calls a route without blocking the caller, for a generic reply type.
     *
     * @param route the route
     * @param request the request; {@code null} sends an empty payload
     * @param responseType the reply type
     * @param timeout how long to wait for the reply
     * @param <T> the reply type
     * @return the reply, completed exceptionally with the engine's exception on failure
     */
    <T> CompletableFuture<@Nullable T> callAsync(
            String route, @Nullable Object request, ParameterizedTypeReference<T> responseType, Duration timeout);

    /**
     * Starts a fluent request to a route: headers, timeout and body, then one of the {@code retrieve} or
     * {@code toEntity} methods sends it.
     *
     * <pre>{@code
     * ShmResponseEntity<Receipt> reply = operations.route("orders.place")
     *         .header("tenant", "t1")
     *         .body(order)
     *         .toEntity(Receipt.class);
     * String region = reply.headers().get("region");
     * }</pre>
     *
     * @param route the route, 1 to 128 UTF-8 bytes
     * @return a new spec; not thread-safe, use it for one request
     */
    RequestSpec route(String route);

    /**
     * One request being prepared; each method returns this spec. The terminal methods send it and may be
     * called again to send the same request again.
     */
    interface RequestSpec {

        /**
         * Adds a request header, which handlers read from {@link ShmRequestContext#headers()}.
         *
         * @param name 1 to 255 UTF-8 bytes
         * @param value the value; all headers together, with the trace context, take at most 320 bytes
         * @return this spec
         * @throws IllegalArgumentException at once when the name or value cannot be encoded
         */
        RequestSpec header(String name, String value);

        /**
         * Adds request headers, as {@link #header(String, String)} for each entry.
         *
         * @param headers the headers to add
         * @return this spec
         */
        RequestSpec headers(Map<String, String> headers);

        /**
         * @param timeout how long to wait for the reply; the template's default when not set
         * @return this spec
         */
        RequestSpec timeout(Duration timeout);

        /**
         * @param body the request; {@code null} (the default) sends an empty payload
         * @return this spec
         */
        RequestSpec body(@Nullable Object body);

        /**
         * Sends the request and waits for the reply.
         *
         * @param responseType the reply type; {@code Void.class} ignores the reply
         * @param <T> the reply type
         * @return the reply, {@code null} for an empty one
         */
        <T> @Nullable T retrieve(Class<T> responseType);

        /**
         * Sends the request and waits for the reply, for a generic reply type.
         *
         * @param responseType the reply type
         * @param <T> the reply type
         * @return the reply, {@code null} for an empty one
         */
        <T> @Nullable T retrieve(ParameterizedTypeReference<T> responseType);

        /**
         * Sends the request without blocking the caller.
         *
         * @param responseType the reply type
         * @param <T> the reply type
         * @return the reply, completed exceptionally with the engine's exception on failure
         */
        <T> CompletableFuture<@Nullable T> retrieveAsync(Class<T> responseType);

        /**
         * Sends the request without blocking the caller, for a generic reply type.
         *
         * @param responseType the reply type
         * @param <T> the reply type
         * @return the reply, completed exceptionally with the engine's exception on failure
         */
        <T> CompletableFuture<@Nullable T> retrieveAsync(ParameterizedTypeReference<T> responseType);

        /**
         * Sends the request and returns the reply with the headers the handler set.
         *
         * @param responseType the reply body type
         * @param <T> the reply body type
         * @return the reply body and headers
         */
        <T> ShmResponseEntity<T> toEntity(Class<T> responseType);

        /**
         * Sends the request and returns the reply with the headers the handler set.
         *
         * @param responseType the reply body type
         * @param <T> the reply body type
         * @return the reply body and headers
         */
        <T> ShmResponseEntity<T> toEntity(ParameterizedTypeReference<T> responseType);

        /**
         * Sends the request without blocking the caller and returns the reply with its headers.
         *
         * @param responseType the reply body type
         * @param <T> the reply body type
         * @return the reply body and headers, completed exceptionally on failure
         */
        <T> CompletableFuture<ShmResponseEntity<T>> toEntityAsync(ParameterizedTypeReference<T> responseType);
    }
}
