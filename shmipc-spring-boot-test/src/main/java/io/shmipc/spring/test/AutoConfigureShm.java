package io.shmipc.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Gives each test application context its own {@code shmipc.name} and {@code shmipc.directory} (a fresh
 * temporary directory), so tests running in parallel never meet each other's servers or files, and
 * removes the directory with everything in it after the context closes. Also imports the shmipc
 * auto-configuration, for test slices that do not load it.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureShm
 * class CheckoutTests {
 *     @Autowired OrderClient orders;   // calls this context's own server
 * }
 * }</pre>
 *
 * The chosen name and directory are in the environment as usual ({@code ${shmipc.name}}); they win over
 * values set elsewhere, which is the point.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureShm {}
