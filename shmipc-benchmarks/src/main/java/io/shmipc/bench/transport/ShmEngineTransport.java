package io.shmipc.bench.transport;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmRequest;
import io.shmipc.core.ShmResponse;
import io.shmipc.core.ShmServer;
import io.shmipc.core.WaitMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The shmipc engine used directly, in one wait mode. The endpoint is the shmipc name. */
public final class ShmEngineTransport implements Transport {

    static final String ECHO_ROUTE = "echo";
    static final String ECHO_IN_PLACE_ROUTE = "echo-zc";
    /** Room for the largest payload of any scenario (1 MiB). */
    static final int SLOT_CAPACITY = 1 << 20;

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final WaitMode waitMode;
    private final boolean parkPlatformThreads;

    public ShmEngineTransport(WaitMode waitMode) {
        this(waitMode, false);
    }

    /**
     * @param parkPlatformThreads platform threads park behind the engine's reply thread, as virtual threads
     *                            do, instead of sleeping on their slot's state word (the engine's
     *                            {@code shmipc.client.park-platform-threads} switch)
     */
    ShmEngineTransport(WaitMode waitMode, boolean parkPlatformThreads) {
        this.waitMode = waitMode;
        this.parkPlatformThreads = parkPlatformThreads;
    }

    @Override
    public EndpointKind endpointKind() {
        return EndpointKind.SHM_NAME;
    }

    @Override
    public String id() {
        return "shm-" + waitMode.name().toLowerCase(Locale.ROOT) + (parkPlatformThreads ? "-parked" : "");
    }

    @Override
    public boolean spins() {
        return waitMode == WaitMode.SPIN;
    }

    @Override
    public boolean zeroCopy() {
        return true;
    }

    static ShmConfig config(WaitMode waitMode) {
        return ShmConfig.builder()
                .slotCount(8)
                .slotCapacity(SLOT_CAPACITY)
                .waitMode(waitMode)
                .shutdownGrace(Duration.ofSeconds(1))
                .build();
    }

    @Override
    public AutoCloseable startServer(String endpoint) {
        return ShmServer.start(endpoint, config(waitMode), ShmEngineTransport::serve);
    }

    private static void serve(ShmRequest request, ShmResponse response) {
        if (ECHO_IN_PLACE_ROUTE.equals(request.route())) {
            // The reply area aliases the request, so an in-place echo copies nothing.
            response.commit(request.size());
        } else {
            response.write(request.payloadBytes());
        }
    }

    @Override
    public boolean manyCallers() {
        return true;
    }

    /**
     * Every caller thread of a client JVM shares one {@link ShmClient}, as an application shares one per
     * name; it lives until the JVM exits.
     */
    @Override
    public Caller connect(String endpoint) {
        if (parkPlatformThreads) {
            // Read once by the engine when its first connection is made, which has not happened yet here.
            System.setProperty("shmipc.client.park-platform-threads", "true");
        }
        return new EngineCaller(sharedClient(endpoint, waitMode));
    }

    private static @Nullable ShmClient shared;

    private static synchronized ShmClient sharedClient(String endpoint, WaitMode waitMode) {
        if (shared == null) {
            shared = new ShmClient(endpoint, config(waitMode));
            shared.connect();
        }
        return shared;
    }

    private static final class EngineCaller implements Caller {
        private final ShmClient client;
        private @Nullable Arena arena;
        /** Stands for data the application already holds off-heap, e.g. a mapped file or a network buffer. */
        private @Nullable MemorySegment source;

        EngineCaller(ShmClient client) {
            this.client = client;
        }

        @Override
        public byte[] call(byte[] request) {
            return client.call(ECHO_ROUTE, request, CALL_TIMEOUT);
        }

        @Override
        public long callZeroCopy(int size) {
            if (source == null) {
                // Allocated on first use: a thousand callers of the threads scenarios never need one.
                arena = Arena.ofConfined();
                source = arena.allocate(SLOT_CAPACITY, 64);
            }
            return client.call(
                    ECHO_IN_PLACE_ROUTE,
                    Map.of(),
                    slot -> {
                        MemorySegment.copy(source, 0, slot, 0, size);
                        return size;
                    },
                    reply -> reply.byteSize() + reply.get(ValueLayout.JAVA_BYTE, reply.byteSize() - 1),
                    CALL_TIMEOUT);
        }

        @Override
        public void close() {
            if (arena != null) {
                arena.close();
            }
        }
    }
}
