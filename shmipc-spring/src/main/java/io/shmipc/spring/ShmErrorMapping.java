package io.shmipc.spring;

import io.shmipc.core.ShmRemoteException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.messaging.handler.annotation.support.AnnotationExceptionHandlerMethodResolver;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Turns an exception from a {@link ShmHandler} method into what the client receives, through
 * {@code @MessageExceptionHandler} methods: first the handler bean's own, then those of
 * {@link ShmHandlerAdvice} beans in order. Without a matching method, a validation failure becomes a
 * remote error naming each field and constraint; any other exception is sent as it is.
 */
final class ShmErrorMapping {

    /** What {@link #tryHandle} returns when no exception handler matched (null is a valid reply). */
    private static final Object NOT_HANDLED = new Object();

    private final HandlerMethodArgumentResolverComposite resolvers;
    private final List<Object> adviceBeans;
    private final Map<Class<?>, AnnotationExceptionHandlerMethodResolver> resolverCache = new ConcurrentHashMap<>();

    /**
     * @param resolvers bind exception handler parameters other than the exception itself
     * @param adviceBeans {@link ShmHandlerAdvice} beans, in order
     */
    ShmErrorMapping(HandlerMethodArgumentResolverComposite resolvers, List<Object> adviceBeans) {
        this.resolvers = resolvers;
        this.adviceBeans = List.copyOf(adviceBeans);
    }

    /**
     * @param failure what the handler (or its future) failed with
     * @param message the request
     * @param handlerBean the bean whose method failed
     * @param route the route, for the remote error
     * @return the reply an exception handler chose
     * @throws Exception the failure to send as a remote error: {@code failure} itself, or a
     *     {@link ShmRemoteException} carrying an error code or a readable validation message
     */
    @Nullable
    Object handle(Exception failure, ShmMessage message, Object handlerBean, String route) throws Exception {
        @Nullable Object reply = tryHandle(handlerBean, failure, message, route);
        if (reply != NOT_HANDLED) {
            return reply;
        }
        for (Object advice : adviceBeans) {
            reply = tryHandle(advice, failure, message, route);
            if (reply != NOT_HANDLED) {
                return reply;
            }
        }
        if (failure instanceof MethodArgumentNotValidException invalid && invalid.getBindingResult() != null) {
            throw new ShmRemoteException(
                    route, failure.getClass().getName(), describe(invalid.getBindingResult()), null);
        }
        throw failure;
    }

    private @Nullable Object tryHandle(Object bean, Exception failure, ShmMessage message, String route)
            throws Exception {
        AnnotationExceptionHandlerMethodResolver resolver = resolverCache.computeIfAbsent(
                AopProxyUtils.ultimateTargetClass(bean), AnnotationExceptionHandlerMethodResolver::new);
        if (!resolver.hasExceptionMappings()) {
            return NOT_HANDLED;
        }
        Method method = resolver.resolveMethod(failure);
        if (method == null) {
            return NOT_HANDLED;
        }
        InvocableHandlerMethod invocable = new InvocableHandlerMethod(bean, method);
        invocable.setMessageMethodArgumentResolvers(resolvers);
        Object result = failure.getCause() == null
                ? invocable.invoke(message, failure)
                : invocable.invoke(message, failure, failure.getCause());
        if (result instanceof ShmError error) {
            throw new ShmRemoteException(
                    route, failure.getClass().getName(), error.message() == null ? "" : error.message(), error.code());
        }
        return result;
    }

    /** @return e.g. {@code "payload order is invalid: quantity must be greater than 0 (Positive)"} */
    static String describe(BindingResult result) {
        return "payload " + result.getObjectName() + " is invalid: "
                + result.getAllErrors().stream().map(ShmErrorMapping::describe).collect(Collectors.joining("; "));
    }

    private static String describe(ObjectError error) {
        String subject = error instanceof FieldError field ? field.getField() + " " : "";
        return subject + error.getDefaultMessage() + " (" + error.getCode() + ")";
    }
}
