package io.shmipc.spring;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers the interfaces named by {@link ImportShmServices} as beans. Each is mapped (and so checked)
 * here, while the configuration is read; the proxy itself is made when the bean is first needed, from the
 * {@link ShmOperations} bean, by a {@link ShmServiceClientFactoryBean}.
 */
final class ShmServicesRegistrar implements ImportBeanDefinitionRegistrar {

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Map<String, @Nullable Object> attributes =
                metadata.getAnnotationAttributes(ImportShmServices.class.getName(), false);
        if (attributes == null) {
            return;
        }
        Class<?>[] types = (Class<?>[]) attributes.get("value");
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
        // A factory bean with constructor arguments, not an instance supplier, so that Spring AOT can write it.
        RootBeanDefinition definition = new RootBeanDefinition(ShmServiceClientFactoryBean.class);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, type);
        definition
                .getConstructorArgumentValues()
                .addIndexedArgumentValue(1, operationsName == null ? "" : operationsName);
        definition.setTargetType(ResolvableType.forClassWithGenerics(ShmServiceClientFactoryBean.class, type));
        definition.setDescription("shmipc declarative client " + type.getName());
        registry.registerBeanDefinition(beanName, definition);
    }
}
