package io.shmipc.spring;

import org.jspecify.annotations.Nullable;

/**
 * What a {@code @MessageExceptionHandler} method returns to answer with a remote error rather than a
 * reply: the client then gets an {@link io.shmipc.core.ShmRemoteException} whose
 * {@link io.shmipc.core.ShmRemoteException#errorCode() errorCode()} is {@code code}, whose remote message is
 * {@code message}, and whose remote type is the class of the exception that was handled. No stack trace
 * crosses the wire.
 *
 * <pre class="code">
 * &#64;MessageExceptionHandler
 * ShmError notFound(OrderNotFoundException ex) {
 *     return new ShmError("ORDER_NOT_FOUND", ex.getMessage());
 * }
 * </pre>
 *
 * @param code a stable application error code clients can branch on, at most 255 UTF-8 bytes; {@code null}
 *     for none
 * @param message the message the client sees, possibly empty; {@code null} is sent as empty
 */
public record ShmError(@Nullable String code, @Nullable String message) {}
