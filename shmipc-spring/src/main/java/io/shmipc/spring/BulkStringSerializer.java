package io.shmipc.spring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonGeneratorBase;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.jdk.StringSerializer;
import tools.jackson.databind.ser.std.StdScalarSerializer;

/**
 * Writes a long ASCII {@link String} as one block of UTF-8 bytes made by the JDK's vectorised
 * {@link String#getBytes(java.nio.charset.Charset)}, where Jackson encodes it character by character (and, in
 * CBOR, past a few thousand characters, in chunks). The same bytes come out; in CBOR such a text is now one
 * definite-length string instead of a chunked one, which every CBOR decoder reads.
 *
 * <p>For JSON the block is used only when no character needs escaping under the generator's settings (no
 * control character, quote, backslash, nor slash where {@code ESCAPE_FORWARD_SLASHES} is on; no custom
 * {@code CharacterEscapes}), so the JSON is byte for byte what Jackson writes. Anything else, short, not plain
 * ASCII or needing escapes, goes through Jackson's own {@link StringSerializer}, so non-ASCII text and
 * Jackson's handling of unpaired surrogates (an error, or a replacement character) stay exactly as they were.
 * Installed only where the application's mapper uses Jackson's own string serializer.
 */
final class BulkStringSerializer extends StdScalarSerializer<Object> {

    /** Below this length Jackson's own loop is as fast as the JDK's and allocates nothing. */
    static final int MIN_LENGTH = 256;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final long QUESTION_MARKS = ONES * '?';
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SLASHES = ONES * '/';
    private static final long SPACES = ONES * ' ';

    private final ValueSerializer<Object> standard;
    private final boolean json;

    private BulkStringSerializer(ValueSerializer<Object> standard, boolean json) {
        super(String.class, false);
        this.standard = standard;
        this.json = json;
    }

    /**
     * The modifier that puts this serializer where Jackson would use its own {@link StringSerializer}.
     *
     * @param json whether the format is JSON (whose strings are escaped), else a binary format
     */
    static ValueSerializerModifier modifier(boolean json) {
        return new ValueSerializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public ValueSerializer<?> modifySerializer(
                    SerializationConfig config, BeanDescription.Supplier beanDesc, ValueSerializer<?> serializer) {
                return serializer.getClass() == StringSerializer.class
                        ? new BulkStringSerializer((ValueSerializer<Object>) serializer, json)
                        : serializer;
            }
        };
    }

    @Override
    public void serialize(Object value, JsonGenerator generator, SerializationContext context) throws JacksonException {
        String text = (String) value;
        byte @Nullable [] utf8 = text.length() < MIN_LENGTH ? null : asciiBytes(text);
        if (utf8 == null) {
            standard.serialize(value, generator, context);
        } else if (!json) {
            generator.writeUTF8String(utf8, 0, utf8.length);
        } else if (generator instanceof JsonGeneratorBase jsonGenerator
                && plainJson(jsonGenerator)
                && !needsJsonEscape(utf8, jsonGenerator.isEnabled(JsonWriteFeature.ESCAPE_FORWARD_SLASHES))) {
            // Quoted as is: nothing in it would be escaped.
            generator.writeRawUTF8String(utf8, 0, utf8.length);
        } else {
            standard.serialize(value, generator, context);
        }
    }

    /** @return whether the generator escapes only what JSON requires (checked per call: a writer may change it) */
    private static boolean plainJson(JsonGeneratorBase generator) {
        int highest = generator.getHighestNonEscapedChar();
        return generator.getCharacterEscapes() == null && (highest == 0 || highest >= 0x7F);
    }

    /**
     * @return whether an ASCII text holds a byte JSON escapes: a control character, a quote, a backslash, or
     *     a slash where the generator escapes slashes. Eight bytes at a time, as {@link #containsQuestionMark}.
     */
    static boolean needsJsonEscape(byte[] ascii, boolean escapeSlashes) {
        int index = 0;
        int whole = ascii.length & ~7;
        long slashes = escapeSlashes ? SLASHES : QUOTES;
        long found = 0;
        for (; index < whole; index += 8) {
            long word = (long) LONGS.get(ascii, index);
            long quote = word ^ QUOTES;
            long backslash = word ^ BACKSLASHES;
            long slash = word ^ slashes;
            found |= ((word - SPACES) & ~word)
                    | ((quote - ONES) & ~quote)
                    | ((backslash - ONES) & ~backslash)
                    | ((slash - ONES) & ~slash);
        }
        found &= HIGH_BITS;
        for (; index < ascii.length; index++) {
            byte b = ascii[index];
            found |= b < ' ' || b == '"' || b == '\\' || (escapeSlashes && b == '/') ? 1 : 0;
        }
        return found != 0;
    }

    /**
     * @return the text's bytes when every character is ASCII, else null. {@code getBytes} turns each ASCII
     *     character into one byte and every other character into two or more, except an unpaired surrogate,
     *     which becomes one {@code '?'}; so equal lengths and no {@code '?'} mean plain ASCII.
     */
    static byte @Nullable [] asciiBytes(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return utf8.length == text.length() && !containsQuestionMark(utf8) ? utf8 : null;
    }

    /** Eight bytes at a time: a zero byte in {@code word ^ "????????"} marks a {@code '?'}. */
    private static boolean containsQuestionMark(byte[] bytes) {
        int index = 0;
        int whole = bytes.length & ~7;
        long found = 0;
        for (; index < whole; index += 8) {
            long word = (long) LONGS.get(bytes, index) ^ QUESTION_MARKS;
            found |= (word - ONES) & ~word & HIGH_BITS;
        }
        for (; index < bytes.length; index++) {
            found |= bytes[index] == '?' ? 1 : 0;
        }
        return found != 0;
    }

    @Override
    public boolean isEmpty(SerializationContext context, Object value) {
        return standard.isEmpty(context, value);
    }

    @Override
    public void serializeWithType(
            Object value, JsonGenerator generator, SerializationContext context, TypeSerializer typeSerializer)
            throws JacksonException {
        standard.serializeWithType(value, generator, context, typeSerializer);
    }

    @Override
    public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType hint) {
        standard.acceptJsonFormatVisitor(visitor, hint);
    }
}
