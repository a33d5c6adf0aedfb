package io.shmipc.sample.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Creates the agent's {@link MetricStore} from {@link AgentProperties}. */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    @Bean
    MetricStore metricStore(AgentProperties properties) {
        return new MetricStore(properties.maxSeries(), properties.samplesPerSeries(), System::currentTimeMillis);
    }
}
