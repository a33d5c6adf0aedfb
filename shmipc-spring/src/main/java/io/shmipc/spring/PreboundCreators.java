package io.shmipc.spring;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedWithParams;
import tools.jackson.databind.util.ClassUtil;

/**
 * Calls the constructor (or static factory) that builds a record or a {@code @JsonCreator} class through a
 * method handle spread once, instead of Jackson 3's per-call {@code MethodHandle.invokeWithArguments}, which
 * builds a spreader and looks up method types on every call (measured: about half of decoding a small
 * record). The same creator runs with the same arguments; only how it is invoked changes.
 *
 * <p>Only Jackson's own {@link StdValueInstantiator} is replaced, so an application's custom instantiator is
 * left alone, and a creator the codec cannot see through a method handle keeps Jackson's way of calling it.
 */
final class PreboundCreators implements ValueInstantiators {

    @Override
    public @Nullable ValueInstantiator findValueInstantiator(
            DeserializationConfig config, BeanDescription.Supplier beanDesc) {
        return null;
    }

    @Override
    public ValueInstantiator modifyValueInstantiator(
            DeserializationConfig config, BeanDescription.Supplier beanDesc, ValueInstantiator instantiator) {
        if (instantiator.getClass() != StdValueInstantiator.class) {
            return instantiator;
        }
        StdValueInstantiator standard = (StdValueInstantiator) instantiator;
        AnnotatedWithParams creator = standard.getWithArgsCreator();
        MethodHandle spread = creator == null ? null : spread(creator);
        return spread == null ? instantiator : new Instantiator(standard, spread);
    }

    /** @return the creator as {@code (Object[]) -> Object}, or null when it cannot be seen through a handle */
    private static @Nullable MethodHandle spread(AnnotatedWithParams creator) {
        if (!(creator.getAnnotated() instanceof Executable executable)) {
            return null;
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle handle;
            if (executable instanceof Constructor<?> constructor) {
                handle = lookup.unreflectConstructor(constructor);
            } else if (executable instanceof Method method && Modifier.isStatic(method.getModifiers())) {
                handle = lookup.unreflect(method);
            } else {
                return null;
            }
            // The conversions invokeWithArguments applies per call (boxing and casts to the parameter types),
            // fixed once; a varargs creator takes its array as one argument, as Jackson's fixed-arity call does.
            handle = handle.asFixedArity();
            int count = handle.type().parameterCount();
            return handle.asType(handle.type().generic()).asSpreader(Object[].class, count);
        } catch (IllegalAccessException | RuntimeException inaccessible) {
            // Not public and not made accessible by Jackson (MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS off, or
            // a module that does not open the package): Jackson's own call applies its own rules.
            return null;
        }
    }

    /** Jackson's instantiator with the with-args creator called through the prebound handle. */
    private static final class Instantiator extends StdValueInstantiator {

        private final MethodHandle creator;

        Instantiator(StdValueInstantiator source, MethodHandle creator) {
            super(source);
            this.creator = creator;
        }

        @Override
        public Object createFromObjectWith(DeserializationContext context, Object[] arguments) {
            try {
                return (Object) creator.invokeExact(arguments);
            } catch (Exception failure) {
                // As StdValueInstantiator does with what the creator throws.
                return context.handleInstantiationProblem(_valueClass, arguments, rewrapCtorProblem(context, failure));
            } catch (Throwable error) {
                throw ClassUtil.sneakyThrow(error);
            }
        }
    }
}
