package io.shmipc.core;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.layout.SlotDescriptor;
import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.testing.ScribblerMain;
import io.shmipc.testing.ChildJvm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any process that can open the region file can write garbage into it. These tests let a real
 * separate process ({@link ScribblerMain}) do exactly that to a server running in this JVM, and check
 * that the server answers or repairs what it can, never dies, and keeps serving legitimate clients.
 */
class HostileInputTest {

    private static final Duration LIVENESS_INTERVAL = Duration.ofMillis(50);
    private static final Duration LIVENESS_TIMEOUT = Duration.ofMillis(500);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final int SLOTS = 4;
    private static final int CAPACITY = 1024;

    @TempDir
    Path dir;

    private final String name = "shmipc-test-" + UUID.randomUUID();
    private ShmConfig config;
    private ShmServer server;
    private ShmClient client;

    @BeforeEach
    void startServer() {
        config = ShmConfig.builder()
                .directory(dir)
                .slotCount(SLOTS)
                .slotCapacity(CAPACITY)
                .waitMode(WaitMode.BLOCK)
                .livenessInterval(LIVENESS_INTERVAL)
                .livenessTimeout(LIVENESS_TIMEOUT)
                .build();
        server = ShmServer.start(name, config, (request, response) -> response.write(request.payloadBytes()));
        client = new ShmClient(name, config);
    }

    @AfterEach
    void stopServer() throws IOException {
        client.close();
        server.close(Duration.ZERO);
        try (var files = Files.list(dir)) {
            assertThat(files).as("files left behind").isEmpty();
        }
    }

    @Test
    void lyingLengthsAreAnsweredWithProtocolErrorAndTheServerKeepsServing() {
        // route length, payload length, headers length: one lie each, the others plausible
        List<int[]> lies = List.of(
                new int[] {Integer.MAX_VALUE, 1, 0},
                new int[] {-1, 1, 0},
                new int[] {Integer.MIN_VALUE, 1, 0},
                new int[] {0, 1, 0},
                new int[] {ROUTE_CAPACITY + 1, 1, 0},
                new int[] {1, Integer.MAX_VALUE, 0},
                new int[] {1, -1, 0},
                new int[] {1, Integer.MIN_VALUE, 0},
                new int[] {1, CAPACITY + 1, 0},
                new int[] {1, 1, Integer.MAX_VALUE},
                new int[] {1, 1, -1},
                new int[] {1, 1, HEADERS_CAPACITY + 1},
                // in bounds, but the headers bytes (0x7F filler) do not decode
                new int[] {1, 1, 16});
        try (ChildJvm scribbler =
                ChildJvm.start(ScribblerMain.class, server.path().toString())) {
            scribbler.awaitLine("MAPPED");
            for (int i = 0; i < lies.size(); i++) {
                int[] lie = lies.get(i);
                scribbler.send("request " + (i % SLOTS) + " " + lie[0] + " " + lie[1] + " " + lie[2]);
                String answer =
                        scribbler.awaitLine(line -> line.startsWith("ANSWER") || line.startsWith("BUSY"), CALL_TIMEOUT);
                assertThat(answer)
                        .as("lengths %d/%d/%d", lie[0], lie[1], lie[2])
                        .startsWith("ANSWER state=RESPONSE status=" + STATUS_PROTOCOL_ERROR + " ")
                        .containsPattern("length|malformed"); // says what was wrong
            }
        }
        assertThat(server.isRunning()).isTrue();
        assertEchoWorks(client);
        assertThat(server.info().slotsInUse()).isZero();
    }

