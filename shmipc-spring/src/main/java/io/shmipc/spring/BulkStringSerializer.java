package io.shmipc.spring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
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
 * Writes a long ASCII {@link String} for a binary format (CBOR) as one block of UTF-8 bytes made by the JDK's
 * vectorised {@link String#getBytes(java.nio.charset.Charset)}, where Jackson encodes it character by
 * character and, past a few thousand characters, in chunks. The bytes are the same UTF-8; the text is then one
 * definite-length string instead of a chunked one, which every CBOR decoder reads (and Jackson's parser
 * decodes in one pass when the whole payload is in its buffer).
 *
 * <p>Anything else, short or not plain ASCII, goes through Jackson's own {@link StringSerializer}, so
 * non-ASCII text and Jackson's handling of unpaired surrogates (an error, or a replacement character) stay
 * exactly as they were. Installed only where the application's mapper uses Jackson's own string serializer.
 */
final class BulkStringSerializer extends StdScalarSerializer<Object> {

    /** Below this length Jackson's own loop is as fast as the JDK's and allocates nothing. */
    static final int MIN_LENGTH = 256;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final long QUESTION_MARKS = ONES * '?';

    private final ValueSerializer<Object> standard;

    private BulkStringSerializer(ValueSerializer<Object> standard) {
        super(String.class, false);
        this.standard = standard;
    }

    /** The modifier that puts this serializer where Jackson would use its own {@link StringSerializer}. */
    static ValueSerializerModifier modifier() {
        return new ValueSerializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public ValueSerializer<?> modifySerializer(
                    SerializationConfig config, BeanDescription.Supplier beanDesc, ValueSerializer<?> serializer) {
                return serializer.getClass() == StringSerializer.class
                        ? new BulkStringSerializer((ValueSerializer<Object>) serializer)
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
        } else {
            generator.writeUTF8String(utf8, 0, utf8.length);
        }
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
