package io.shmipc.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.ValueConstants;
import org.springframework.util.StringUtils;

/**
 * One {@link ShmExchange} method of a declarative client, mapped once when the client is created: which
 * argument is the payload, which are headers, and how the reply becomes the return value. Every problem is
 * found here, so a call never meets a surprise.
 */
final class ShmServiceMethod {

    /** How the reply is returned. */
    private enum Shape {
        VOID,
        VALUE,
        OPTIONAL,
        ENTITY,
        ASYNC_VALUE,
        ASYNC_OPTIONAL,
        ASYNC_ENTITY
    }

    private final String route;
    private final @Nullable Duration timeout;
    private final int payloadIndex;
    private final List<HeaderParameter> headers;
    private final Shape shape;
    private final ParameterizedTypeReference<Object> replyType;

    private ShmServiceMethod(
            String route,
            @Nullable Duration timeout,
            int payloadIndex,
            List<HeaderParameter> headers,
            Shape shape,
            ParameterizedTypeReference<Object> replyType) {
        this.route = route;
        this.timeout = timeout;
        this.payloadIndex = payloadIndex;
        this.headers = headers;
        this.shape = shape;
        this.replyType = replyType;
    }

    /**
     * @throws ShmServiceDefinitionException naming the interface and method when it cannot be mapped
     */
    static ShmServiceMethod create(Class<?> type, Method method, ShmExchange exchange) {
        String description = ShmServiceDefinitionException.describe(type, method);
        String route = exchange.value();
        if (!StringUtils.hasText(route)) {
            throw new ShmServiceDefinitionException(
                    description, "the route is empty; name it, e.g. @ShmExchange(\"orders.place\")");
        }
        Duration timeout = parseTimeout(description, exchange.timeout());
        int payloadIndex = -1;
        List<HeaderParameter> headers = new ArrayList<>();
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            Header header = AnnotatedElementUtils.findMergedAnnotation(parameter.getParameter(), Header.class);
            if (header != null) {
                headers.add(HeaderParameter.of(description, parameter, header));
            } else if (payloadIndex >= 0) {
                throw new ShmServiceDefinitionException(
                        description,
                        "has more than one payload parameter (" + (payloadIndex + 1) + " and " + (i + 1)
                                + "); a request carries one payload, so take one parameter (a record can hold several"
                                + " values) and mark the others @Header(\"name\")");
            } else {
                payloadIndex = i;
            }
        }
        ResolvableType returnType = ResolvableType.forMethodReturnType(method, type);
        Class<?> raw = returnType.toClass();
        Shape shape;
        ResolvableType reply;
        if (raw == void.class || raw == Void.class) {
            shape = Shape.VOID;
            reply = ResolvableType.forClass(Void.class);
        } else if (raw == CompletableFuture.class || raw == CompletionStage.class) {
            ResolvableType inner = generic(description, returnType);
            Class<?> innerRaw = inner.toClass();
            if (innerRaw == Optional.class) {
                shape = Shape.ASYNC_OPTIONAL;
                reply = generic(description, inner);
            } else if (innerRaw == ShmResponseEntity.class) {
                shape = Shape.ASYNC_ENTITY;
                reply = generic(description, inner);
            } else {
                shape = Shape.ASYNC_VALUE;
                reply = inner;
            }
        } else if (raw == Optional.class) {
            shape = Shape.OPTIONAL;
            reply = generic(description, returnType);
        } else if (raw == ShmResponseEntity.class) {
            shape = Shape.ENTITY;
            reply = generic(description, returnType);
        } else if (Future.class.isAssignableFrom(raw)
                || CompletionStage.class.isAssignableFrom(raw)
                || BaseStream.class.isAssignableFrom(raw)
                || java.util.Iterator.class.isAssignableFrom(raw)) {
            throw new ShmServiceDefinitionException(
                    description,
                    "returns " + raw.getSimpleName() + ", which a call cannot produce; return the reply type itself,"
                            + " Optional<T>, ShmResponseEntity<T> or CompletableFuture<T> (or void)");
        } else {
            shape = Shape.VALUE;
            reply = returnType;
        }
        if (reply.hasUnresolvableGenerics() || reply.getType() instanceof java.lang.reflect.TypeVariable<?>) {
            throw new ShmServiceDefinitionException(
                    description,
                    "returns " + returnType + ", whose reply type cannot be resolved; declare a concrete type"
                            + " such as List<Order>");
        }
        return new ShmServiceMethod(
                route, timeout, payloadIndex, List.copyOf(headers), shape, typeRef(reply.getType()));
    }

    private static ResolvableType generic(String description, ResolvableType type) {
        ResolvableType inner = type.getGeneric(0);
        if (inner == ResolvableType.NONE || inner.getType() instanceof java.lang.reflect.TypeVariable<?>) {
            throw new ShmServiceDefinitionException(
                    description,
                    "returns a raw or unresolvable " + type.toClass().getSimpleName()
                            + "; name its type argument, e.g. " + type.toClass().getSimpleName() + "<Receipt>");
        }
        return inner;
    }

    private static @Nullable Duration parseTimeout(String description, String timeout) {
        if (timeout.isEmpty()) {
            return null;
        }
        Duration parsed;
        try {
            parsed = DurationFormatterUtils.detectAndParse(timeout);
        } catch (RuntimeException ex) {
            throw new ShmServiceDefinitionException(
                    description,
                    "has timeout '" + timeout + "', which is not a duration; write e.g. \"200ms\" or \"2s\"");
        }
        if (parsed.isNegative() || parsed.isZero()) {
            throw new ShmServiceDefinitionException(description, "has timeout '" + timeout + "'; it must be positive");
        }
        return parsed;
    }

    @SuppressWarnings("unchecked")
    private static ParameterizedTypeReference<Object> typeRef(Type type) {
        return (ParameterizedTypeReference<Object>) ParameterizedTypeReference.forType(type);
    }

    /** Sends one call with the method's arguments and shapes the reply as the method returns it. */
    @Nullable
    Object invoke(ShmOperations operations, @Nullable Object[] args) {
        ShmOperations.RequestSpec spec = operations.route(route);
        if (timeout != null) {
            spec.timeout(timeout);
        }
        for (HeaderParameter header : headers) {
            header.apply(spec, args[header.index()]);
        }
        if (payloadIndex >= 0) {
            spec.body(args[payloadIndex]);
        }
        return switch (shape) {
            case VOID -> {
                spec.retrieve(Void.class);
                yield null;
            }
            case VALUE -> spec.retrieve(replyType);
            case OPTIONAL -> Optional.ofNullable(spec.retrieve(replyType));
            case ENTITY -> spec.toEntity(replyType);
            case ASYNC_VALUE -> spec.retrieveAsync(replyType);
            case ASYNC_OPTIONAL -> spec.retrieveAsync(replyType).thenApply(Optional::ofNullable);
            case ASYNC_ENTITY -> spec.toEntityAsync(replyType);
        };
    }

    /** A {@link Header} parameter: its name, whether it must be present, and its default. */
    private record HeaderParameter(
            int index,
            String name,
            boolean required,
            @Nullable String defaultValue) {

        static HeaderParameter of(String description, MethodParameter parameter, Header header) {
            String name = StringUtils.hasText(header.name()) ? header.name() : header.value();
            if (!StringUtils.hasText(name)) {
                name = parameter.getParameterName();
            }
            if (!StringUtils.hasText(name)) {
                throw new ShmServiceDefinitionException(
                        description,
                        "parameter " + (parameter.getParameterIndex() + 1) + " is a @Header without a name, and the"
                                + " class was compiled without -parameters; write @Header(\"name\")");
            }
            String defaultValue =
                    ValueConstants.DEFAULT_NONE.equals(header.defaultValue()) ? null : header.defaultValue();
            return new HeaderParameter(parameter.getParameterIndex(), name, header.required(), defaultValue);
        }

        void apply(ShmOperations.RequestSpec spec, @Nullable Object argument) {
            String value = argument != null ? argument.toString() : defaultValue;
            if (value == null) {
                if (required) {
                    throw new IllegalArgumentException("header '" + name + "' is required but the argument is null;"
                            + " pass a value or declare @Header(name = \"" + name + "\", required = false)"
                            + " (nothing was sent)");
                }
                return;
            }
            spec.header(name, value);
        }
    }
}
