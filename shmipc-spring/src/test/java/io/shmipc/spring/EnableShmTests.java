package io.shmipc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmRemoteException;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;

/** {@link EnableShm} in a plain Spring application (no Spring Boot), serving and calling on the real engine. */
class EnableShmTests {

    @TempDir
    static Path directory;

    @Configuration(proxyBeanMethods = false)
    @EnableShm
    static class PlainApplication {

        @Bean
        ShmConfig shmConfig() {
            return ShmConfig.builder().directory(directory).slotCount(2).build();
        }

        @Bean
        Greeter greeter() {
            return new Greeter();
        }
    }

    static class Greeter {

        @ShmHandler("${greeting.route}")
        String greet(String who, @Header(name = "punctuation", defaultValue = "!") String punctuation) {
            if (who.isEmpty()) {
                throw new IllegalArgumentException("nobody to greet");
            }
            return "hello " + who + punctuation;
        }

        @MessageExceptionHandler
        ShmError nobody(IllegalArgumentException ex) {
            return new ShmError("NOBODY", ex.getMessage());
        }
    }

    @Test
    void runWhenEnableShmOnPlainSpringShouldServeAndCallThroughTheEngine() {
        String name = "shmipc-test-enable-" + UUID.randomUUID();
        ShmServerLifecycle lifecycle;
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "test", java.util.Map.of("shmipc.name", name, "greeting.route", "greet")));
            context.register(PlainApplication.class);
            context.refresh();
            lifecycle = context.getBean(ShmServerLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(directory.resolve(name)).exists();

            ShmTemplate template = context.getBean(ShmTemplate.class);
            assertThat(template.call("greet", "spring", String.class)).isEqualTo("hello spring!");
            assertThat(template.route("greet")
                            .header("punctuation", "?")
                            .body("again")
                            .retrieve(String.class))
                    .isEqualTo("hello again?");
            assertThatExceptionOfType(ShmRemoteException.class)
                    .isThrownBy(() -> template.call("greet", "", String.class))
                    .satisfies(ex -> assertThat(ex.errorCode()).isEqualTo("NOBODY"));
        }
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(directory.resolve(name)).doesNotExist();
    }

    @Test
    void runWhenNameMissingShouldFailSayingWhatToSet() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.register(PlainApplication.class);
            assertThatExceptionOfType(Exception.class)
                    .isThrownBy(context::refresh)
                    .withStackTraceContaining("@EnableShm needs a shmipc name");
        }
    }
}
