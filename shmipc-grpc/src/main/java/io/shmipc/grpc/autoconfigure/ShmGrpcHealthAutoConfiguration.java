package io.shmipc.grpc.autoconfigure;

import io.shmipc.core.ShmClient;
import io.shmipc.spring.ShmServerLifecycle;
import io.shmipc.spring.ShmTransport;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import io.shmipc.spring.autoconfigure.ShmHealthAutoConfiguration;
import io.shmipc.spring.autoconfigure.ShmHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Replaces the {@code shmipc} health indicator with {@link ShmGrpcHealthIndicator} when the client's calls
 * may go over gRPC, so that health says which transport calls take and whether the remote end answers.
 * The remote end is asked within {@code shmipc.client.grpc.health-timeout}.
 */
@AutoConfiguration(
        after = {ShmGrpcClientAutoConfiguration.class, ShmAutoConfiguration.class},
        before = ShmHealthAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ShmClient.class})
@ConditionalOnBean({ShmClient.class, ShmTransport.class})
@ConditionalOnEnabledHealthIndicator("shmipc")
public final class ShmGrpcHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "shmipcHealthIndicator")
    ShmGrpcHealthIndicator shmipcHealthIndicator(
            ObjectProvider<ShmServerLifecycle> lifecycle,
            ShmClient client,
            ShmTransport transport,
            ShmGrpcClientProperties properties) {
        return new ShmGrpcHealthIndicator(
                new ShmHealthIndicator(lifecycle, client),
                transport,
                properties.grpc().healthTimeout());
    }
}
