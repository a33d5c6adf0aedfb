package io.shmipc.grpc.autoconfigure;

import io.grpc.BindableService;
import io.shmipc.core.ShmConfig;
import io.shmipc.grpc.ShmGrpcService;
import io.shmipc.spring.ShmHandlerDispatcher;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
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
    ShmGrpcService shmGrpcService(ShmConfig config, ShmHandlerDispatcher dispatcher) {
        // The slot capacity bounds requests and replies on both transports, so a handler behaves alike.
        return new ShmGrpcService(dispatcher, config.slotCapacity());
    }
}
