package io.shmipc.spring;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

/**
 * Registers what a native image needs to serve a {@link ShmHandler} method: the method itself (it is
 * invoked reflectively) and binding hints for its payload and reply types, which the codec reads and
 * writes reflectively (e.g. record components for JSON), as Spring does for {@code @MessageMapping}.
 */
class ShmHandlerReflectiveProcessor extends SimpleReflectiveProcessor {

    private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

    @Override
    public void registerReflectionHints(ReflectionHints hints, AnnotatedElement element) {
        super.registerReflectionHints(hints, element);
        if (element instanceof Method method) {
            for (int i = 0; i < method.getParameterCount(); i++) {
                registerBinding(hints, MethodParameter.forExecutable(method, i).getGenericParameterType());
            }
            ResolvableType returnType = ResolvableType.forMethodReturnType(method);
            registerBinding(hints, returnType.getType());
            // A future's or a Mono's value is the reply.
            if (returnType.hasGenerics()) {
                registerBinding(hints, returnType.getGeneric(0).getType());
            }
        }
    }

    private void registerBinding(ReflectionHints hints, Type type) {
        Class<?> raw = ResolvableType.forType(type).resolve();
        if (raw == null || raw.isPrimitive() || ShmPayloads.passesThrough(raw) || raw == ShmRequestContext.class) {
            return;
        }
        bindingRegistrar.registerReflectionHints(hints, type);
    }
}
