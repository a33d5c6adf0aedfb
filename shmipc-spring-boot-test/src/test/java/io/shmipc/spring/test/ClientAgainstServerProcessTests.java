package io.shmipc.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.spring.ImportShmServices;
import io.shmipc.spring.ShmOperations;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The fluent spec and a declarative client against {@link OrderServerApp} running in another JVM. */
class ClientAgainstServerProcessTests {

    @TempDir
    Path directory;

    private final String name = "shmipc-client-it-" + UUID.randomUUID();
    private ChildJvm server;

    @Configuration(proxyBeanMethods = false)
    @ImportShmServices(OrderClient.class)
    static class ClientConfig {}

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void runWhenServerRunsInAnotherJvmShouldPassTheClientScenario() {
        server = ChildJvm.main(
                        OrderServerApp.class,
                        "--shmipc.name=" + name,
                        "--shmipc.directory=" + directory,
                        "--shmipc.role=server",
                        "--spring.main.banner-mode=off")
                .label("order-server")
                .removeOnClose(directory.resolve(name))
                .start();
        server.awaitLine(line -> line.contains(OrderServerApp.READY), Duration.ofSeconds(120));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ShmAutoConfiguration.class))
                .withPropertyValues(
                        "shmipc.name=" + name,
                        "shmipc.directory=" + directory,
                        "shmipc.role=client",
                        "shmipc.client.fail-fast=true")
                .withUserConfiguration(ClientConfig.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ClientScenario.run(context.getBean(ShmOperations.class), context.getBean(OrderClient.class));
                });
    }
}
