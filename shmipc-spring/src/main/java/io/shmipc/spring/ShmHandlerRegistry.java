package io.shmipc.spring;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds {@link ShmHandler} methods and {@link ShmHandlerAdvice} beans, in the way Spring's
 * {@code @JmsListener} and {@code @KafkaListener} infrastructure does, and keeps the route table. Routes
 * may hold {@code ${...}} placeholders, resolved against the environment. The table is frozen once all
 * singletons exist.
 *
 * <p>Register it as a {@code static} bean: as a {@link BeanPostProcessor} it is created before
 * ordinary beans.
 */
public class ShmHandlerRegistry implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

    /** The engine stores routes in a fixed field of this many bytes. */
    static final int MAX_ROUTE_BYTES = 128;

    private final Set<Class<?>> classesWithoutHandlers = ConcurrentHashMap.newKeySet();
    private final Map<String, ShmHandlerEndpoint> discovered = new LinkedHashMap<>();
    private final List<Object> adviceBeans = new ArrayList<>();
    private @Nullable ConfigurableBeanFactory beanFactory;
    private volatile boolean frozen;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory instanceof ConfigurableBeanFactory configurable ? configurable : null;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
        if (classesWithoutHandlers.contains(targetClass)) {
            return bean;
        }
        if (AnnotatedElementUtils.hasAnnotation(targetClass, ShmHandlerAdvice.class)) {
            synchronized (this) {
                adviceBeans.add(bean);
            }
        }
        if (!AnnotationUtils.isCandidateClass(targetClass, ShmHandler.class)) {
            return bean;
        }
        Map<Method, ShmHandler> annotated =
                MethodIntrospector.selectMethods(targetClass, (MethodIntrospector.MetadataLookup<ShmHandler>)
                        method -> AnnotatedElementUtils.findMergedAnnotation(method, ShmHandler.class));
        if (annotated.isEmpty()) {
            classesWithoutHandlers.add(targetClass);
            return bean;
        }
        annotated.forEach((method, annotation) -> register(new ShmHandlerEndpoint(
                resolveRoute(annotation.value()),
                bean,
                beanName,
                AopUtils.selectInvocableMethod(method, bean.getClass()))));
        return bean;
    }

    private String resolveRoute(String route) {
        String resolved = beanFactory == null ? null : beanFactory.resolveEmbeddedValue(route);
        return resolved == null ? route : resolved;
    }

    private synchronized void register(ShmHandlerEndpoint endpoint) {
        String description = endpoint.description();
        String route = endpoint.route();
        if (frozen) {
            throw new ShmHandlerDefinitionException(
                    description,
                    "the bean was created after startup"
                            + " (lazy or prototype scope) but routes are fixed at startup; make it an eager singleton");
        }
        if (route == null || route.isBlank()) {
            throw new ShmHandlerDefinitionException(
                    description, "the route is empty; name it, e.g. @ShmHandler(\"orders.get\")");
        }
        if (route.getBytes(StandardCharsets.UTF_8).length > MAX_ROUTE_BYTES) {
            throw new ShmHandlerDefinitionException(
                    description,
                    "the route '" + route + "' is longer than " + MAX_ROUTE_BYTES + " UTF-8 bytes; shorten it");
        }
        ShmHandlerEndpoint existing = discovered.putIfAbsent(route, endpoint);
        if (existing != null) {
            throw new ShmHandlerDefinitionException(
                    description,
                    "route '" + route + "' is already handled by " + existing.description()
                            + "; each route needs exactly one handler");
        }
    }

    @Override
    public synchronized void afterSingletonsInstantiated() {
        frozen = true;
        classesWithoutHandlers.clear();
        AnnotationAwareOrderComparator.sort(adviceBeans);
    }

    /** @return true once at least one {@link ShmHandler} method was found */
    public synchronized boolean hasHandlers() {
        return !discovered.isEmpty();
    }

    /** @return the routes served, in discovery order */
    public synchronized Set<String> routes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(discovered.keySet()));
    }

    /**
     * @return route → the handler method serving it, as {@code beanName.method(ParameterTypes)}, in discovery
     *     order; for operators (the {@code shmipc} Actuator endpoint)
     */
    public synchronized Map<String, String> handlerDescriptions() {
        Map<String, String> descriptions = new LinkedHashMap<>();
        discovered.forEach((route, endpoint) -> descriptions.put(route, endpoint.description()));
        return Collections.unmodifiableMap(descriptions);
    }

    /** @return every discovered handler method, in discovery order */
    synchronized List<ShmHandlerEndpoint> endpoints() {
        return List.copyOf(discovered.values());
    }

    /** @return the {@link ShmHandlerAdvice} beans, in order */
    synchronized List<Object> adviceBeans() {
        List<Object> sorted = new ArrayList<>(adviceBeans);
        AnnotationAwareOrderComparator.sort(sorted);
        return sorted;
    }
}
