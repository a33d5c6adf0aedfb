package io.shmipc.spring.autoconfigure;

import io.shmipc.core.ShmClient;
import io.shmipc.spring.ShmServerLifecycle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code shmipc} health indicator, when spring-boot-health is present.
 * Switch it off with {@code management.health.shmipc.enabled=false}.
 */
@AutoConfiguration(after = ShmAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ShmClient.class})
@ConditionalOnBean(ShmClient.class)
@ConditionalOnEnabledHealthIndicator("shmipc")
public final class ShmHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "shmipcHealthIndicator")
    ShmHealthIndicator shmipcHealthIndicator(ObjectProvider<ShmServerLifecycle> lifecycle, ShmClient client) {
        return new ShmHealthIndicator(lifecycle, client);
    }
}
