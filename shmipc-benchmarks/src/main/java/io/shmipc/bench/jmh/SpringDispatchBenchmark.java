package io.shmipc.bench.jmh;

import io.micrometer.observation.ObservationRegistry;
import io.shmipc.spring.JacksonShmCodec;
import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmHandlerDispatcher;
import io.shmipc.spring.ShmHandlerRegistry;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Spring layer's own cost on the server, with no shared memory in the way: route lookup,
 * argument binding and the handler call through {@link ShmHandlerDispatcher}, for byte[] and for a
 * small record through the JSON codec; and the codec alone. Observations are off (NOOP), as they are
 * when no observation registry is configured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SpringDispatchBenchmark {

    /** The handlers, as a user's bean would declare them. */
    public static class EchoHandlers {
        @ShmHandler("bytes")
        public byte[] bytes(byte[] request) {
            return request;
        }

        @ShmHandler("json")
        public Message json(Message request) {
            return request;
        }
    }

    /** A small JSON object. */
    public record Message(long id, String text) {}

    private static final Message MESSAGE = new Message(42, "a-small-text-of-about-forty-characters--");

    private Arena arena;
    private JacksonShmCodec codec;
    private ShmHandlerDispatcher dispatcher;
    private InMemoryExchange bytesExchange;
    private InMemoryExchange jsonExchange;
    private byte[] encodedMessage;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        codec = new JacksonShmCodec(JsonMapper.builder().build());
        ShmHandlerRegistry registry = new ShmHandlerRegistry();
        registry.postProcessAfterInitialization(new EchoHandlers(), "echoHandlers");
        registry.afterSingletonsInstantiated();
        dispatcher = new ShmHandlerDispatcher("bench", registry, codec, ObservationRegistry.NOOP, null);
        encodedMessage = codec.encode(MESSAGE);
        bytesExchange = new InMemoryExchange("bytes", new byte[64], 4096, arena);
        jsonExchange = new InMemoryExchange("json", encodedMessage, 4096, arena);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int dispatchBytes() throws Exception {
        InMemoryExchange exchange = bytesExchange.reset();
        dispatcher.handle(exchange, exchange);
        return exchange.replySize();
    }

    @Benchmark
    public int dispatchJson() throws Exception {
        InMemoryExchange exchange = jsonExchange.reset();
        dispatcher.handle(exchange, exchange);
        return exchange.replySize();
    }

    @Benchmark
    public byte[] encodeJson() {
        return codec.encode(MESSAGE);
    }

    @Benchmark
    public Object decodeJson() {
        return codec.decode(encodedMessage, Message.class);
    }
}
