package io.shmipc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Registers declarative client interfaces (methods with {@link ShmExchange}) as beans, each calling
 * through the context's {@link ShmOperations} (the auto-configured {@link ShmTemplate} in Spring Boot).
 * Put it on a {@code @Configuration} class; every interface is checked while the configuration is read,
 * so a method that cannot be mapped fails startup naming the interface and method.
 *
 * <pre>{@code
 * @Configuration(proxyBeanMethods = false)
 * @ImportShmServices({OrderClient.class, StockClient.class})
 * class ClientConfig {}
 *
 * @Service
 * class Checkout {
 *     Checkout(OrderClient orders) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(ShmServicesRegistrar.class)
public @interface ImportShmServices {

    /** @return the client interfaces to register */
    Class<?>[] value();

    /**
     * @return the name of the {@link ShmOperations} bean the clients call through; empty for the only one
     *     (or the primary one)
     */
    String operations() default "";
}
