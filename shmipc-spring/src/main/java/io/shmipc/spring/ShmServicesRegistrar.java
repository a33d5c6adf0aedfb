package io.shmipc.spring;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.StringUtils;

/**
 * Registers the interfaces named by {@link ImportShmServices} as beans. Each is mapped (and so checked)
 * here, while the configuration is read; the proxy itself is made when the bean is first needed, from the
 * {@link ShmOperations} bean.
 */
final class ShmServicesRegistrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware {

    private @Nullable BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Map<String, @Nullable Object> attributes =
                metadata.getAnnotationAttributes(ImportShmServices.class.getName(), false);
        if (attributes == null) {
            return;
        }
        Class<?>[] types = (Class<?>[]) Objects.requireNonNull(attributes.get("value"), "value");
        String operationsName = (String) attributes.get("operations");
        for (Class<?> type : types) {
            ShmServiceProxyFactory.validate(type);
            registerClient(registry, type, operationsName);
        }
    }

    private <S> void registerClient(BeanDefinitionRegistry registry, Class<S> type, @Nullable String operationsName) {
        String beanName = type.getName();
        if (registry.containsBeanDefinition(beanName)) {
            return;
        }
        // Spring calls setBeanFactory before registerBeanDefinitions.
        BeanFactory factory = Objects.requireNonNull(beanFactory, "beanFactory");
        RootBeanDefinition definition = new RootBeanDefinition(type, () -> {
            ShmOperations operations = StringUtils.hasText(operationsName)
                    ? factory.getBean(operationsName, ShmOperations.class)
                    : factory.getBean(ShmOperations.class);
            return new ShmServiceProxyFactory(operations).createClient(type);
        });
        definition.setDescription("shmipc declarative client " + type.getName());
        registry.registerBeanDefinition(beanName, definition);
    }
}
