package io.shmipc.bench.jmh;

import io.shmipc.spring.JacksonShmCodec;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * The codec path of one side of a typed call, in process: encode a record into off-heap memory (the slot)
 * and decode it back, in JSON, CBOR and Smile, for a small record and one with 64 KiB of text.
 *
 * <ul>
 *   <li>{@code inSlot}: what shmipc does now, {@link JacksonShmCodec} writing into and parsing from the
 *       segment through stream views, with readers and writers resolved once per type;
 *   <li>{@code viaArrays}: the path before, encode to a {@code byte[]}, copy it into the slot, copy it out
 *       into a new {@code byte[]}, decode that;
 *   <li>{@code decodeCachedReader} against {@code decodeResolvingType}: the cost of resolving the Jackson
 *       type per call ({@code constructType} and a reader lookup), which the cache saves;
 *   <li>{@code plainMapperInSlot} (and its {@code encode}/{@code decode} halves): the application's mapper as
 *       it is, through stream views of the segment, which is what the codec did before it tuned its copy of
 *       the mapper (prebound creators, long ASCII strings in one block) and decoded from a heap buffer: the
 *       before and after in one run.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CodecBenchmark {

    /** The record the benchmark transports carry: an id and a text as long as the payload. */
    public record Message(long id, String text) {}

    @Param({"json", "cbor", "smile"})
    public String format;

    @Param({"64", "65536"})
    public int textLength;

    private Arena arena;
    private MemorySegment slot;
    private ObjectMapper mapper;
    private JacksonShmCodec codec;
    private Message message;
    private byte[] encoded;
    private long encodedLength;
    private ObjectWriter plainWriter;
    private ObjectReader plainReader;

    @Setup(Level.Trial)
    public void setUp() {
        mapper = switch (format) {
            case "json" -> JsonMapper.builder().build();
            case "cbor" -> CBORMapper.builder().build();
            case "smile" -> SmileMapper.builder().build();
            default -> throw new IllegalArgumentException("format " + format);
        };
        codec = new JacksonShmCodec(mapper);
        message = new Message(42, "a".repeat(textLength));
        arena = Arena.ofShared();
        slot = arena.allocate(2 << 20, 64);
        encoded = codec.encode(message);
        encodedLength = codec.encode(message, slot);
        plainWriter = mapper.writerFor(Message.class);
        plainReader = mapper.readerFor(Message.class);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public Object inSlot() {
        long length = codec.encode(message, slot);
        return codec.decode(slot.asSlice(0, length), Message.class);
    }

    @Benchmark
    public Object viaArrays() {
        byte[] bytes = codec.encode(message);
        MemorySegment.copy(bytes, 0, slot, ValueLayout.JAVA_BYTE, 0, bytes.length);
        byte[] copy = slot.asSlice(0, bytes.length).toArray(ValueLayout.JAVA_BYTE);
        return codec.decode(copy, Message.class);
    }

    @Benchmark
    public long encodeInSlot() {
        return codec.encode(message, slot);
    }

    @Benchmark
    public Object decodeInSlot() {
        return codec.decode(slot.asSlice(0, encodedLength), Message.class);
    }

    @Benchmark
    public Object plainMapperInSlot() {
        return plainDecode(plainEncode());
    }

    @Benchmark
    public long plainMapperEncodeInSlot() {
        return plainEncode();
    }

    @Benchmark
    public Object plainMapperDecodeInSlot() {
        return plainDecode(encodedLength);
    }

    private long plainEncode() {
        SlotOutput out = new SlotOutput(slot);
        plainWriter.writeValue(out, message);
        return out.written;
    }

    private Object plainDecode(long length) {
        return plainReader.readValue(new SlotInput(slot.asSlice(0, length)));
    }

    /** The stream view the codec wrote through before (its own is package-private). */
    private static final class SlotOutput extends OutputStream {
        private final MemorySegment target;
        private long written;

        SlotOutput(MemorySegment target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            target.set(ValueLayout.JAVA_BYTE, written++, (byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            MemorySegment.copy(bytes, offset, target, ValueLayout.JAVA_BYTE, written, length);
            written += length;
        }
    }

    /** The stream view the codec read through before. */
    private static final class SlotInput extends InputStream {
        private final MemorySegment source;
        private long position;

        SlotInput(MemorySegment source) {
            this.source = source;
        }

        @Override
        public int read() {
            return position < source.byteSize() ? source.get(ValueLayout.JAVA_BYTE, position++) & 0xFF : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            int count = (int) Math.min(length, source.byteSize() - position);
            if (count <= 0) {
                return length == 0 ? 0 : -1;
            }
            MemorySegment.copy(source, ValueLayout.JAVA_BYTE, position, bytes, offset, count);
            position += count;
            return count;
        }
    }

    @Benchmark
    public Object decodeCachedReader() {
        return codec.decode(encoded, Message.class);
    }

    @Benchmark
    public Object decodeResolvingType() {
        return mapper.readValue(encoded, mapper.constructType(Message.class));
    }
}
