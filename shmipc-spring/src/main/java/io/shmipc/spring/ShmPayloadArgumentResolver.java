package io.shmipc.spring;

import io.shmipc.core.ShmRequest;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.ValidationAnnotationUtils;

/**
 * Binds the payload parameter: the one annotated {@code @Payload}, or else the one no other resolver
 * claims (so {@code @Payload} is optional). {@code byte[]}, {@link ByteBuffer} (a read-only view of the
 * slot, valid during the call), {@link String} (UTF-8) pass through; other types go through the
 * {@link ShmCodec}. An empty payload binds {@code null}.
 *
 * <p>A payload annotated {@code @Valid} or {@code @Validated} is validated with the application's
 * {@link Validator}; a failure throws {@link MethodArgumentNotValidException} before the handler runs.
 */
final class ShmPayloadArgumentResolver implements HandlerMethodArgumentResolver {

    private final @Nullable ShmCodec codec;
    private final @Nullable Validator validator;

    /**
     * @param codec converts payloads that do not pass through; may be {@code null}
     * @param validator validates {@code @Valid} payloads; {@code null} skips validation
     */
    ShmPayloadArgumentResolver(@Nullable ShmCodec codec, @Nullable Validator validator) {
        this.codec = codec;
        this.validator = validator;
    }

    /** The catch-all: registered last, it takes whatever parameter the others leave. */
    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return true;
    }

    @Override
    public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
        ShmRequest request = (ShmRequest) message.getPayload();
        Object payload = parameter.getParameterType() == ByteBuffer.class
                ? request.payloadBuffer()
                : ShmPayloads.read(request.payload(), parameter.getGenericParameterType(), codec);
        if (payload != null && validator != null) {
            validate(payload, parameter, message, validator);
        }
        return payload;
    }

    private static void validate(Object payload, MethodParameter parameter, Message<?> message, Validator validator) {
        for (Annotation annotation : parameter.getParameterAnnotations()) {
            Object[] hints = ValidationAnnotationUtils.determineValidationHints(annotation);
            if (hints == null) {
                continue;
            }
            String objectName = parameter.getParameterName() != null ? parameter.getParameterName() : "payload";
            BindingResult result = new BeanPropertyBindingResult(payload, objectName);
            if (hints.length > 0 && validator instanceof SmartValidator smart) {
                smart.validate(payload, result, hints);
            } else {
                validator.validate(payload, result);
            }
            if (result.hasErrors()) {
                throw new MethodArgumentNotValidException(message, parameter, result);
            }
            return;
        }
    }
}
