package io.shmipc.spring;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.util.StringUtils;

/**
 * Makes the declarative client of one {@link ShmExchange} interface named by {@link ImportShmServices}, from the
 * context's {@link ShmOperations}, when it is first needed.
 *
 * <p>A factory bean with plain constructor arguments (the interface and the operations bean's name) rather than
 * an instance supplier, so Spring AOT can write its bean definition as code ({@code process-aot}): an instance
 * supplier is a lambda that AOT cannot reproduce, and failed the samples' AOT build.
 *
 * @param <S> the interface
 */
public final class ShmServiceClientFactoryBean<S> implements FactoryBean<S>, BeanFactoryAware {

    private final Class<S> type;
    private final String operationsName;
    private @Nullable BeanFactory beanFactory;

    /**
     * @param type the {@link ShmExchange} interface
     * @param operationsName the {@link ShmOperations} bean to call through; empty for the only one
     */
    public ShmServiceClientFactoryBean(Class<S> type, String operationsName) {
        this.type = Objects.requireNonNull(type, "type");
        this.operationsName = Objects.requireNonNull(operationsName, "operationsName");
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public S getObject() {
        BeanFactory factory = Objects.requireNonNull(beanFactory, "the bean factory is set before use");
        ShmOperations operations = StringUtils.hasText(operationsName)
                ? factory.getBean(operationsName, ShmOperations.class)
                : factory.getBean(ShmOperations.class);
        return new ShmServiceProxyFactory(operations).createClient(type);
    }

    @Override
    public Class<S> getObjectType() {
        return type;
    }
}
