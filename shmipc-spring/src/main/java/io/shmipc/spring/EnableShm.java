package io.shmipc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Configures shmipc in a plain Spring application (without Spring Boot, whose starter does this from
 * {@code shmipc.*} properties): {@link ShmHandler} discovery, the server lifecycle and a
 * {@link ShmTemplate}. Put it on a {@code @Configuration} class:
 *
 * <pre class="code">
 * &#64;Configuration
 * &#64;EnableShm(name = "orders")
 * class OrdersConfig { ... }
 * </pre>
 *
 * <p>The engine settings come from a {@link io.shmipc.core.ShmConfig} bean when the application defines
 * one, else the defaults; the codec from a {@link ShmCodec} bean, else JSON when Jackson is present;
 * {@code @Valid} payloads are validated by the application's {@link org.springframework.validation.Validator}
 * bean, if any. Register a shutdown hook ({@code context.registerShutdownHook()}) so that SIGTERM stops the
 * server gracefully.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(ShmConfiguration.class)
public @interface EnableShm {

    /** @return the shmipc name; placeholders are resolved, so the default reads {@code shmipc.name} */
    String name() default "${shmipc.name}";

    /** @return which side of the name the application takes */
    ShmRole role() default ShmRole.AUTO;

    /** @return the default timeout of {@link ShmTemplate} calls, as a {@link java.time.Duration} text */
    String clientTimeout() default "PT5S";
}
