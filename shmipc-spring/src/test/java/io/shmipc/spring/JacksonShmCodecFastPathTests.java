package io.shmipc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * The codec's faster paths give what the application's own mapper gives: records built through the prebound
 * creator, CBOR's long ASCII strings written in one block, and decoding from a reused heap buffer. Every text
 * is checked against the plain mapper: empty, null, non-ASCII, surrogate pairs, unpaired surrogates, texts at
 * and around the block threshold, and texts longer than Jackson's own buffers.
 */
class JacksonShmCodecFastPathTests {

    /** The benchmark's shape: an id and a text. */
    record Message(long id, @Nullable String text) {}

    /** A creator that validates, so a failure inside it must surface as Jackson reports it. */
    record Positive(int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive, was " + value);
            }
        }
    }

    /** Built by a static factory, not a constructor. */
    static final class Tagged {
        final String name;
        final List<String> tags;

        private Tagged(String name, List<String> tags) {
            this.name = name;
            this.tags = tags;
        }

        @JsonCreator
        static Tagged of(@JsonProperty("name") String name, @JsonProperty("tags") List<String> tags) {
            return new Tagged(name.toUpperCase(java.util.Locale.ROOT), List.copyOf(tags));
        }

        public String getName() {
            return name;
        }

        public List<String> getTags() {
            return tags;
        }
    }

    /** A record whose component names the application's naming strategy rewrites. */
    record Renamed(long orderId, String customerName) {}

    /** Private: reachable only because Jackson makes creators accessible. */
    private record Hidden(String value) {}

    /** Reports which instantiator Jackson uses for a type, from inside a decode. */
    static final class InstantiatorProbe extends tools.jackson.databind.ValueDeserializer<String> {
        static final java.util.Map<Class<?>, Class<?>> FOUND = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String deserialize(
                tools.jackson.core.JsonParser parser, tools.jackson.databind.DeserializationContext context) {
            for (Class<?> type : List.of(Message.class, Hidden.class, Tagged.class, Positive.class)) {
                var deserializer = context.findRootValueDeserializer(context.constructType(type));
                FOUND.put(
                        type,
                        ((tools.jackson.databind.deser.bean.BeanDeserializerBase) deserializer)
                                .getValueInstantiator()
                                .getClass());
            }
            return parser.getString();
        }
    }

    record Probe(
            @tools.jackson.databind.annotation.JsonDeserialize(using = InstantiatorProbe.class)
            String name) {}

    static Stream<ObjectMapper> mappers() {
        return Stream.of(
                JsonMapper.builder().build(),
                JsonMapper.builder()
                        .enable(tools.jackson.core.json.JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
                        .build(),
                JsonMapper.builder()
                        .disable(tools.jackson.core.json.JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
                        .enable(tools.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
                        .build(),
                // Escapes '<' and '>', as an application embedding JSON in HTML might.
                JsonMapper.builder(tools.jackson.core.json.JsonFactory.builder()
                                .characterEscapes(new HtmlEscapes())
                                .build())
                        .build(),
                JsonMapper.builder(tools.jackson.core.json.JsonFactory.builder()
                                .quoteChar('\'')
                                .enable(tools.jackson.core.json.JsonReadFeature.ALLOW_SINGLE_QUOTES)
                                .build())
                        .build(),
                CBORMapper.builder().build(),
                SmileMapper.builder().build());
    }

    /** Custom escapes: the generator must not write such text in one block. */
    static final class HtmlEscapes extends tools.jackson.core.io.CharacterEscapes {
        private final int[] escapes = standardAsciiEscapesForJSON();

        HtmlEscapes() {
            escapes['<'] = ESCAPE_STANDARD;
            escapes['>'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public tools.jackson.core.@Nullable SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    static List<String> texts() {
        int threshold = BulkStringSerializer.MIN_LENGTH;
        List<String> texts = new ArrayList<>(List.of(
                "",
                "a",
                "plain ascii",
                "grüße, 日本語",
                "emoji \uD83D\uDE00 pair",
                "a".repeat(threshold - 1),
                "a".repeat(threshold),
                "b".repeat(threshold + 1),
                "why?".repeat(threshold),
                "x".repeat(threshold) + "é",
                "é" + "x".repeat(threshold),
                "y".repeat(threshold) + "\uD83D\uDE00",
                "tab\tnew line\n quote\" backslash\\ slash/ ".repeat(20),
                "c".repeat(threshold) + "/",
                "<html>" + "d".repeat(threshold) + "</html>",
                "it's " + "e".repeat(threshold),
                "\u0000" + "f".repeat(threshold),
                "g".repeat(threshold) + "\u001f",
                "h".repeat(threshold) + "\u007f",
                "i".repeat(threshold + 7) + "\"",
                "\\" + "j".repeat(threshold + 3),
                "z".repeat(300_000),
                "ü".repeat(70_000),
                "replacement \uFFFD character " + "r".repeat(threshold)));
        return texts;
    }

    static Stream<Object[]> mappersAndTexts() {
        return mappers().flatMap(mapper -> texts().stream().map(text -> new Object[] {mapper, text}));
    }

    @ParameterizedTest
    @MethodSource("mappersAndTexts")
    void textShouldRoundTripThroughTheSlotAndReadBackWithThePlainMapper(ObjectMapper mapper, String text) {
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        Message message = new Message(7, text);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(2 << 20);
            long length = codec.encode(message, slot);
            byte[] encoded = slot.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            assertThat(codec.decode(slot.asSlice(0, length), Message.class)).isEqualTo(message);
            // Another peer with the plain mapper reads it, and the codec reads what that peer writes.
            assertThat(mapper.readValue(encoded, Message.class)).isEqualTo(message);
            byte[] plain = mapper.writeValueAsBytes(message);
            assertThat(codec.decode(plain, Message.class)).isEqualTo(message);
            if (!(mapper instanceof CBORMapper)
                    || BulkStringSerializer.asciiBytes(text) == null
                    || text.length() < BulkStringSerializer.MIN_LENGTH) {
                // Byte for byte what the application's mapper writes; only CBOR's long ASCII texts are now one
                // definite-length string.
                assertThat(encoded).isEqualTo(plain);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void nullFieldAndNullPayloadShouldBehaveAsThePlainMapper(ObjectMapper mapper) {
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        Message message = new Message(-1, null);
        assertThat(codec.encode(message)).isEqualTo(mapper.writeValueAsBytes(message));
        assertThat(codec.decode(codec.encode(message), Message.class)).isEqualTo(message);
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void unpairedSurrogateShouldFailOrEncodeExactlyAsThePlainMapperDoes(ObjectMapper mapper) {
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        for (String text : List.of(
                "lone \uD800 high", "x".repeat(1000) + "\uDC00", "\uD83D" + "y".repeat(1000), "?\uD800?".repeat(300))) {
            Message message = new Message(1, text);
            Throwable plainFailure = catchThrowable(() -> mapper.writeValueAsBytes(message));
            Throwable codecFailure = catchThrowable(() -> codec.encode(message));
            if (plainFailure == null) {
                assertThat(codecFailure).isNull();
                assertThat(codec.encode(message)).isEqualTo(mapper.writeValueAsBytes(message));
            } else {
                assertThat(codecFailure).isInstanceOf(plainFailure.getClass()).hasMessage(plainFailure.getMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void creatorFailureShouldReachTheCallerAsThePlainMapperReportsIt(ObjectMapper mapper) {
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        byte[] invalid = mapper.writeValueAsBytes(java.util.Map.of("value", -3));
        Throwable plain = catchThrowable(() -> mapper.readValue(invalid, Positive.class));
        assertThat(plain).isNotNull();
        assertThatThrownBy(() -> codec.decode(invalid, Positive.class))
                .isInstanceOf(plain.getClass())
                .hasMessage(plain.getMessage())
                .rootCause()
                .hasMessage("value must be positive, was -3");
        assertThat(codec.decode(codec.encode(new Positive(5)), Positive.class)).isEqualTo(new Positive(5));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void staticFactoryCreatorShouldStillBeCalled(ObjectMapper mapper) {
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        byte[] encoded = mapper.writeValueAsBytes(java.util.Map.of("name", "box", "tags", List.of("a", "b")));
        Tagged tagged = (Tagged) codec.decode(encoded, Tagged.class);
        assertThat(tagged.getName()).isEqualTo("BOX");
        assertThat(tagged.getTags()).containsExactly("a", "b");
    }

    /** Polymorphic: a type id after the fields makes Jackson buffer them in a token buffer first. */
    @com.fasterxml.jackson.annotation.JsonTypeInfo(
            use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.NAME,
            property = "kind")
    @com.fasterxml.jackson.annotation.JsonSubTypes(
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Note.class, name = "note"))
    interface Shape {}

    record Note(String text, String other) implements Shape {}

    @Test
    void cborLongTextsShouldReadAsJacksonReadsThemInEveryShape() {
        CBORMapper plain = CBORMapper.builder().build();
        CBORMapper stringRefs = CBORMapper.builder()
                .enable(tools.jackson.dataformat.cbor.CBORWriteFeature.STRINGREF)
                .build();
        String first = "f".repeat(5000);
        String second = "s".repeat(300) + "ß";
        for (CBORMapper mapper : List.of(plain, stringRefs)) {
            JacksonShmCodec codec = new JacksonShmCodec(mapper);
            List<String> texts = List.of(first, second, first, "", first);
            java.lang.reflect.Type listOfText =
                    new org.springframework.core.ParameterizedTypeReference<List<String>>() {}.getType();
            assertThat(codec.decode(codec.encode(texts), listOfText)).isEqualTo(texts);
            assertThat(codec.decode(mapper.writeValueAsBytes(texts), listOfText))
                    .isEqualTo(texts);
            java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
            map.put("text", first);
            map.put("other", second);
            map.put("kind", "note");
            // Fields before the type id: read back from Jackson's token buffer, not the payload's bytes.
            assertThat(codec.decode(mapper.writeValueAsBytes(map), Shape.class)).isEqualTo(new Note(first, second));
        }
    }

    @Test
    void cborMalformedUtf8InALongTextShouldFailAsThePlainMapperFails() {
        CBORMapper mapper = CBORMapper.builder().build();
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        byte[] encoded = mapper.writeValueAsBytes(new Message(3, "m".repeat(2000)));
        for (int bad : new int[] {0xFF, 0x80, 0xC3, 0xED}) {
            byte[] corrupt = encoded.clone();
            corrupt[corrupt.length - 100] = (byte) bad;
            Throwable plainFailure = catchThrowable(() -> mapper.readValue(corrupt, Message.class));
            assertThat(plainFailure).as("0x%X", bad).isNotNull();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment slot = arena.allocate(corrupt.length);
                MemorySegment.copy(corrupt, 0, slot, ValueLayout.JAVA_BYTE, 0, corrupt.length);
                assertThatThrownBy(() -> codec.decode(slot, Message.class))
                        .isInstanceOf(plainFailure.getClass())
                        .hasMessage(plainFailure.getMessage());
            }
        }
    }

    @Test
    void jsonEscapeScanShouldFindEveryEscapedByteAtEveryPosition() {
        for (int length = 1; length < 40; length++) {
            for (int at = 0; at < length; at++) {
                for (char special : new char[] {'"', '\\', '/', '\u0000', '\n', '\u001f'}) {
                    byte[] ascii = "k".repeat(length).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    ascii[at] = (byte) special;
                    assertThat(BulkStringSerializer.needsJsonEscape(ascii, true))
                            .isTrue();
                    assertThat(BulkStringSerializer.needsJsonEscape(ascii, false))
                            .isEqualTo(special != '/');
                }
            }
            byte[] plain = " !#$%&'()*+,-.09:;<=>?@AZ[]^_`az{|}~\u007f"
                    .repeat(2)
                    .substring(0, length)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(BulkStringSerializer.needsJsonEscape(plain, true)).isFalse();
        }
    }

    @Test
    void recordsAndCreatorsShouldBeBuiltThroughThePreboundHandle() {
        JacksonShmCodec codec = new JacksonShmCodec(JsonMapper.builder().build());
        InstantiatorProbe.FOUND.clear();
        assertThat(codec.decode("{\"name\":\"probe\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Probe.class))
                .isEqualTo(new Probe("probe"));
        assertThat(InstantiatorProbe.FOUND).hasSize(4).allSatisfy((type, instantiator) -> assertThat(
                        instantiator.getName())
                .as(type.getSimpleName())
                .isEqualTo(PreboundCreators.class.getName() + "$Instantiator"));
        assertThat(codec.decode(codec.encode(new Hidden("h")), Hidden.class)).isEqualTo(new Hidden("h"));
    }

    @Test
    void applicationMapperSettingsShouldStillApply() {
        JsonMapper snakeCase = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build();
        JacksonShmCodec codec = new JacksonShmCodec(snakeCase);
        Renamed renamed = new Renamed(9, "Ada");
        byte[] encoded = codec.encode(renamed);
        assertThat(new String(encoded, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"order_id\":9,\"customer_name\":\"Ada\"}");
        assertThat(codec.decode(encoded, Renamed.class)).isEqualTo(renamed);
        assertThat(codec.getMapper()).isSameAs(snakeCase);
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void decodingOnVirtualAndPlatformThreadsWithShrinkingAndGrowingPayloadsShouldGiveEachItsOwnValue(
            ObjectMapper mapper) throws Exception {
        JacksonShmCodec codec = new JacksonShmCodec(mapper);
        // Sizes in an order that makes the reused buffer hold stale bytes of a longer payload, then grow past
        // the reuse limit.
        int[] sizes = {5000, 10, 200_000, 3, JacksonShmCodec.MAX_REUSED_BUFFER, 0, 70_000};
        try (Arena arena = Arena.ofShared();
                var virtual = Executors.newVirtualThreadPerTaskExecutor();
                var platform = Executors.newSingleThreadExecutor()) {
            MemorySegment slot = arena.allocate(1 << 20);
            for (int size : sizes) {
                Message message = new Message(size, "q".repeat(size));
                MemorySegment encoded = slot.asSlice(0, codec.encode(message, slot));
                Future<Object> onVirtual = virtual.submit(() -> codec.decode(encoded, Message.class));
                Future<Object> onPlatform = platform.submit(() -> codec.decode(encoded, Message.class));
                assertThat(onVirtual.get()).isEqualTo(message);
                assertThat(onPlatform.get()).isEqualTo(message);
                assertThat(codec.decode(encoded, Message.class)).isEqualTo(message);
            }
        }
    }
}
