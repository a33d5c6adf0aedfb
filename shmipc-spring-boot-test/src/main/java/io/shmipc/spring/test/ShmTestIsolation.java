package io.shmipc.spring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * The name and directory one test application context uses, removed when the context closes. Registered
 * as a bean by {@link AutoConfigureShm}; inject it to learn where the region lives.
 *
 * <pre>{@code
 * @Autowired ShmTestIsolation isolation;
 * assertThat(isolation.directory().resolve(isolation.name())).exists();
 * }</pre>
 *
 * @param name the {@code shmipc.name} of the context
 * @param directory the {@code shmipc.directory} of the context, a fresh temporary directory
 */
public record ShmTestIsolation(String name, Path directory) implements DisposableBean {

    /** The bean name it is registered under. */
    public static final String BEAN_NAME = "shmTestIsolation";

    /**
     * Deletes the directory and whatever the server or clients left in it. Registered before every other
     * bean, so it is destroyed after them: the server has stopped and the clients are closed by then.
     */
    @Override
    public void destroy() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("could not remove shmipc test directory " + directory, ex);
        }
    }

    /** Chooses a fresh name and directory for every context it customizes. */
    static final class Customizer implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            Path directory;
            try {
                directory = Files.createTempDirectory("shmipc-test-");
            } catch (IOException ex) {
                throw new UncheckedIOException("could not create a directory for the shmipc test region", ex);
            }
            ShmTestIsolation isolation = new ShmTestIsolation(
                    "shmipc-test-" + UUID.randomUUID().toString().substring(0, 8), directory);
            TestPropertyValues.of("shmipc.name=" + isolation.name(), "shmipc.directory=" + directory)
                    .applyTo(context);
            context.getBeanFactory().registerSingleton(BEAN_NAME, isolation);
            if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean(BEAN_NAME, isolation);
            }
        }

        // Every customizer is alike, so contexts of equal configuration are still cached and shared.
        @Override
        public boolean equals(Object other) {
            return other instanceof Customizer;
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }
    }
}
