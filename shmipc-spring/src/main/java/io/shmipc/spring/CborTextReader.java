package io.shmipc.spring;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.jdk.StringDeserializer;

/**
 * Reads a long CBOR text string of a payload the codec holds in a heap buffer with the JDK's vectorised
 * {@code new String(bytes, UTF_8)}, where Jackson's parser decodes it byte by byte into a char buffer and then
 * copies that into a {@link String}. Jackson's parser then skips the text's bytes, as it does for any value
 * not read.
 *
 * <p>It applies only to the CBOR parser of a decode {@link JacksonShmCodec} started on that buffer (the
 * {@link Input} travels as a per-call attribute of that decode's context, which is the parser's read context;
 * token buffers and other parsers are not CBOR parsers), only to a definite-length text whose bytes are valid
 * UTF-8 (a
 * {@code U+FFFD} in the result sends it back to Jackson, which reports malformed input as before), and only
 * within the parser's string length limit. Anything else, including string references and tagged texts, is
 * read by Jackson's own {@link StringDeserializer}.
 */
final class CborTextReader extends StringDeserializer {

    /** Shorter texts are decoded as fast by Jackson and are not worth the checks. */
    static final int MIN_LENGTH = 256;

    /**
     * A payload in a heap buffer, from offset 0; the attribute key is this class.
     *
     * @param buffer the payload's bytes
     * @param length how many of them are the payload
     */
    record Input(byte[] buffer, int length) {}

    private final Class<?> parserType;

    private CborTextReader(Class<?> parserType) {
        this.parserType = parserType;
    }

    /**
     * The modifier that puts this deserializer where Jackson would use its own {@link StringDeserializer}.
     *
     * @param parserType the class of the CBOR parser the codec's mapper makes
     */
    static ValueDeserializerModifier modifier(Class<?> parserType) {
        return new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyDeserializer(
                    DeserializationConfig config,
                    BeanDescription.Supplier beanDesc,
                    ValueDeserializer<?> deserializer) {
                return deserializer.getClass() == StringDeserializer.class
                        ? new CborTextReader(parserType)
                        : deserializer;
            }
        };
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
        if (parser.currentToken() == JsonToken.VALUE_STRING
                && parser.getClass() == parserType
                && parser.objectReadContext() == context
                && context.getAttribute(Input.class) instanceof Input input) {
            String text = read(input, parser);
            if (text != null) {
                return text;
            }
        }
        return super.deserialize(parser, context);
    }

    /** @return the text of the current token, or null where Jackson must read it */
    private static @Nullable String read(Input input, JsonParser parser) {
        long start = parser.currentTokenLocation().getByteOffset();
        if (start < 0 || start >= input.length()) {
            return null;
        }
        byte[] bytes = input.buffer();
        int at = (int) start;
        int initial = bytes[at] & 0xFF;
        if ((initial >> 5) != 3) {
            // Not a plain text token: a tag (string reference, namespace) comes first.
            return null;
        }
        int header;
        long length;
        switch (initial & 0x1F) {
            case 25 -> {
                header = 3;
                length = at + 3 <= input.length() ? ((bytes[at + 1] & 0xFFL) << 8) | (bytes[at + 2] & 0xFFL) : -1;
            }
            case 26 -> {
                header = 5;
                length = at + 5 <= input.length()
                        ? ((bytes[at + 1] & 0xFFL) << 24)
                                | ((bytes[at + 2] & 0xFFL) << 16)
                                | ((bytes[at + 3] & 0xFFL) << 8)
                                | (bytes[at + 4] & 0xFFL)
                        : -1;
            }
            // Short lengths are not worth it; 27 (64-bit) cannot fit a slot; 31 is a chunked text.
            default -> {
                return null;
            }
        }
        if (length < MIN_LENGTH
                || at + header + length > input.length()
                || length > parser.streamReadConstraints().getMaxStringLength()) {
            return null;
        }
        String text = new String(bytes, at + header, (int) length, StandardCharsets.UTF_8);
        // The JDK replaces malformed input with U+FFFD where Jackson reports it; such texts go back to Jackson
        // (as does a text that really holds U+FFFD, which Jackson then reads the same).
        return text.indexOf('\uFFFD') < 0 ? text : null;
    }
}
