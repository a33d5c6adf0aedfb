package io.shmipc.grpc.autoconfigure;

import io.grpc.BindableService;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmConfig;
import io.shmipc.grpc.ShmGrpcService;
import io.shmipc.spring.ShmCodec;
import io.shmipc.spring.ShmHandlerDispatcher;
import io.shmipc.spring.ShmHandlerRegistry;
import io.shmipc.spring.ShmServerObservationConvention;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import io.shmipc.spring.autoconfigure.ShmProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Serves the application's {@link io.shmipc.spring.ShmHandler} routes over Spring Boot's gRPC server as
 * well as over shared memory, when {@code shmipc.grpc.server.enabled=true} and the application has Boot's
 * gRPC server. Off by default: the remote path leaves the host, so it listens only where configured
 * ({@code spring.grpc.server.address}, {@code spring.grpc.server.port}, {@code spring.grpc.server.ssl.*}).
 */
@AutoConfiguration(
        after = ShmAutoConfiguration.class,
        beforeName = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerServicesAutoConfiguration")
@ConditionalOnClass({BindableService.class, ShmGrpcService.class})
@ConditionalOnBooleanProperty("shmipc.grpc.server.enabled")
public final class ShmGrpcServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ShmGrpcService shmGrpcService(
            ShmProperties properties,
            ShmConfig config,
            ShmHandlerRegistry registry,
            ObjectProvider<ShmCodec> codec,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<ShmServerObservationConvention> convention) {
        ShmHandlerDispatcher dispatcher = new ShmHandlerDispatcher(
                properties.name(),
                registry,
                codec.getIfAvailable(),
                observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP),
                convention.getIfUnique());
        // The slot capacity bounds requests and replies on both transports, so a handler behaves alike.
        return new ShmGrpcService(dispatcher, config.slotCapacity());
    }
}
