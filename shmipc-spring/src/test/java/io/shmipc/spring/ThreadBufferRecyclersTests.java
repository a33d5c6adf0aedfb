package io.shmipc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeHint;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.base.GeneratorBase;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * {@link ThreadBufferRecyclers}: a platform thread reuses its own recycler, anything else (a virtual thread,
 * a second parser or generator while the first is open) goes to the mapper's own pool, and the codec's mapper
 * gets the pool without losing any of its factory's settings.
 */
class ThreadBufferRecyclersTests {

    private final RecyclerPool<BufferRecycler> shared = JsonRecyclerPools.newConcurrentDequePool();
    private final ThreadBufferRecyclers pool = new ThreadBufferRecyclers(shared);

    @Test
    void platformThreadShouldGetItsOwnRecyclerBackOnEveryCall() {
        BufferRecycler first = pool.acquireAndLinkPooled();
        first.releaseToPool();
        BufferRecycler second = pool.acquireAndLinkPooled();
        second.releaseToPool();

        assertThat(first)
                .isInstanceOf(ThreadBufferRecyclers.ThreadRecycler.class)
                .isSameAs(second);
        assertThat(shared.pooledCount()).isZero();
    }

    @Test
    void recyclerTakenWhileTheThreadsOwnIsInUseShouldComeFromAndGoBackToTheSharedPool() {
        BufferRecycler outer = pool.acquireAndLinkPooled();
        BufferRecycler nested = pool.acquireAndLinkPooled();

        assertThat(nested).isNotSameAs(outer).isNotInstanceOf(ThreadBufferRecyclers.ThreadRecycler.class);
        nested.releaseToPool();
        assertThat(shared.pooledCount()).isEqualTo(1);
        outer.releaseToPool();
        assertThat(shared.pooledCount()).isEqualTo(1);
        BufferRecycler again = pool.acquireAndLinkPooled();
        assertThat(again).isSameAs(outer);
        again.releaseToPool();
    }

    @Test
    void virtualThreadShouldUseTheSharedPool() throws Exception {
        try (var virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            BufferRecycler recycler = virtual.submit(pool::acquireAndLinkPooled).get();
            assertThat(recycler).isNotInstanceOf(ThreadBufferRecyclers.ThreadRecycler.class);
            virtual.submit(recycler::releaseToPool).get();
        }
        assertThat(shared.pooledCount()).isEqualTo(1);
    }

    /** Sizes asked for and given back, in order: the buffers handed out must be as long as Jackson's own. */
    @Test
    void threadRecyclerShouldHandOutAndKeepBuffersAsBufferRecyclerDoes() {
        BufferRecycler jackson = new BufferRecycler();
        BufferRecycler own = new ThreadBufferRecyclers.ThreadRecycler();
        int[] sizes = {0, 100, 9000, 50, 20_000, 10, 0, 70_000, 5};
        for (int index = 0; index < 4; index++) {
            for (int size : sizes) {
                byte[] expectedBytes = jackson.allocByteBuffer(index, size);
                byte[] bytes = own.allocByteBuffer(index, size);
                assertThat(bytes).hasSameSizeAs(expectedBytes);
                char[] expectedChars = jackson.allocCharBuffer(index, size);
                char[] chars = own.allocCharBuffer(index, size);
                assertThat(chars).hasSameSizeAs(expectedChars);
                // Given back with a different size than taken, as a grown text buffer is.
                jackson.releaseByteBuffer(index, new byte[expectedBytes.length + size]);
                own.releaseByteBuffer(index, new byte[bytes.length + size]);
                jackson.releaseCharBuffer(index, new char[expectedChars.length / 2 + 1]);
                own.releaseCharBuffer(index, new char[chars.length / 2 + 1]);
            }
        }
    }

