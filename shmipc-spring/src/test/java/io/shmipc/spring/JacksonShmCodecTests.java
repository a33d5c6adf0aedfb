package io.shmipc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.testing.TestPayloads.Order;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * {@link JacksonShmCodec} on off-heap memory, as the slot is: encodings written into a segment equal the
 * {@code byte[]} ones, decoding reads a segment in place, and a payload too large for the slot is measured
 * exactly instead of failing inside Jackson. Every format the {@code shmipc.codec} property offers.
 */
class JacksonShmCodecTests {

    private static final Type ORDER_LIST = new ParameterizedTypeReference<List<Order>>() {}.getType();

    static Stream<ObjectMapper> mappers() {
        return Stream.of(
                JsonMapper.builder().build(),
                CBORMapper.builder().build(),
                SmileMapper.builder().build());
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void encodingIntoSegmentShouldEqualByteArrayEncodingAndDecodeInPlace(ObjectMapper mapper) {
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        List<Order> orders = List.of(new Order("ö-1", 3), new Order("o-2", -7));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(4096);
            long length = codec.encode(orders, slot);
            byte[] expected = codec.encode(orders);
            assertThat(length).isEqualTo(expected.length);
            assertThat(slot.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected);
            assertThat(codec.decode(slot.asSlice(0, length).asReadOnly(), ORDER_LIST))
                    .isEqualTo(orders);
            // Twice through the same cached reader and writer.
            assertThat(codec.decode(slot.asSlice(0, codec.encode(orders.get(1), slot)), Order.class))
                    .isEqualTo(orders.get(1));
        }
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void payloadLargerThanTheSegmentShouldReportItsFullLength(ObjectMapper mapper) {
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        Map<String, String> large = Map.of("text", "x".repeat(100_000));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(1024);
            assertThat(codec.encode(large, slot)).isEqualTo(codec.encode(large).length);
        }
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void largePayloadShouldDecodeAcrossTheDecodersBufferBoundaries(ObjectMapper mapper) {
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        Order order = new Order("y".repeat(300_000), 42);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(1 << 20);
            long length = codec.encode(order, slot);
            assertThat(codec.decode(slot.asSlice(0, length), Order.class)).isEqualTo(order);
        }
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void codecWithOnlyByteArrayMethodsShouldStillWorkOnSegments(ObjectMapper mapper) {
        JacksonShmCodec jackson = new JacksonShmCodec(mapper);
        ShmCodec arraysOnly = new ShmCodec() {
            @Override
            public byte[] encode(Object value) {
                return jackson.encode(value);
            }

            @Override
            public Object decode(byte[] data, Type type) {
                return jackson.decode(data, type);
            }
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(256);
            long length = arraysOnly.encode(new Order("a", 1), slot);
            assertThat(arraysOnly.decode(slot.asSlice(0, length), Order.class)).isEqualTo(new Order("a", 1));
            assertThat(arraysOnly.encode(Map.of("k", "v".repeat(500)), slot)).isGreaterThan(256);
        }
    }
}
