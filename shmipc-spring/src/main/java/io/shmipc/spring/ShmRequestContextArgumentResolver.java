package io.shmipc.spring;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/** Binds a {@link ShmRequestContext} parameter. */
final class ShmRequestContextArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == ShmRequestContext.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        return ((ShmMessage) message).context();
    }
}
