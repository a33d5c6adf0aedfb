package io.shmipc.spring;

import io.shmipc.core.ShmClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;

/** The {@link ShmOperations.RequestSpec} of {@link ShmTemplate}: collects the request, then runs its pipeline. */
final class DefaultShmRequestSpec implements ShmOperations.RequestSpec {

    private final ShmTemplate template;
    private final String route;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration timeout;
    private @Nullable Object body;

    DefaultShmRequestSpec(ShmTemplate template, String route, Duration timeout) {
        this.template = template;
        this.route = route;
        this.timeout = timeout;
    }

    @Override
    public ShmOperations.RequestSpec header(String name, String value) {
        ShmClient.checkHeader(name, value);
        headers.put(name, value);
        return this;
    }

    @Override
    public ShmOperations.RequestSpec headers(Map<String, String> headers) {
        headers.forEach(this::header);
        return this;
    }

    @Override
    public ShmOperations.RequestSpec timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    @Override
    public ShmOperations.RequestSpec body(@Nullable Object body) {
        this.body = body;
        return this;
    }

    @Override
    public <T> @Nullable T retrieve(Class<T> responseType) {
        return template.execute(
                route, headers, body, timeout, template.currentObservation(), template.bodyOf(responseType));
    }

    @Override
    public <T> @Nullable T retrieve(ParameterizedTypeReference<T> responseType) {
        return template.execute(
                route, headers, body, timeout, template.currentObservation(), template.bodyOf(responseType.getType()));
    }

    @Override
    public <T> CompletableFuture<@Nullable T> retrieveAsync(Class<T> responseType) {
        return template.executeAsync(route, Map.copyOf(headers), body, timeout, template.bodyOf(responseType));
    }

    @Override
    public <T> CompletableFuture<@Nullable T> retrieveAsync(ParameterizedTypeReference<T> responseType) {
        return template.executeAsync(
                route, Map.copyOf(headers), body, timeout, template.bodyOf(responseType.getType()));
    }

    @Override
    public <T> ShmResponseEntity<T> toEntity(Class<T> responseType) {
        return template.execute(
                route, headers, body, timeout, template.currentObservation(), template.entityOf(responseType));
    }

    @Override
    public <T> ShmResponseEntity<T> toEntity(ParameterizedTypeReference<T> responseType) {
        return template.execute(
                route,
                headers,
                body,
                timeout,
                template.currentObservation(),
                template.entityOf(responseType.getType()));
    }

    @Override
    public <T> CompletableFuture<ShmResponseEntity<T>> toEntityAsync(ParameterizedTypeReference<T> responseType) {
        return template.executeAsync(
                route, Map.copyOf(headers), body, timeout, template.entityOf(responseType.getType()));
    }
}
