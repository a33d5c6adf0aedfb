package io.shmipc.spring;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A discovered {@link ShmHandler} method, before it is bound: its route (placeholders resolved), the bean
 * and the method invocable on it.
 *
 * @param route the route
 * @param bean the bean, possibly a proxy
 * @param beanName the bean's name, for messages
 * @param method the method invocable on {@code bean}
 */
record ShmHandlerEndpoint(String route, Object bean, String beanName, Method method) {

    /** @return {@code bean.method(ParamTypes)}, how errors name the handler */
    String description() {
        return beanName + "." + method.getName()
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }
}
