package io.shmipc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a bean method as the server-side handler of a route. The app then serves the route on the
 * shmipc name it is configured with ({@code shmipc.name}).
 *
 * <p>Parameters are bound as spring-messaging binds {@code @MessageMapping} methods (see
 * {@link ShmHandlerMethodFactory}): one payload parameter ({@code @Payload} optional, validated when
 * {@code @Valid}), {@code @Header("name")}, {@code @Headers Map<String, String>}, {@link ShmRequestContext},
 * and the application's own argument resolvers. {@code byte[]}, {@link java.nio.ByteBuffer} (a read-only
 * view valid only during the call), {@link String} (UTF-8) and {@code void} pass through unchanged; any
 * other payload or return type goes through the {@link ShmCodec} (JSON by default). The method may return
 * {@code CompletableFuture}/{@code CompletionStage} or {@code Mono}: the reply is sent when it completes,
 * within the caller's deadline.
 *
 * <p>An exception thrown by the method goes to {@code @MessageExceptionHandler} methods (of the bean, then
 * of {@link ShmHandlerAdvice} beans), which may turn it into a reply or into a {@link ShmError} with an
 * error code; otherwise it reaches the caller as {@link io.shmipc.core.ShmRemoteException}.
 *
 * <p>Each route may have one handler in the application; a duplicate fails startup.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(ShmHandlerReflectiveProcessor.class)
public @interface ShmHandler {

    /**
     * @return the route, at most 128 UTF-8 bytes, not empty; {@code ${...}} placeholders are resolved
     */
    String value();
}
