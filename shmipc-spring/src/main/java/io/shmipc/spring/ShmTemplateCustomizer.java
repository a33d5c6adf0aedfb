package io.shmipc.spring;

/**
 * Changes the auto-configured {@link ShmTemplateBuilder} (and so every template built from it, including
 * the {@link ShmTemplate} bean). Define beans of this type; they run in their {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * ShmTemplateCustomizer tenantHeader() {
 *     return builder -> builder.interceptor((request, execution) ->
 *             execution.execute(request.header("tenant", TenantContext.current())));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ShmTemplateCustomizer {

    /** @param builder the builder to change */
    void customize(ShmTemplateBuilder builder);
}
