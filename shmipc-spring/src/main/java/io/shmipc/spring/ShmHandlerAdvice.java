package io.shmipc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Component;

/**
 * Marks a bean whose {@code @MessageExceptionHandler} methods apply to every {@link ShmHandler} method,
 * as {@code @ControllerAdvice} does for Spring MVC. A handler bean's own exception handlers are tried
 * first; advice beans then in their {@link org.springframework.core.annotation.Order order}.
 *
 * <p>An exception handler method may take the exception, {@link ShmRequestContext}, {@code @Header} and
 * {@code @Headers} parameters. It returns either a value, sent as a normal reply, or a {@link ShmError},
 * sent as a remote error with an error code; {@code void} sends an empty reply; throwing sends that
 * exception as the remote error.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface ShmHandlerAdvice {}
