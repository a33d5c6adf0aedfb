package io.shmipc.spring;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A declarative client interface that cannot be mapped to calls; thrown when the client is created
 * (at startup for {@link ImportShmServices}), naming the interface and the method.
 *
 * <pre>{@code
 * // OrderClient.place(Order, Order): has two payload parameters; ...
 * }</pre>
 */
public class ShmServiceDefinitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String method;

    /**
     * @param method the method at fault, described as {@code Interface.method(ParamTypes)}
     * @param problem what is wrong and what to do
     */
    public ShmServiceDefinitionException(String method, String problem) {
        super(method + ": " + problem);
        this.method = method;
    }

    /** @return the method at fault, as {@code Interface.method(ParamTypes)} */
    public String getMethod() {
        return method;
    }

    /** @return {@code Interface.method(ParamTypes)}, with simple type names */
    static String describe(Class<?> type, Method method) {
        return type.getName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }
}