    @Test
    void invalidStateWordIsResetToFreeWithinTheLivenessTimeout() throws IOException {
        try (ChildJvm scribbler =
                        ChildJvm.start(ScribblerMain.class, server.path().toString());
                RegionView view = RegionView.of(server.path())) {
            scribbler.awaitLine("MAPPED");
            scribbler.send("state 2 " + SlotDescriptor.word(7, 0xEE));
            scribbler.awaitLine("WROTE");
            assertThat(state(view.stateWord(2))).isEqualTo(0xEE);
            await().atMost(LIVENESS_TIMEOUT)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> view.stateWord(2) == SlotDescriptor.word(7, FREE));
        }
        assertEchoWorks(client);
    }

    @Test
    void randomBytesOverSlotsAndHeaderLeaveTheServerServing() throws Exception {
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicLong succeeded = new AtomicLong();
        AtomicLong protocolErrors = new AtomicLong();
        AtomicLong corrupted = new AtomicLong();
        try (ChildJvm scribbler =
                ChildJvm.start(ScribblerMain.class, server.path().toString())) {
            scribbler.awaitLine("MAPPED");

            // Slots: a legitimate caller keeps going while whole slots are overwritten. Each slot gets
            // random bytes and then, in turn, every state (and one invalid), so every recovery path runs.
            AtomicBoolean stop = new AtomicBoolean();
            Thread caller = Thread.ofPlatform().name("legit-caller").start(() -> {
                for (long i = 0; !stop.get(); i++) {
                    byte[] request = ("legit-" + i).getBytes(StandardCharsets.UTF_8);
                    try {
                        if (java.util.Arrays.equals(client.call("echo", request, CALL_TIMEOUT), request)) {
                            succeeded.incrementAndGet();
                        } else {
                            // The scribbler overwrote this call's payload while it was in flight. A process
                            // with write access can always do that; what must hold is that nothing else breaks.
                            corrupted.incrementAndGet();
                        }
                    } catch (ShmProtocolException e) {
                        protocolErrors.incrementAndGet(); // this call's slot was scribbled on: allowed
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }
            });
            int[] states = {FREE, CLAIMED, REQUEST, PROCESSING, RESPONSE, ABANDONED, 0xC3};
            for (int round = 0; round < states.length; round++) {
                for (int slot = 0; slot < SLOTS; slot++) {
                    scribbler.send("random-slot " + slot + " " + (1000L * round + slot) + " " + states[round]);
                    scribbler.awaitLine("WROTE");
                }
                long before = succeeded.get();
                await().atMost(CALL_TIMEOUT).until(() -> succeeded.get() > before);
            }
            stop.set(true);
            caller.join(CALL_TIMEOUT.multipliedBy(2).toMillis());
            assertThat(unexpected)
                    .as("failures other than ShmProtocolException")
                    .isEmpty();
            // Every scribbled slot is failed, reclaimed or freed eventually: none is lost for good.
            await().atMost(LIVENESS_TIMEOUT.multipliedBy(6))
                    .until(() -> server.info().slotsInUse() == 0);

            // Header: lines 1 to 7 (server status, heartbeat, doorbell, sleeping flag, free words,
            // reserved), then line 0 (magic and geometry). The housekeeper must put back what only
            // the server writes; the rest is tolerated.
            byte[] identity = readBytes(server.path(), 0, RegionDescriptor.CACHE_LINE);
            long pid = ProcessHandle.current().pid();
            for (int line : new int[] {1, 2, 3, 4, 5, 6, 7, 0}) {
                scribbler.send("random-line " + line + " " + (77L + line));
                scribbler.awaitLine("WROTE");
                await().atMost(LIVENESS_TIMEOUT).untilAsserted(() -> {
                    ShmRegionInfo info = server.info();
                    assertThat(info.serverState()).isEqualTo("RUNNING");
                    assertThat(info.epoch()).isEqualTo(server.epoch());
                    assertThat(info.serverPid()).isEqualTo(pid);
                    assertThat(readBytes(server.path(), 0, RegionDescriptor.CACHE_LINE))
                            .isEqualTo(identity);
                });
                try (ShmClient newcomer = new ShmClient(name, config)) {
                    newcomer.connect();
                    assertEchoWorks(newcomer);
                }
                assertEchoWorks(client);
            }
        }
        assertThat(server.isRunning()).isTrue();
        assertThat(succeeded.get()).isPositive();
    }

    @Test
    void regionWithForeignMagicIsRefusedNamingBothMagics() throws IOException {
        writeRegion(0x1122_3344_5566_7788L, RegionDescriptor.LAYOUT_VERSION, 1, 64, RegionDescriptor.regionSize(1, 64));
        assertRefused("0x1122334455667788", "0x" + Long.toHexString(RegionDescriptor.MAGIC));
    }

    @Test
    void regionOfAnotherLayoutVersionIsRefusedNamingBothVersions() throws IOException {
        writeRegion(RegionDescriptor.MAGIC, 99, 1, 64, RegionDescriptor.regionSize(1, 64));
        assertRefused("layout version 99", "layout version " + RegionDescriptor.LAYOUT_VERSION);
    }

    @Test
    void headerGeometryThatDisagreesWithTheFileSizeIsRefusedNamingBoth() throws IOException {
        long claimed = RegionDescriptor.regionSize(8, 64);
        long actual = RegionDescriptor.regionSize(2, 64);
        writeRegion(RegionDescriptor.MAGIC, RegionDescriptor.LAYOUT_VERSION, 8, 64, actual, claimed);
        assertRefused("size " + claimed, "file is " + actual + " bytes");
    }

    // ---------------------------------------------------------------- helpers

    private void assertRefused(String found, String expected) throws IOException {
        // The foreign file sits where this test's own server would put its region.
        server.close(Duration.ZERO);
        client.close();
        String otherName = "shmipc-test-foreign-" + UUID.randomUUID();
        Files.move(dir.resolve("foreign"), dir.resolve(otherName));
        Path region = dir.resolve(otherName);
        byte[] before = Files.readAllBytes(region);
        assertThatThrownBy(() -> ShmServer.start(otherName, config, (request, response) -> {}))
                .isInstanceOf(ShmProtocolException.class)
                .hasMessageContaining(found)
                .hasMessageContaining(expected);
        try (ShmClient foreignClient = new ShmClient(otherName, config)) {
            assertThatThrownBy(foreignClient::connect)
                    .isInstanceOf(ShmProtocolException.class)
                    .hasMessageContaining(found)
                    .hasMessageContaining(expected);
        }
        assertThat(Files.readAllBytes(region))
                .as("a refused region is left as it was")
                .isEqualTo(before);
        Files.delete(region);
        Files.deleteIfExists(dir.resolve(otherName + ".lock"));
        // restart so that @AfterEach has something to close
        server = ShmServer.start(name, config, (request, response) -> {});
        client = new ShmClient(name, config);
    }

    private void writeRegion(long magic, int version, int slots, int capacity, long fileSize) throws IOException {
        writeRegion(magic, version, slots, capacity, fileSize, RegionDescriptor.regionSize(slots, capacity));
    }

    private void writeRegion(long magic, int version, int slots, int capacity, long fileSize, long recordedSize)
            throws IOException {
        ByteBuffer header = ByteBuffer.allocate((int) fileSize).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(RegionDescriptor.MAGIC_OFFSET, magic)
                .putInt(RegionDescriptor.LAYOUT_VERSION_OFFSET, version)
                .putInt(RegionDescriptor.SLOT_COUNT_OFFSET, slots)
                .putInt(RegionDescriptor.SLOT_CAPACITY_OFFSET, capacity)
                .putInt(RegionDescriptor.SLOT_STRIDE_OFFSET, (int) RegionDescriptor.slotStride(capacity))
                .putInt(RegionDescriptor.HEADER_SIZE_OFFSET, RegionDescriptor.HEADER_SIZE)
                .putLong(RegionDescriptor.REGION_SIZE_OFFSET, recordedSize);
        Files.write(dir.resolve("foreign"), header.array());
    }

    private static byte[] readBytes(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // read until full
            }
            return buffer.array();
        }
    }

    private static void assertEchoWorks(ShmClient client) {
        byte[] request = ("ping-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        assertThat(client.call("echo", request, CALL_TIMEOUT)).isEqualTo(request);
    }

    /** This test's own read-only look at slot state words, through a second mapping of the file. */
    private record RegionView(RegionMapper.Mapping mapping) implements AutoCloseable {
        static RegionView of(Path path) throws IOException {
            return new RegionView(RegionMapper.open(path));
        }

        int stateWord(int slot) {
            return mapping.region().stateWordVolatile(slot);
        }

        @Override
        public void close() {
            mapping.close();
        }
    }
}
