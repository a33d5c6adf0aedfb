package io.shmipc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a declarative client interface as a call of a route. The method takes at most one
 * payload parameter plus any number of spring-messaging
 * {@link org.springframework.messaging.handler.annotation.Header @Header} parameters, and returns the reply:
 * {@code void}, a value, {@code Optional<T>} (empty for an empty reply), {@code ShmResponseEntity<T>}
 * (with the reply headers) or {@code CompletableFuture<T>}. Register the interface with
 * {@link ImportShmServices @ImportShmServices} or build it with {@link ShmServiceProxyFactory}.
 *
 * <pre>{@code
 * public interface OrderClient {
 *     @ShmExchange("orders.place")
 *     Receipt place(Order order, @Header("tenant") String tenant);
 *
 *     @ShmExchange(value = "orders.find", timeout = "200ms")
 *     Optional<Order> find(String id);
 *
 *     @ShmExchange("orders.open")
 *     CompletableFuture<List<Order>> open();
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ShmExchange {

    /** @return the route, as served by a {@link ShmHandler} method */
    String value();

    /**
     * @return how long to wait for the reply, in any format Spring's {@code DurationFormatterUtils} detects
     *     ({@code "200ms"}, {@code "2s"}, {@code "PT0.5S"}); empty for the template's default
     */
    String timeout() default "";
}
