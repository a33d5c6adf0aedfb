package io.shmipc.grpc.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.grpc.ShmAutoTransport;
import io.shmipc.grpc.ShmGrpcService;
import io.shmipc.grpc.ShmGrpcTransport;
import io.shmipc.spring.ShmTransport;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.grpc.client.GrpcChannelFactory;

class ShmGrpcAutoConfigurationTests {

    @TempDir
    Path directory;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        JacksonAutoConfiguration.class,
                        SslAutoConfiguration.class,
                        GrpcClientAutoConfiguration.class,
                        ShmAutoConfiguration.class,
                        ShmGrpcServerAutoConfiguration.class,
                        ShmGrpcClientAutoConfiguration.class))
                .withPropertyValues(
                        "shmipc.name=shmipc-test-grpc-ac-" + UUID.randomUUID(),
                        "shmipc.role=client",
                        "shmipc.directory=" + directory);
    }

    @Test
    void runWhenServerNotEnabledShouldNotServeOverGrpc() {
        runner().run(context -> assertThat(context).doesNotHaveBean(ShmGrpcService.class));
    }

    @Test
    void runWhenServerEnabledShouldServeTheHandlersOverGrpc() {
        runner().withPropertyValues("shmipc.grpc.server.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(ShmGrpcService.class));
    }

    @Test
    void runWhenNoAddressShouldUseSharedMemoryOnly() {
        runner().run(context -> assertThat(context).doesNotHaveBean(ShmTransport.class));
    }

    @Test
    void runWhenAddressSetShouldChooseTheTransportPerCallByDefault() {
        runner().withPropertyValues("shmipc.client.grpc.address=127.0.0.1:1")
                .run(context -> assertThat(context).getBean(ShmTransport.class).isInstanceOf(ShmAutoTransport.class));
    }

    @Test
    void runWhenTransportGrpcShouldAlwaysCallTheRemoteAddress() {
        runner().withPropertyValues("shmipc.client.grpc.address=127.0.0.1:1", "shmipc.client.transport=grpc")
                .run(context -> assertThat(context).getBean(ShmTransport.class).isInstanceOf(ShmGrpcTransport.class));
    }

    @Test
    void runWhenTransportShmShouldNeverCallTheRemoteAddress() {
        runner().withPropertyValues("shmipc.client.grpc.address=127.0.0.1:1", "shmipc.client.transport=shm")
                .run(context -> assertThat(context)
                        .getBean(ShmTransport.class)
                        .isNotInstanceOfAny(ShmGrpcTransport.class, ShmAutoTransport.class));
    }

    @Test
    void runWhenBootsGrpcClientIsAbsentShouldBackOff() {
        runner().withClassLoader(new FilteredClassLoader(GrpcChannelFactory.class))
                .withPropertyValues("shmipc.client.grpc.address=127.0.0.1:1")
                .run(context -> assertThat(context).doesNotHaveBean(ShmTransport.class));
    }
}
