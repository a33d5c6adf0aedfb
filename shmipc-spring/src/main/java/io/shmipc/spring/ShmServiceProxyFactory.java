package io.shmipc.spring;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Creates declarative clients: implementations of interfaces whose methods carry {@link ShmExchange},
 * each call going through a {@link ShmOperations}. Every method is mapped when the client is created, so a
 * method that cannot be mapped fails then (naming the interface and method), not at its first call.
 *
 * <pre>{@code
 * ShmServiceProxyFactory factory = new ShmServiceProxyFactory(shmTemplate);
 * OrderClient orders = factory.createClient(OrderClient.class);
 * Receipt receipt = orders.place(new Order("o-1", 2), "tenant-1");
 * }</pre>
 */
public final class ShmServiceProxyFactory {

    private final ShmOperations operations;

    /** @param operations what the clients call through, e.g. the {@link ShmTemplate} bean */
    public ShmServiceProxyFactory(ShmOperations operations) {
        this.operations = Objects.requireNonNull(operations, "operations");
    }

    /**
     * @param type an interface whose abstract methods all carry {@link ShmExchange}
     * @param <S> the interface
     * @return a thread-safe client
     * @throws ShmServiceDefinitionException when a method cannot be mapped
     * @throws IllegalArgumentException when {@code type} is not an interface
     */
    public <S> S createClient(Class<S> type) {
        Map<Method, ShmServiceMethod> methods = map(type);
        InvocationHandler handler = new ServiceInvocationHandler(type, operations, methods);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /**
     * Maps every method of a client interface without creating it, to fail early.
     *
     * @param type the interface
     * @throws ShmServiceDefinitionException when a method cannot be mapped
     */
    public static void validate(Class<?> type) {
        map(type);
    }

    private static Map<Method, ShmServiceMethod> map(Class<?> type) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface; declarative shmipc clients"
                    + " are interfaces whose methods carry @ShmExchange");
        }
        Map<Method, ShmServiceMethod> methods = new LinkedHashMap<>();
        for (Method method : type.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            ShmExchange exchange = AnnotatedElementUtils.findMergedAnnotation(method, ShmExchange.class);
            if (exchange == null) {
                throw new ShmServiceDefinitionException(
                        ShmServiceDefinitionException.describe(type, method),
                        "has no @ShmExchange; annotate it with the route it calls, e.g. @ShmExchange(\"orders.place\"),"
                                + " or make it a default method");
            }
            methods.put(method, ShmServiceMethod.create(type, method, exchange));
        }
        return Map.copyOf(methods);
    }

    /** Routes each call to its mapped method; Object's methods and default methods run locally. */
    private record ServiceInvocationHandler(
            Class<?> type, ShmOperations operations, Map<Method, ShmServiceMethod> methods)
            implements InvocationHandler {

        @Override
        public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
            ShmServiceMethod mapped = methods.get(method);
            if (mapped != null) {
                return mapped.invoke(operations, args == null ? new Object[0] : args);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (ReflectionUtils.isEqualsMethod(method)) {
                return proxy == args[0];
            }
            if (ReflectionUtils.isHashCodeMethod(method)) {
                return System.identityHashCode(proxy);
            }
            if (ReflectionUtils.isToStringMethod(method)) {
                return "shmipc client " + type.getName() + " via " + operations;
            }
            throw new IllegalStateException("unexpected method " + method);
        }
    }
}
