package io.shmipc.spring.test;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Adds {@link ShmTestIsolation} to contexts of test classes (or their enclosing classes) annotated with
 * {@link AutoConfigureShm}. Registered in {@code META-INF/spring.factories}.
 *
 * <pre>{@code
 * // picked up by the Spring TestContext Framework; not called directly
 * }</pre>
 */
public final class ShmTestContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureShm.class)
                ? new ShmTestIsolation.Customizer()
                : null;
    }
}
