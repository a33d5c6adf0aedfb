package io.shmipc.spring.autoconfigure;

import java.util.Map;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * The {@code shmipc.*} properties that moved to another path. Binding ignores a property it has no field
 * for, so a value set at the old path would silently not apply; this check stops startup instead, naming
 * the new path. The metadata marks the old paths deprecated at level error for IDEs and
 * spring-boot-properties-migrator.
 */
final class MovedShmProperties {

    /** Old path to new path: the server-only settings moved under {@code shmipc.server.*}. */
    static final Map<String, String> MOVED = Map.of(
            "shmipc.slots", "shmipc.server.slots",
            "shmipc.slot-size", "shmipc.server.slot-size",
            "shmipc.file-mode", "shmipc.server.file-mode");

    private MovedShmProperties() {}

    /**
     * Fails when the environment sets a moved property, in any of Boot's relaxed forms (for example
     * {@code shmipc.slotSize} or the environment variable {@code SHMIPC_SLOTS}).
     *
     * @param environment the application's environment
     * @throws InvalidConfigurationPropertyValueException naming the old property, its value and the new
     *     path; Boot's failure analysis adds where the value came from
     */
    static void check(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            MOVED.forEach((old, moved) -> {
                ConfigurationProperty property = source.getConfigurationProperty(ConfigurationPropertyName.of(old));
                if (property != null) {
                    throw new InvalidConfigurationPropertyValueException(
                            old,
                            property.getValue(),
                            old + " moved to " + moved + " (server-only settings are grouped under shmipc.server.*)"
                                    + " and is no longer read; rename it to " + moved);
                }
            });
        }
    }
}
