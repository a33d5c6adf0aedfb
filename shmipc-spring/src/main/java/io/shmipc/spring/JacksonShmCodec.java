package io.shmipc.spring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default {@link ShmCodec}: Jackson 3, by default JSON through the application's own
 * {@link JsonMapper}, so payloads follow the same naming and date settings as its HTTP API. Any other
 * Jackson {@link ObjectMapper} works the same way: a {@code CBORMapper} or {@code SmileMapper} gives a
 * binary encoding with the same annotations and no schema ({@code shmipc.codec=cbor} or {@code smile}).
 *
 * <p>The codec works with a copy of the mapper ({@link ObjectMapper#rebuild()}: the same modules and
 * settings) that builds records and {@code @JsonCreator} objects through a creator handle resolved once,
 * instead of Jackson's per-call {@code invokeWithArguments}, and, for JSON and CBOR, writes long ASCII
 * strings as one block of bytes and, for CBOR, reads long texts of a payload in one pass; what is encoded
 * and decoded does not change. Its parsers and generators take Jackson's reusable buffers from one recycler per
 * platform thread instead of the mapper's shared pool ({@link ThreadBufferRecyclers}; virtual threads keep
 * using the shared pool). Readers and writers are resolved once
 * per type and reused (Jackson's {@link ObjectReader} and {@link ObjectWriter} are immutable and
 * thread-safe).
 *
 * <p>Encoding into a slot generates straight into it through a stream view. Decoding copies the payload
 * into a heap buffer (reused per platform thread, up to {@value #MAX_REUSED_BUFFER} bytes) with one bulk copy
 * and parses that: Jackson's parsers read a whole in-memory document much faster than a stream of chunks
 * (long strings are decoded in one pass instead of across buffer refills).
 */
public class JacksonShmCodec implements ShmCodec {

    /** Generic types are not compared by identity, so a map; types come from code, so it stays small. */
    private static final int MAX_CACHED_READERS = 10_000;

    /** Decode buffers above this size are not kept between calls (one per platform thread that decodes). */
    static final int MAX_REUSED_BUFFER = 128 * 1024;

    /** A platform thread's decode buffer; taken while in use, so a decode nested in a decode gets its own. */
    private static final ThreadLocal<byte @Nullable []> DECODE_BUFFERS = new ThreadLocal<>();

    /** Payloads from this size read their long CBOR texts through {@link CborTextReader}. */
    private static final int MIN_CBOR_TEXT_PAYLOAD = 1024;

    private final ObjectMapper mapper;
    private final ObjectMapper tuned;
    private final boolean cborTexts;
    private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();
    private final ClassValue<ObjectWriter> writers = new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
            return tuned.writerFor(type);
        }
    };

    /** @param mapper the mapper to encode and decode with: JSON, CBOR, Smile or any other Jackson format */
    public JacksonShmCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        ShmJacksonModule.Strings strings = strings(mapper);
        Class<?> cborParser = strings == ShmJacksonModule.Strings.CBOR ? parserType(mapper) : null;
        ObjectMapper rebuilt;
        try {
            MapperBuilder<?, ?> builder = mapper.rebuild().addModule(new ShmJacksonModule(strings, cborParser));
            ThreadBufferRecyclers.install(builder);
            rebuilt = builder.build();
        } catch (UnsupportedOperationException notRebuildable) {
            // A mapper made without a builder: used as it is, only slower for records.
            rebuilt = null;
        }
        this.tuned = rebuilt == null ? mapper : rebuilt;
        this.cborTexts = rebuilt != null && cborParser != null;
    }

    /** @return the class of the parsers {@code mapper} makes for a byte array */
    private static Class<?> parserType(ObjectMapper mapper) {
        try (JsonParser parser = mapper.createParser(new byte[] {0x60})) {
            return parser.getClass();
        }
    }

    /** @return the mapper this codec encodes and decodes with */
    public ObjectMapper getMapper() {
        return mapper;
    }

    /** @return how the mapper's format lets long strings be written in one block */
    private static ShmJacksonModule.Strings strings(ObjectMapper mapper) {
        return switch (mapper.tokenStreamFactory().getFormatName()) {
            // Only with the standard quote: a JSON factory may be built with another quote character.
            case "JSON" ->
                "\"a\"".equals(new String(mapper.writeValueAsBytes("a"), StandardCharsets.UTF_8))
                        ? ShmJacksonModule.Strings.JSON
                        : ShmJacksonModule.Strings.STANDARD;
            case "CBOR" -> ShmJacksonModule.Strings.CBOR;
            default -> ShmJacksonModule.Strings.STANDARD;
        };
    }

    @Override
    public byte[] encode(Object value) {
        return writers.get(value.getClass()).writeValueAsBytes(value);
    }

    @Override
    public Object decode(byte[] data, Type type) {
        return read(data, data.length, type);
    }

    @Override
    public long encode(Object value, MemorySegment target) {
        SegmentOutputStream out = new SegmentOutputStream(target);
        writers.get(value.getClass()).writeValue(out, value);
        return out.written();
    }

    @Override
    public Object decode(MemorySegment data, Type type) {
        if (data.byteSize() > Integer.MAX_VALUE - 8) {
            // Past what a Java array holds (a slot never is): streamed.
            return reader(type).readValue(new SegmentInputStream(data));
        }
        int length = (int) data.byteSize();
        boolean reuse = length <= MAX_REUSED_BUFFER && !Thread.currentThread().isVirtual();
        byte[] buffer = reuse ? DECODE_BUFFERS.get() : null;
        if (buffer == null || buffer.length < length) {
            buffer = new byte[reuse ? Math.max(length, 1024) : length];
        } else {
            // set, not remove: a removed entry would be made anew (a weak reference) when it is set back.
            DECODE_BUFFERS.set(null);
        }
        try {
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, buffer, 0, length);
            return read(buffer, length, type);
        } finally {
            if (reuse) {
                // Virtual threads are many and short-lived: a buffer kept per virtual thread would not be reused.
                DECODE_BUFFERS.set(buffer);
            }
        }
    }

    /** @return the payload in {@code buffer[0, length)} as {@code type} */
    private Object read(byte[] buffer, int length, Type type) {
        ObjectReader reader = reader(type);
        if (cborTexts && length >= MIN_CBOR_TEXT_PAYLOAD) {
            // The per-call attribute tells CborTextReader which bytes this decode's parser reads.
            reader = reader.withAttribute(CborTextReader.Input.class, new CborTextReader.Input(buffer, length));
        }
        return reader.readValue(buffer, 0, length);
    }

    private ObjectReader reader(Type type) {
        ObjectReader reader = readers.get(type);
        if (reader == null) {
            reader = tuned.readerFor(tuned.constructType(type));
            if (readers.size() < MAX_CACHED_READERS) {
                readers.putIfAbsent(type, reader);
            }
        }
        return reader;
    }
}
