package io.shmipc.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.spring.JacksonShmCodec;
import io.shmipc.spring.ShmClientConnector;
import io.shmipc.spring.ShmClientInterceptor;
import io.shmipc.spring.ShmClientObservationConvention;
import io.shmipc.spring.ShmCodec;
import io.shmipc.spring.ShmHandlerDispatcher;
import io.shmipc.spring.ShmHandlerMethodFactory;
import io.shmipc.spring.ShmHandlerRegistry;
import io.shmipc.spring.ShmRoleDecider;
import io.shmipc.spring.ShmServerLifecycle;
import io.shmipc.spring.ShmServerObservationConvention;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.spring.ShmTemplateBuilder;
import io.shmipc.spring.ShmTemplateCustomizer;
import io.shmipc.spring.ShmTimeoutListener;
import io.shmipc.spring.ShmTransport;
import java.time.Duration;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.Validator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of shmipc: the engine client, {@link ShmTemplate}, {@link io.shmipc.spring.ShmHandler}
 * discovery and binding, the role decision, the server lifecycle and the fail-fast client connection. Every
 * bean backs off when the application defines its own. Handler arguments can be extended with
 * {@link HandlerMethodArgumentResolver} beans; {@code @Valid} payloads use the application's {@link Validator}.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
            "org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration",
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
        })
@ConditionalOnClass(ShmClient.class)
@EnableConfigurationProperties(ShmProperties.class)
public final class ShmAutoConfiguration {

    /** Spring's own default of {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    private static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    @ConditionalOnMissingBean
    static ShmHandlerRegistry shmHandlerRegistry() {
        return new ShmHandlerRegistry();
    }

    @Bean
    @ConditionalOnMissingBean
    ShmConfig shmConfig(ShmProperties properties) {
        return properties.toShmConfig();
    }

    @Bean
    @ConditionalOnMissingBean
    ShmClient shmClient(ShmProperties properties, ShmConfig config) {
        return new ShmClient(properties.name(), config);
    }

    /**
     * A prototype, like {@code RestClient.Builder}: every injection point gets its own builder, set up from
     * the properties, the observation beans, the ordered {@link ShmClientInterceptor} beans and then the
     * ordered {@link ShmTemplateCustomizer} beans.
     */
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @ConditionalOnMissingBean
    ShmTemplateBuilder shmTemplateBuilder(
            ShmClient client,
            ShmProperties properties,
            ObjectProvider<ShmCodec> codec,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<ShmClientObservationConvention> convention,
            ObjectProvider<ShmTimeoutListener> timeoutListeners,
            ObjectProvider<ShmClientInterceptor> interceptors,
            ObjectProvider<ShmTemplateCustomizer> customizers,
            ObjectProvider<ShmTransport> transport) {
        ShmTemplateBuilder builder = ShmTemplate.builder(client)
                .transport(transport.getIfUnique())
                .codec(codec.getIfAvailable())
                .defaultTimeout(properties.client().timeout())
                .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
                .observationConvention(convention.getIfUnique());
        timeoutListeners.orderedStream().forEach(builder::timeoutListener);
        interceptors.orderedStream().forEach(builder::interceptor);
        customizers.orderedStream().forEach(builder::apply);
        return builder;
    }

    @Bean
    @ConditionalOnMissingBean
    ShmTemplate shmTemplate(ShmTemplateBuilder shmTemplateBuilder) {
        return shmTemplateBuilder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    ShmHandlerMethodFactory shmHandlerMethodFactory(
            ObjectProvider<ShmCodec> codec,
            ObjectProvider<Validator> validator,
            ObjectProvider<HandlerMethodArgumentResolver> argumentResolvers,
            ConfigurableListableBeanFactory beanFactory) {
        ShmHandlerMethodFactory factory = new ShmHandlerMethodFactory(codec.getIfAvailable());
        factory.setValidator(validator.getIfUnique());
        factory.setBeanFactory(beanFactory);
        factory.setConversionService(ApplicationConversionService.getSharedInstance());
        factory.setCustomArgumentResolvers(argumentResolvers.orderedStream().toList());
        return factory;
    }

    @Bean
    @ConditionalOnMissingBean
    ShmRoleDecider shmRoleDecider(ShmProperties properties, ShmHandlerRegistry registry) {
        return new ShmRoleDecider(properties.role(), properties.name(), registry);
    }

    /**
     * Serves the {@link io.shmipc.spring.ShmHandler} routes: the shared-memory server uses it, and so can
     * other transports (shmipc-grpc), so a route answers the same whichever way it was called.
     */
    @Bean
    @ConditionalOnMissingBean
    ShmHandlerDispatcher shmHandlerDispatcher(
            ShmProperties properties,
            ShmHandlerRegistry registry,
            ShmHandlerMethodFactory methodFactory,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<ShmServerObservationConvention> convention) {
        ShmProperties.Server server = properties.server();
        ShmHandlerDispatcher dispatcher = new ShmHandlerDispatcher(
                properties.name(),
                registry,
                methodFactory,
                server.observationEnabled()
                        ? observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP)
                        : ObservationRegistry.NOOP,
                convention.getIfUnique());
        dispatcher.setExecution(server.execution());
        dispatcher.setBlockingThreshold(server.blockingThreshold());
        return dispatcher;
    }

    @Bean
    @ConditionalOnMissingBean
    ShmServerLifecycle shmServerLifecycle(
            ShmProperties properties,
            ShmConfig config,
            ShmRoleDecider roleDecider,
            ShmHandlerRegistry registry,
            ShmHandlerDispatcher dispatcher,
            Environment environment) {
        String phaseTimeout = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase");
        Duration stopTimeout =
                phaseTimeout == null ? DEFAULT_PHASE_TIMEOUT : DurationStyle.detectAndParse(phaseTimeout);
        ShmServerLifecycle lifecycle =
                new ShmServerLifecycle(roleDecider, properties.name(), config, registry, dispatcher, stopTimeout);
        lifecycle.setExitZeroOnSigterm(properties.server().exitZeroOnSigterm());
        return lifecycle;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty("shmipc.client.fail-fast")
    ShmClientConnector shmClientConnector(ShmRoleDecider roleDecider, ShmClient client) {
        return new ShmClientConnector(roleDecider, client);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static final class JacksonCodecConfiguration {

        @Bean
        @ConditionalOnMissingBean(ShmCodec.class)
        JacksonShmCodec jacksonShmCodec(
                ShmProperties properties, ObjectProvider<JsonMapper> jsonMapper, BeanFactory beanFactory) {
            // Without spring-boot-jackson there is no mapper bean; a plain one still speaks JSON.
            JsonMapper json = jsonMapper.getIfUnique(JsonMapper::shared);
            return new JacksonShmCodec(
                    properties.codec() == ShmProperties.Codec.JSON
                            ? json
                            : BinaryMappers.create(properties.codec(), json, beanFactory));
        }
    }
}
