package io.shmipc.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.spring.ImportShmServices;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/** {@link AutoConfigureShm}: a context of its own name and directory, served and called in one JVM. */
@SpringBootTest(classes = AutoConfigureShmTests.App.class, properties = "shmipc.name=fixed-by-the-app")
@AutoConfigureShm
class AutoConfigureShmTests {

    @Configuration(proxyBeanMethods = false)
    @Import(OrderServerApp.class)
    @ImportShmServices(OrderClient.class)
    static class App {}

    @Autowired
    ShmTestIsolation isolation;

    @Autowired
    Environment environment;

    @Autowired
    OrderClient orders;

    @Test
    void contextShouldHaveItsOwnNameAndDirectoryAndServeItsHandlers() {
        assertThat(isolation.name()).startsWith("shmipc-test-");
        assertThat(environment.getProperty("shmipc.name")).isEqualTo(isolation.name());
        assertThat(environment.getProperty("shmipc.directory"))
                .isEqualTo(isolation.directory().toString());
        assertThat(orders.place(new Order("o-1", 1), "t")).isEqualTo(new Receipt("o-1", 10));
        assertThat(isolation.directory().resolve(isolation.name())).exists();
    }

    @Test
    void eachContextShouldGetAFreshNameAndLoseItsDirectoryWhenClosed() throws Exception {
        ContextCustomizer customizer =
                new ShmTestContextCustomizerFactory().createContextCustomizer(AutoConfigureShmTests.class, List.of());
        assertThat(customizer)
                .isEqualTo(new ShmTestContextCustomizerFactory()
                        .createContextCustomizer(AutoConfigureShmTests.class, List.of()));
        assertThat(new ShmTestContextCustomizerFactory().createContextCustomizer(String.class, List.of()))
                .isNull();
        ShmTestIsolation first = isolatedContextLifecycle(customizer);
        ShmTestIsolation second = isolatedContextLifecycle(customizer);
        assertThat(first.name()).isNotEqualTo(second.name());
        assertThat(first.directory()).isNotEqualTo(second.directory());
    }

    /** Starts a serving context with the customizer, calls it, closes it, and checks nothing is left. */
    private static ShmTestIsolation isolatedContextLifecycle(ContextCustomizer customizer) {
        ShmTestIsolation isolation;
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            customizer.customizeContext(context, org.mockito.Mockito.mock(MergedContextConfiguration.class));
            context.register(App.class);
            context.refresh();
            isolation = context.getBean(ShmTestIsolation.class);
            assertThat(context.getBean(OrderClient.class).find("o-9")).contains(new Order("o-9", 1));
            assertThat(Files.exists(isolation.directory().resolve(isolation.name())))
                    .isTrue();
        }
        Path directory = isolation.directory();
        assertThat(directory).doesNotExist();
        return isolation;
    }
}
