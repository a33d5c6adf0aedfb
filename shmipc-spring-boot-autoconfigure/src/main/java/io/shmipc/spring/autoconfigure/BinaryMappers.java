package io.shmipc.spring.autoconfigure;

import java.util.Locale;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Jackson mappers behind {@code shmipc.codec=cbor} and {@code smile}. The dataformat classes are
 * touched only inside the nested holders, so an application without them never loads them.
 */
final class BinaryMappers {

    private static final String CBOR_MAPPER = "tools.jackson.dataformat.cbor.CBORMapper";
    private static final String SMILE_MAPPER = "tools.jackson.dataformat.smile.SmileMapper";

    private BinaryMappers() {}

    /**
     * @param codec {@code CBOR} or {@code SMILE}
     * @param json the application's JSON mapper, whose modules the binary mapper registers too
     * @param beanFactory where an application's own {@code CBORMapper} (Spring Boot defines one) is found
     * @throws InvalidShmPropertiesException when the dataformat is not on the class path
     */
    static ObjectMapper create(ShmProperties.Codec codec, JsonMapper json, BeanFactory beanFactory) {
        boolean cbor = codec == ShmProperties.Codec.CBOR;
        ClassLoader classLoader = beanFactory instanceof ConfigurableBeanFactory configurable
                ? configurable.getBeanClassLoader()
                : BinaryMappers.class.getClassLoader();
        if (!ClassUtils.isPresent(cbor ? CBOR_MAPPER : SMILE_MAPPER, classLoader)) {
            String name = codec.name().toLowerCase(Locale.ROOT);
            throw new InvalidShmPropertiesException(
                    "shmipc.codec",
                    "shmipc.codec=" + name + " needs tools.jackson.dataformat:jackson-dataformat-" + name
                            + " on the class path; add that dependency (Spring Boot manages its version)"
                            + " or set shmipc.codec=json");
        }
        return cbor ? Cbor.mapper(json, beanFactory) : Smile.mapper(json);
    }

    private static final class Cbor {
        static ObjectMapper mapper(JsonMapper json, BeanFactory beanFactory) {
            // Boot's CBORMapper carries the spring.jackson.* settings, as its JsonMapper does.
            return beanFactory
                    .getBeanProvider(tools.jackson.dataformat.cbor.CBORMapper.class)
                    .getIfUnique(() -> tools.jackson.dataformat.cbor.CBORMapper.builder()
                            .addModules(json.registeredModules())
                            .build());
        }
    }

    private static final class Smile {
        static ObjectMapper mapper(JsonMapper json) {
            return tools.jackson.dataformat.smile.SmileMapper.builder()
                    .addModules(json.registeredModules())
                    .build();
        }
    }
}