    static Stream<ObjectMapper> mappers() {
        return Stream.of(
                JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build(),
                JsonMapper.builder().build(),
                CBORMapper.builder().build(),
                SmileMapper.builder().build());
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void installShouldReplaceOnlyThePoolOfTheFactory(ObjectMapper mapper) {
        MapperBuilder<?, ?> builder = mapper.rebuild();

        assertThat(ThreadBufferRecyclers.install(builder)).isTrue();
        ObjectMapper rebuilt = builder.build();

        assertThat(rebuilt.tokenStreamFactory()._getRecyclerPool()).isInstanceOf(ThreadBufferRecyclers.class);
        assertThat(rebuilt.tokenStreamFactory().getClass())
                .isEqualTo(mapper.tokenStreamFactory().getClass());
        Object value = List.of("plain", "non-ASCII é ✓ 😀", "x".repeat(5000));
        assertThat(rebuilt.writeValueAsBytes(value)).isEqualTo(mapper.writeValueAsBytes(value));
    }

    @Test
    void codecMapperShouldUseThreadRecyclers() {
        JacksonShmCodec codec = new JacksonShmCodec(JsonMapper.builder().build());
        BufferRecycler first = codecRecycler(codec);
        assertThat(first)
                .isInstanceOf(ThreadBufferRecyclers.ThreadRecycler.class)
                .isSameAs(codecRecycler(codec));
    }

    /** @return the recycler a generator of the codec's own mapper gets on this thread */
    private static BufferRecycler codecRecycler(JacksonShmCodec codec) {
        // The codec's copy of the mapper is private; a nested value serializer sees the generator it made.
        codec.encode(new Nested("probe"));
        return Objects.requireNonNull(Nested.SEEN.get(), "the serializer ran");
    }

    /** Writes a document of the same codec inside its own, so the nested generator needs a second recycler. */
    @JsonSerialize(using = NestedSerializer.class)
    record Nested(String text) {
        /** The recycler of the last outer generator on this thread. */
        static final ThreadLocal<@Nullable BufferRecycler> SEEN = new ThreadLocal<>();
    }

    static final class NestedSerializer extends ValueSerializer<Nested> {
        static final JacksonShmCodec INNER =
                new JacksonShmCodec(JsonMapper.builder().build());

        @Override
        public void serialize(Nested value, JsonGenerator generator, SerializationContext context) {
            Nested.SEEN.set(((GeneratorBase) generator).ioContext().bufferRecycler());
            byte[] inner = INNER.encode(List.of(value.text(), "y".repeat(3000)));
            generator.writeString(new String(inner, StandardCharsets.UTF_8) + value.text());
        }
    }

    @Test
    void nestedEncodeOfTheSameCodecOnPlatformAndVirtualThreadsShouldGiveThePlainMappersBytes() throws Exception {
        ObjectMapper plain = JsonMapper.builder().build();
        JacksonShmCodec codec = NestedSerializer.INNER;
        List<Future<Boolean>> results = new ArrayList<>();
        try (var virtual = Executors.newVirtualThreadPerTaskExecutor();
                var platform = Executors.newFixedThreadPool(3)) {
            for (int i = 0; i < 200; i++) {
                Nested value = new Nested("text-" + "z".repeat(i * 37));
                byte[] expected = plain.writeValueAsBytes(value);
                Callable<Boolean> check = () -> Arrays.equals(codec.encode(value), expected)
                        && codec.decode(expected, String.class).equals(plain.readValue(expected, String.class));
                results.add(virtual.submit(check));
                results.add(platform.submit(check));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
    }

    @Test
    void nativeImageHintsShouldLetInstallReachTheBuildersFactoryField() {
        RuntimeHints hints = new RuntimeHints();
        new ShmRuntimeHints().registerHints(hints, getClass().getClassLoader());

        TypeHint builder = hints.reflection().getTypeHint(MapperBuilder.class);
        assertThat(builder).isNotNull();
        assertThat(builder.fields()).anyMatch(field -> field.getName().equals("_streamFactory"));
    }
}
