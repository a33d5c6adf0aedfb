package io.shmipc.spring;

import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportAware;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.util.ClassUtils;
import org.springframework.validation.Validator;

/**
 * The beans {@link EnableShm} adds to a plain Spring application. Spring Boot applications get the same
 * wiring, configurable through properties, from the shmipc auto-configuration instead.
 */
@Configuration(proxyBeanMethods = false)
class ShmConfiguration implements ImportAware, EnvironmentAware {

    private static final boolean JACKSON_PRESENT =
            ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", ShmConfiguration.class.getClassLoader());

    // Both set by Spring (EnvironmentAware, then ImportAware) before any @Bean method runs.
    @SuppressWarnings("NullAway.Init")
    private Environment environment;

    @SuppressWarnings("NullAway.Init")
    private String name;

    private ShmRole role = ShmRole.AUTO;
    private Duration clientTimeout = Duration.ofSeconds(5);

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setImportMetadata(AnnotationMetadata metadata) {
        Map<String, @Nullable Object> attributes = metadata.getAnnotationAttributes(EnableShm.class.getName());
        Objects.requireNonNull(attributes, "@EnableShm attributes");
        String configured = (String) Objects.requireNonNull(attributes.get("name"), "name");
        try {
            this.name = environment.resolveRequiredPlaceholders(configured);
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(
                    "@EnableShm needs a shmipc name: set the name attribute, e.g. @EnableShm(name = \"orders\"), or"
                            + " the shmipc.name property",
                    ex);
        }
        this.role = (ShmRole) Objects.requireNonNull(attributes.get("role"), "role");
        this.clientTimeout =
                Duration.parse((String) Objects.requireNonNull(attributes.get("clientTimeout"), "clientTimeout"));
    }

    @Bean
    static ShmHandlerRegistry shmHandlerRegistry() {
        return new ShmHandlerRegistry();
    }

    @Bean
    ShmClient shmClient(ObjectProvider<ShmConfig> config) {
        return new ShmClient(
                name, config.getIfAvailable(() -> ShmConfig.builder().build()));
    }

    @Bean
    ShmTemplate shmTemplate(
            ShmClient client,
            ObjectProvider<ShmCodec> codec,
            ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<ShmClientInterceptor> interceptors,
            ObjectProvider<ShmTemplateCustomizer> customizers) {
        ShmTemplateBuilder builder = ShmTemplate.builder(client)
                .codec(codec(codec))
                .defaultTimeout(clientTimeout)
                .observationRegistry(observations.getIfUnique(() -> ObservationRegistry.NOOP));
        interceptors.orderedStream().forEach(builder::interceptor);
        customizers.orderedStream().forEach(builder::apply);
        return builder.build();
    }

    @Bean
    ShmRoleDecider shmRoleDecider(ShmHandlerRegistry registry) {
        return new ShmRoleDecider(role, name, registry);
    }

    @Bean
    ShmServerLifecycle shmServerLifecycle(
            ShmRoleDecider roleDecider,
            ShmHandlerRegistry registry,
            ObjectProvider<ShmConfig> config,
            ObjectProvider<ShmCodec> codec,
            ObjectProvider<Validator> validator,
            ObjectProvider<HandlerMethodArgumentResolver> argumentResolvers,
            ObjectProvider<ObservationRegistry> observations,
            ConfigurableListableBeanFactory beanFactory) {
        ShmHandlerMethodFactory methodFactory = new ShmHandlerMethodFactory(codec(codec));
        methodFactory.setValidator(validator.getIfUnique());
        methodFactory.setBeanFactory(beanFactory);
        if (beanFactory.getConversionService() != null) {
            methodFactory.setConversionService(beanFactory.getConversionService());
        }
        methodFactory.setCustomArgumentResolvers(
                argumentResolvers.orderedStream().toList());
        ShmHandlerDispatcher dispatcher = new ShmHandlerDispatcher(
                name, registry, methodFactory, observations.getIfUnique(() -> ObservationRegistry.NOOP), null);
        ShmConfig engineConfig = config.getIfAvailable(() -> ShmConfig.builder().build());
        return new ShmServerLifecycle(roleDecider, name, engineConfig, registry, dispatcher, Duration.ofSeconds(30));
    }

    private static @Nullable ShmCodec codec(ObjectProvider<ShmCodec> codec) {
        return codec.getIfUnique(() -> JACKSON_PRESENT ? JacksonCodecs.json() : null);
    }

    /** Keeps Jackson types out of {@link ShmConfiguration}'s signatures, so it loads without Jackson. */
    private static final class JacksonCodecs {

        static ShmCodec json() {
            return new JacksonShmCodec(tools.jackson.databind.json.JsonMapper.shared());
        }
    }
}
