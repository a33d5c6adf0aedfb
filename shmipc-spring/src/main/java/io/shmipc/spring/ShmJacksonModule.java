package io.shmipc.spring;

import tools.jackson.core.Version;
import tools.jackson.databind.JacksonModule;

/**
 * What {@link JacksonShmCodec} adds to its copy of the application's mapper: faster ways to do what Jackson
 * does, with the same result. Records and {@code @JsonCreator} classes are built through a creator handle
 * resolved once ({@link PreboundCreators}); for CBOR, long ASCII strings are written as one block of bytes
 * ({@link BulkStringSerializer}).
 */
final class ShmJacksonModule extends JacksonModule {

    private final boolean bulkStrings;

    /** @param bulkStrings whether to write long ASCII strings in one block (for CBOR, not for JSON) */
    ShmJacksonModule(boolean bulkStrings) {
        this.bulkStrings = bulkStrings;
    }

    @Override
    public String getModuleName() {
        return "shmipc-codec";
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public void setupModule(SetupContext context) {
        context.addValueInstantiators(new PreboundCreators());
        if (bulkStrings) {
            context.addSerializerModifier(BulkStringSerializer.modifier());
        }
    }
}
