package io.shmipc.grpc.autoconfigure;

import io.grpc.ManagedChannel;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmClient;
import io.shmipc.grpc.ShmAutoTransport;
import io.shmipc.grpc.ShmGrpcCaller;
import io.shmipc.grpc.ShmGrpcTransport;
import io.shmipc.spring.ShmTransport;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Lets {@link io.shmipc.spring.ShmTemplate} (and everything built on it) reach a server on another host
 * through Spring Boot's gRPC client: {@code shmipc.client.transport} chooses shared memory, gRPC, or
 * {@code auto} (shared memory while a live local server serves the name, gRPC otherwise), and
 * {@code shmipc.client.grpc.address} names the remote end (an address, or a channel configured under
 * {@code spring.grpc.client.channel.<name>}, which is where TLS is set).
 */
@AutoConfiguration(
        before = ShmAutoConfiguration.class,
        afterName = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass({GrpcChannelFactory.class, ShmGrpcTransport.class})
@EnableConfigurationProperties(ShmGrpcClientProperties.class)
public final class ShmGrpcClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ShmTransport.class)
    @ConditionalOnBean(GrpcChannelFactory.class)
    @ConditionalOnProperty("shmipc.client.grpc.address")
    ShmTransport shmTransport(
            ShmGrpcClientProperties properties,
            ObjectProvider<ShmClient> client,
            GrpcChannelFactory channels,
            ObjectProvider<ObservationRegistry> observationRegistry,
            Environment environment) {
        ShmGrpcClientProperties.Grpc grpc = properties.grpc();
        String address = grpc.address();
        if (address == null || address.isBlank()) {
            throw new InvalidConfigurationPropertyValueException(
                    "shmipc.client.grpc.address", address, "must name host:port or a spring.grpc.client.channel");
        }
        ManagedChannel channel = channels.createChannel(address);
        ShmGrpcTransport remote = new ShmGrpcTransport(
                new ShmGrpcCaller(channel, describe(address, environment), (int)
                        Math.min(Integer.MAX_VALUE, grpc.maxPayload().toBytes())),
                observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
        return switch (properties.transport()) {
            case GRPC -> remote;
            case AUTO -> new ShmAutoTransport(client.getObject(), remote, grpc.localCheckInterval());
            case SHM -> ShmTransport.of(client.getObject());
        };
    }

    /** The address as errors name it: a named channel with the target it stands for. */
    private static String describe(String address, Environment environment) {
        String target = environment.getProperty("spring.grpc.client.channel." + address + ".target");
        return target == null ? address : address + " (" + target + ")";
    }
}
