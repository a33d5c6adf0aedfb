package io.shmipc.spring;

import io.shmipc.core.ShmRequest;
import io.shmipc.core.ShmResponse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link ShmHandler} method bound to its route: knows which parameter takes the payload and
 * which the {@link ShmRequestContext}, checked once at startup so a request never meets a surprise.
 */
final class ShmHandlerMethod {

    /** The engine stores routes in a fixed field of this many bytes. */
    static final int MAX_ROUTE_BYTES = 128;

    private final String route;
    private final Object bean;
    private final Method method;
    private final String description;
    private final int payloadIndex;
    private final int contextIndex;
    private final Type payloadType;
    private final Class<?> payloadClass;

    private ShmHandlerMethod(
            String route, Object bean, Method method, String description, int payloadIndex, int contextIndex) {
        this.route = route;
        this.bean = bean;
        this.method = method;
        this.description = description;
        this.payloadIndex = payloadIndex;
        this.contextIndex = contextIndex;
        this.payloadType = payloadIndex < 0 ? null : method.getGenericParameterTypes()[payloadIndex];
        this.payloadClass = payloadIndex < 0 ? null : method.getParameterTypes()[payloadIndex];
    }

    /**
     * @param route the route from the annotation
     * @param bean the bean, possibly a proxy
     * @param beanName the bean's name, for messages
     * @param method the method invocable on {@code bean}
     * @throws ShmHandlerDefinitionException when the route or the signature cannot be served
     */
    static ShmHandlerMethod create(String route, Object bean, String beanName, Method method) {
        String description = beanName + "." + method.getName()
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
        if (route == null || route.isBlank()) {
            throw new ShmHandlerDefinitionException(
                    description, "the route is empty; name it, e.g. @ShmHandler(\"orders.get\")");
        }
        if (route.getBytes(StandardCharsets.UTF_8).length > MAX_ROUTE_BYTES) {
            throw new ShmHandlerDefinitionException(
                    description,
                    "the route '" + route + "' is longer than " + MAX_ROUTE_BYTES + " UTF-8 bytes; shorten it");
        }
        Class<?>[] types = method.getParameterTypes();
        int payloadIndex = -1;
        int contextIndex = -1;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == ShmRequestContext.class) {
                if (contextIndex >= 0) {
                    throw new ShmHandlerDefinitionException(description, "declares ShmRequestContext twice; keep one");
                }
                contextIndex = i;
            } else {
                if (payloadIndex >= 0) {
                    throw new ShmHandlerDefinitionException(
                            description,
                            "has more than one payload parameter; a request"
                                    + " carries one payload, so take one parameter (a record can hold several values)"
                                    + " plus an optional ShmRequestContext");
                }
                payloadIndex = i;
            }
        }
        Class<?> returnType = method.getReturnType();
        if (Future.class.isAssignableFrom(returnType) || CompletionStage.class.isAssignableFrom(returnType)) {
            throw new ShmHandlerDefinitionException(
                    description,
                    "returns " + returnType.getSimpleName()
                            + "; handlers run synchronously on a server thread, so return the value itself");
        }
        ReflectionUtils.makeAccessible(method);
        return new ShmHandlerMethod(route, bean, method, description, payloadIndex, contextIndex);
    }

    String route() {
        return route;
    }

    /** @return {@code bean.method(ParamTypes)} */
    String description() {
        return description;
    }

    /** @return true when the payload or the reply needs a {@link ShmCodec} */
    boolean needsCodec() {
        return (payloadClass != null && !ShmPayloads.passesThrough(payloadClass))
                || !ShmPayloads.passesThrough(method.getReturnType());
    }

    /**
     * Binds the request, calls the method and writes its result. The payload is read before the reply is
     * written, because the reply overwrites the request in place.
     */
    void invoke(ShmRequest request, ShmResponse response, ShmCodec codec) throws Exception {
        Object[] args = new Object[method.getParameterCount()];
        if (payloadIndex >= 0) {
            args[payloadIndex] = payloadClass == ByteBuffer.class
                    ? request.payloadBuffer()
                    : ShmPayloads.read(request.payload(), payloadType, codec);
        }
        if (contextIndex >= 0) {
            long deadline = request.deadlineEpochMillis();
            args[contextIndex] = new ShmRequestContext(
                    request.route(),
                    request.clientPid(),
                    request.requestId(),
                    deadline > 0 ? Instant.ofEpochMilli(deadline) : null,
                    request.headers());
        }
        Object result;
        try {
            result = method.invoke(bean, args);
        } catch (InvocationTargetException ex) {
            // The client should see the handler's own exception type, not the reflective wrapper.
            if (ex.getCause() instanceof Error error) {
                throw error;
            }
            throw ex.getCause() instanceof Exception cause ? cause : ex;
        }
        if (result instanceof ByteBuffer buffer) {
            response.write(buffer);
        } else if (result != null) {
            // Encoded straight into the slot; a reply that does not fit is refused by commit.
            long length = ShmPayloads.write(result, response.buffer(), codec);
            response.commit((int) Math.min(length, Integer.MAX_VALUE));
        }
    }

    @Override
    public String toString() {
        return "'" + route + "' -> " + description;
    }
}
