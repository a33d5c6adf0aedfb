package io.shmipc.spring;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default {@link ShmCodec}: Jackson 3, by default JSON through the application's own
 * {@link JsonMapper}, so payloads follow the same naming and date settings as its HTTP API. Any other
 * Jackson {@link ObjectMapper} works the same way: a {@code CBORMapper} or {@code SmileMapper} gives a
 * binary encoding with the same annotations and no schema ({@code shmipc.codec=cbor} or {@code smile}).
 *
 * <p>Readers and writers are resolved once per type and reused (Jackson's {@link ObjectReader} and
 * {@link ObjectWriter} are immutable and thread-safe). The {@link MemorySegment} methods parse from and
 * generate into the slot through stream views, so no {@code byte[]} of the payload is made.
 */
public class JacksonShmCodec implements ShmCodec {

    /** Generic types are not compared by identity, so a map; types come from code, so it stays small. */
    private static final int MAX_CACHED_READERS = 10_000;

    private final ObjectMapper mapper;
    private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();
    private final ClassValue<ObjectWriter> writers = new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
            return mapper.writerFor(type);
        }
    };

    /** @param mapper the mapper to encode and decode with: JSON, CBOR, Smile or any other Jackson format */
    public JacksonShmCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return the mapper this codec encodes and decodes with */
    public ObjectMapper getMapper() {
        return mapper;
    }

    @Override
    public byte[] encode(Object value) {
        return writers.get(value.getClass()).writeValueAsBytes(value);
    }

    @Override
    public Object decode(byte[] data, Type type) {
        return reader(type).readValue(data);
    }

    @Override
    public long encode(Object value, MemorySegment target) {
        SegmentOutputStream out = new SegmentOutputStream(target);
        writers.get(value.getClass()).writeValue(out, value);
        return out.written();
    }

    @Override
    public Object decode(MemorySegment data, Type type) {
        return reader(type).readValue(new SegmentInputStream(data));
    }

    private ObjectReader reader(Type type) {
        ObjectReader reader = readers.get(type);
        if (reader == null) {
            reader = mapper.readerFor(mapper.constructType(type));
            if (readers.size() < MAX_CACHED_READERS) {
                readers.putIfAbsent(type, reader);
            }
        }
        return reader;
    }
}
