package io.shmipc.spring;

import io.micrometer.observation.ObservationRegistry;
import io.shmipc.core.ShmClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link ShmTemplate}s. Mutable and not thread-safe, like {@code RestClient.Builder}: Spring Boot
 * defines it as a prototype bean, already set up from {@code shmipc.*} properties and every
 * {@link ShmTemplateCustomizer}, so each injection point gets its own copy to change.
 *
 * <pre>{@code
 * @Bean
 * ShmTemplate auditTemplate(ShmTemplateBuilder builder) {
 *     return builder.defaultTimeout(Duration.ofSeconds(2))
 *             .interceptor((request, execution) -> execution.execute(request.header("audit", "on")))
 *             .build();
 * }
 * }</pre>
 */
public final class ShmTemplateBuilder {

    /** Timeout of calls that name none, unless set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private ShmClient client;
    private @Nullable ShmCodec codec;
    private Duration defaultTimeout = DEFAULT_TIMEOUT;
    private @Nullable ShmTransport transport;
    private final List<ShmClientInterceptor> interceptors = new ArrayList<>();
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private @Nullable ShmClientObservationConvention observationConvention;
    private final List<ShmTimeoutListener> timeoutListeners = new ArrayList<>();
    private @Nullable Executor asyncExecutor;

    /**
     * @param client the engine client the templates call through; the caller keeps ownership
     */
    public ShmTemplateBuilder(ShmClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * @param client the engine client the templates call through
     * @return this builder
     */
    public ShmTemplateBuilder client(ShmClient client) {
        this.client = Objects.requireNonNull(client, "client");
        return this;
    }

    /**
     * @param codec converts types that do not pass through; {@code null} for none
     * @return this builder
     */
    public ShmTemplateBuilder codec(@Nullable ShmCodec codec) {
        this.codec = codec;
        return this;
    }

    /**
     * @param defaultTimeout timeout of calls that name none
     * @return this builder
     */
    public ShmTemplateBuilder defaultTimeout(Duration defaultTimeout) {
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout must be positive, was " + defaultTimeout);
        }
        this.defaultTimeout = defaultTimeout;
        return this;
    }

    /**
     * @param transport what carries requests; {@code null} for the shared-memory engine through the client
     * @return this builder
     */
    public ShmTemplateBuilder transport(@Nullable ShmTransport transport) {
        this.transport = transport;
        return this;
    }

    /**
     * Adds an interceptor after those already added (so it runs inside them).
     *
     * @param interceptor the interceptor
     * @return this builder
     */
    public ShmTemplateBuilder interceptor(ShmClientInterceptor interceptor) {
        interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /**
     * @param consumer edits the interceptor list in place (to insert, remove or reorder)
     * @return this builder
     */
    public ShmTemplateBuilder interceptors(Consumer<List<ShmClientInterceptor>> consumer) {
        consumer.accept(interceptors);
        return this;
    }

    /**
     * @param observationRegistry where {@code shmipc.client.requests} observations go
     * @return this builder
     */
    public ShmTemplateBuilder observationRegistry(ObservationRegistry observationRegistry) {
        this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
        return this;
    }

    /**
     * @param observationConvention replaces the default convention; {@code null} restores it
     * @return this builder
     */
    public ShmTemplateBuilder observationConvention(@Nullable ShmClientObservationConvention observationConvention) {
        this.observationConvention = observationConvention;
        return this;
    }

    /**
     * @param listener told about every timed-out call
     * @return this builder
     */
    public ShmTemplateBuilder timeoutListener(ShmTimeoutListener listener) {
        timeoutListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * @param asyncExecutor runs async calls; {@code null} for the template's own daemon threads
     * @return this builder
     */
    public ShmTemplateBuilder asyncExecutor(@Nullable Executor asyncExecutor) {
        this.asyncExecutor = asyncExecutor;
        return this;
    }

    /**
     * @param customizer applied to this builder now
     * @return this builder
     */
    public ShmTemplateBuilder apply(ShmTemplateCustomizer customizer) {
        customizer.customize(this);
        return this;
    }

    /** @return a new template with this builder's settings; later changes to the builder do not affect it */
    public ShmTemplate build() {
        ShmTemplate template = new ShmTemplate(client, codec, defaultTimeout);
        if (transport != null) {
            template.setTransport(transport);
        }
        template.setInterceptors(interceptors);
        template.setObservationRegistry(observationRegistry);
        template.setObservationConvention(observationConvention);
        timeoutListeners.forEach(template::addTimeoutListener);
        template.setAsyncExecutor(asyncExecutor);
        return template;
    }
}
