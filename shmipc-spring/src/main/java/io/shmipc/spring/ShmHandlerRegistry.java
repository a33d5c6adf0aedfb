package io.shmipc.spring;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds {@link ShmHandler} methods on every bean, in the way Spring's {@code @JmsListener} and
 * {@code @KafkaListener} infrastructure does, and keeps the route table. The table is frozen once all
 * singletons exist; the server dispatches from it without locking.
 *
 * <p>Register it as a {@code static} bean: as a {@link BeanPostProcessor} it is created before
 * ordinary beans.
 */
public class ShmHandlerRegistry implements BeanPostProcessor, SmartInitializingSingleton {

    private final Set<Class<?>> classesWithoutHandlers = ConcurrentHashMap.newKeySet();
    private final Map<String, ShmHandlerMethod> discovered = new LinkedHashMap<>();
    private volatile Map<String, ShmHandlerMethod> routes;

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
        if (classesWithoutHandlers.contains(targetClass)
                || !AnnotationUtils.isCandidateClass(targetClass, ShmHandler.class)) {
            return bean;
        }
        Map<Method, ShmHandler> annotated =
                MethodIntrospector.selectMethods(targetClass, (MethodIntrospector.MetadataLookup<ShmHandler>)
                        method -> AnnotatedElementUtils.findMergedAnnotation(method, ShmHandler.class));
        if (annotated.isEmpty()) {
            classesWithoutHandlers.add(targetClass);
            return bean;
        }
        annotated.forEach((method, annotation) -> register(ShmHandlerMethod.create(
                annotation.value(), bean, beanName, AopUtils.selectInvocableMethod(method, bean.getClass()))));
        return bean;
    }

    private synchronized void register(ShmHandlerMethod handler) {
        if (routes != null) {
            throw new ShmHandlerDefinitionException(
                    handler.description(),
                    "the bean was created after startup"
                            + " (lazy or prototype scope) but routes are fixed at startup; make it an eager singleton");
        }
        ShmHandlerMethod existing = discovered.putIfAbsent(handler.route(), handler);
        if (existing != null) {
            throw new ShmHandlerDefinitionException(
                    handler.description(),
                    "route '" + handler.route() + "' is already handled by " + existing.description()
                            + "; each route needs exactly one handler");
        }
    }

    @Override
    public synchronized void afterSingletonsInstantiated() {
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(discovered));
        classesWithoutHandlers.clear();
    }

    /** @return true once at least one {@link ShmHandler} method was found */
    public synchronized boolean hasHandlers() {
        return !discovered.isEmpty();
    }

    /** @return the routes served, in discovery order */
    public synchronized Set<String> routes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(discovered.keySet()));
    }

    /** @return the handler for a route, or {@code null}; empty until the table is frozen */
    ShmHandlerMethod handlerFor(String route) {
        Map<String, ShmHandlerMethod> frozen = routes;
        return frozen == null ? null : frozen.get(route);
    }

    /** @return every handler, for startup checks */
    synchronized Iterable<ShmHandlerMethod> handlers() {
        return List.copyOf(discovered.values());
    }
}
