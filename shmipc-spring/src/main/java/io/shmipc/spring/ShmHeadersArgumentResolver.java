package io.shmipc.spring;

import io.shmipc.core.ShmRequest;
import java.util.Collections;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Binds a {@code @Headers Map<String, String>} parameter to the request's headers, exactly as the client
 * sent them (no generated id or timestamp entries). The map is read-only.
 */
final class ShmHeadersArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(Headers.class)
                && Map.class.isAssignableFrom(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        return Collections.unmodifiableMap(((ShmRequest) message.getPayload()).headers());
    }
}
