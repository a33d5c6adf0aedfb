package io.shmipc.spring;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionService;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.messaging.handler.annotation.support.HeaderMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;
import org.springframework.validation.Validator;

/**
 * Binds {@link ShmHandler} methods to requests on spring-messaging's handler-method infrastructure, as
 * {@code DefaultMessageHandlerMethodFactory} does for {@code @KafkaListener}. Parameters resolve, in this
 * order: {@code @Header("name")} (with {@code required}, a default value and conversion through the
 * {@link ConversionService}), {@code @Headers Map<String, String>}, {@link ShmRequestContext}, the
 * application's custom {@link HandlerMethodArgumentResolver}s, and last the payload ({@code @Payload}
 * optional), validated when annotated {@code @Valid} or {@code @Validated}.
 *
 * <p>Configure it before the server starts; it is read when handler methods are bound.
 */
public class ShmHandlerMethodFactory {

    private final @Nullable ShmCodec codec;
    private @Nullable Validator validator;
    private @Nullable ConversionService conversionService;
    private @Nullable ConfigurableBeanFactory beanFactory;
    private final List<HandlerMethodArgumentResolver> customArgumentResolvers = new ArrayList<>();
    private volatile @Nullable HandlerMethodArgumentResolverComposite resolvers;

    /** @param codec converts payloads and replies that do not pass through; {@code null} when none is needed */
    public ShmHandlerMethodFactory(@Nullable ShmCodec codec) {
        this.codec = codec;
    }

    /** @param validator validates {@code @Valid}/{@code @Validated} payloads; {@code null} (the default) skips it */
    public void setValidator(@Nullable Validator validator) {
        this.validator = validator;
    }

    /** @param conversionService converts {@code @Header} values; defaults to a {@link DefaultFormattingConversionService} */
    public void setConversionService(ConversionService conversionService) {
        this.conversionService = conversionService;
    }

    /** @param beanFactory resolves placeholders in {@code @Header} default values; optional */
    public void setBeanFactory(ConfigurableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * @param resolvers the application's own argument resolvers, tried after the built-in annotation ones
     *     and before the payload
     */
    public void setCustomArgumentResolvers(List<? extends HandlerMethodArgumentResolver> resolvers) {
        customArgumentResolvers.clear();
        customArgumentResolvers.addAll(resolvers);
    }

    /** @return the codec, or {@code null} */
    @Nullable
    ShmCodec codec() {
        return codec;
    }

    /** @return every argument resolver, payload last */
    HandlerMethodArgumentResolverComposite resolvers() {
        HandlerMethodArgumentResolverComposite built = resolvers;
        if (built == null) {
            synchronized (this) {
                built = resolvers;
                if (built == null) {
                    built = new HandlerMethodArgumentResolverComposite();
                    ConversionService conversion =
                            conversionService != null ? conversionService : new DefaultFormattingConversionService();
                    built.addResolver(new HeaderMethodArgumentResolver(conversion, beanFactory));
                    built.addResolver(new ShmHeadersArgumentResolver());
                    built.addResolver(new ShmRequestContextArgumentResolver());
                    built.addResolvers(customArgumentResolvers);
                    built.addResolver(new ShmPayloadArgumentResolver(codec, validator));
                    resolvers = built;
                }
            }
        }
        return built;
    }

    /**
     * Binds a discovered handler method, checking once what every request would otherwise find out.
     *
     * @param endpoint the method and its route
     * @param errors maps its exceptions through {@code @MessageExceptionHandler} methods
     * @return the bound method
     * @throws ShmHandlerDefinitionException naming bean and method when the signature cannot be served
     */
    ShmHandlerMethod create(ShmHandlerEndpoint endpoint, ShmErrorMapping errors) {
        String description = endpoint.description();
        try {
            ShmHandlerMethod.isAsynchronous(endpoint.method().getReturnType());
        } catch (IllegalArgumentException ex) {
            throw new ShmHandlerDefinitionException(description, String.valueOf(ex.getMessage()));
        }
        HandlerMethodArgumentResolverComposite all = resolvers();
        ShmHandlerMethod bound = new ShmHandlerMethod(endpoint, all, errors, false);
        boolean needsCodec = !ShmPayloads.passesThrough(replyType(bound));
        MethodParameter payload = null;
        for (MethodParameter parameter : bound.parameters()) {
            if (!bindsPayload(all, parameter)) {
                continue;
            }
            if (payload != null) {
                throw new ShmHandlerDefinitionException(
                        description,
                        "has more than one payload parameter ("
                                + payload.getParameterType().getSimpleName()
                                + " and " + parameter.getParameterType().getSimpleName()
                                + "); a request carries one payload, so take one parameter (a record can hold"
                                + " several values), and mark others @Header, @Headers or ShmRequestContext");
            }
            payload = parameter;
            needsCodec |= !ShmPayloads.passesThrough(parameter.getParameterType());
        }
        if (needsCodec && codec == null) {
            throw new ShmHandlerDefinitionException(
                    description,
                    "takes or returns a type other than byte[], ByteBuffer, String or void, but there is no"
                            + " ShmCodec; add spring-boot-jackson (the shmipc starter brings it) or define a"
                            + " ShmCodec bean");
        }
        return needsCodec ? new ShmHandlerMethod(endpoint, all, errors, true) : bound;
    }

    /** @return true when no resolver before the payload's claims the parameter */
    private static boolean bindsPayload(HandlerMethodArgumentResolverComposite all, MethodParameter parameter) {
        for (HandlerMethodArgumentResolver resolver : all.getResolvers()) {
            if (resolver.supportsParameter(parameter)) {
                return resolver instanceof ShmPayloadArgumentResolver;
            }
        }
        return false;
    }

    /**
     * @return the type the reply is encoded from; for an asynchronous method, what it completes with; for a
     *     {@link ShmResponseEntity}, its body type
     */
    private static Class<?> replyType(ShmHandlerMethod method) {
        ResolvableType type = ResolvableType.forMethodReturnType(method.method());
        if (method.isAsynchronous()) {
            type = type.getGeneric(0);
        }
        if (type.toClass() == ShmResponseEntity.class) {
            type = type.getGeneric(0);
        }
        return type.resolve(Object.class);
    }
}
