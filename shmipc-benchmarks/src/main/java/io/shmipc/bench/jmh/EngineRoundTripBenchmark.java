package io.shmipc.bench.jmh;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmServer;
import io.shmipc.core.WaitMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Map;
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

/**
 * The engine's hot path in one JVM: a client call through slot claim, publish, doorbell, the server's
 * dispatch thread, the reply and slot release. Compares the byte[] call with the zero-copy call that
 * writes into and reads from the slot directly. Cross-process figures come from the harness; this
 * isolates the library's own cost from JVM-to-JVM effects.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EngineRoundTripBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String COPY_ROUTE = "copy";
    private static final String IN_PLACE_ROUTE = "in-place";

    @Param({"HYBRID", "BLOCK"})
    public WaitMode waitMode;

    @Param({"64", "65536", "1048576"})
    public int payloadBytes;

    private ShmServer server;
    private ShmClient client;
    private Arena arena;
    private MemorySegment source;
    private byte[] request;

    @Setup(Level.Trial)
    public void start() {
        String name = "shmipc-bench-jmh-" + ProcessHandle.current().pid();
        ShmConfig config = ShmConfig.builder()
                .slotCount(4)
                .slotCapacity(1 << 20)
                .waitMode(waitMode)
                .build();
        server = ShmServer.start(name, config, (req, resp) -> {
            if (IN_PLACE_ROUTE.equals(req.route())) {
                resp.commit(req.size());
            } else {
                resp.write(req.payloadBytes());
            }
        });
        client = new ShmClient(name, config);
        client.connect();
        arena = Arena.ofShared();
        source = arena.allocate(payloadBytes, 64);
        request = new byte[payloadBytes];
    }

    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        server.close(Duration.ofSeconds(1));
        arena.close();
    }

    @Benchmark
    public byte[] byteArrayCall() {
        return client.call(COPY_ROUTE, request, TIMEOUT);
    }

    @Benchmark
    public long zeroCopyCall() {
        int size = payloadBytes;
        return client.call(
                IN_PLACE_ROUTE,
                Map.of(),
                slot -> {
                    MemorySegment.copy(source, 0, slot, 0, size);
                    return size;
                },
                reply -> reply.get(ValueLayout.JAVA_BYTE, reply.byteSize() - 1),
                TIMEOUT);
    }
}
