package io.shmipc.spring;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.Version;
import tools.jackson.databind.JacksonModule;

/**
 * What {@link JacksonShmCodec} adds to its copy of the application's mapper: faster ways to do what Jackson
 * does, with the same result. Records and {@code @JsonCreator} classes are built through a creator handle
 * resolved once ({@link PreboundCreators}); for JSON and CBOR, long ASCII strings are written as one block of
 * bytes
 * ({@link BulkStringSerializer}).
 */
final class ShmJacksonModule extends JacksonModule {

    /** The formats whose strings {@link BulkStringSerializer} knows how to write. */
    enum Strings {
        /** Jackson's own serializer for every string. */
        STANDARD,
        /** Long ASCII strings as one block, quoted when nothing in them needs escaping. */
        JSON,
        /** Long ASCII strings as one block of UTF-8. */
        CBOR
    }

    private final Strings strings;
    private final @Nullable Class<?> cborParserType;

    /**
     * @param strings how the format's long strings may be written
     * @param cborParserType for CBOR, the class of its parser, whose long texts {@link CborTextReader} reads
     */
    ShmJacksonModule(Strings strings, @Nullable Class<?> cborParserType) {
        this.strings = strings;
        this.cborParserType = cborParserType;
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
        if (strings != Strings.STANDARD) {
            context.addSerializerModifier(BulkStringSerializer.modifier(strings == Strings.JSON));
        }
        if (cborParserType != null) {
            context.addDeserializerModifier(CborTextReader.modifier(cborParserType));
        }
    }
}
