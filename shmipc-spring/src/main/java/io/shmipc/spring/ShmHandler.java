package io.shmipc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the server-side handler of a route. The app then serves the route on the
 * shmipc name it is configured with ({@code shmipc.name}).
 *
 * <p>The method takes at most one payload parameter and optionally one {@link ShmRequestContext}.
 * {@code byte[]}, {@link java.nio.ByteBuffer} (a read-only view valid only during the call),
 * {@link String} (UTF-8) and {@code void} pass through unchanged; any other parameter or return type
 * goes through the {@link ShmCodec} (JSON by default). An exception thrown by the method reaches the
 * caller as {@link io.shmipc.core.ShmRemoteException}.
 *
 * <p>Each route may have one handler in the application; a duplicate fails startup.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ShmHandler {

    /**
     * @return the route, at most 128 UTF-8 bytes, not empty
     */
    String value();
}
