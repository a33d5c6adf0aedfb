package io.shmipc.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.spring.ImportShmServices;
import io.shmipc.spring.ShmOperations;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import io.shmipc.testing.ShmTestRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The fluent spec and a declarative client against {@link OrderServerApp} running in another JVM. */
class ClientAgainstServerProcessTests {

    @RegisterExtension
    final ShmTestRegion region = new ShmTestRegion("shmipc-client-it");

    @Configuration(proxyBeanMethods = false)
    @ImportShmServices(OrderClient.class)
    static class ClientConfig {}

    @Test
    void runWhenServerRunsInAnotherJvmShouldPassTheClientScenario() {
        region.startServerApplication(OrderServerApp.class, OrderServerApp.READY);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ShmAutoConfiguration.class))
                .withPropertyValues(region.properties("shmipc.role=client", "shmipc.client.fail-fast=true"))
                .withUserConfiguration(ClientConfig.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ClientScenario.run(context.getBean(ShmOperations.class), context.getBean(OrderClient.class));
                });
    }
}
