package io.shmipc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessRoundTripTest {

    @TempDir
    Path dir;

    private final String name = "shmipc-test-" + UUID.randomUUID();

    @Test
    void echoRoundTripInOneJvm() throws Exception {
        ShmConfig config = ShmConfig.builder()
                .directory(dir)
                .slotCount(4)
                .slotCapacity(1024)
                .build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
                    byte[] in = request.payloadBytes();
                    response.write((request.route() + ":" + new String(in, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8));
                });
                ShmClient client = new ShmClient(name, config)) {
            for (int i = 0; i < 1000; i++) {
                byte[] reply =
                        client.call("echo", ("hello" + i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("echo:hello" + i);
            }
            assertThat(server.epoch()).isEqualTo(1);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void handlerExceptionArrivesAsRemoteException() {
        ShmConfig config = ShmConfig.builder().directory(dir).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
                    throw new IllegalStateException("boom");
                });
                ShmClient client = new ShmClient(name, config)) {
            assertThatThrownBy(() -> client.call("x", new byte[1], Duration.ofSeconds(5)))
                    .isInstanceOf(ShmRemoteException.class)
                    .hasMessageContaining("java.lang.IllegalStateException")
                    .hasMessageContaining("boom");
        }
    }

    @Test
    void replyHeadersTravelBackAndRequestHeadersAreNotEchoed() {
        ShmConfig config = ShmConfig.builder().directory(dir).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
                    if (request.route().equals("tagged")) {
                        response.headers(Map.of("seen", request.headers().get("tenant")));
                    }
                    response.write(request.payloadBytes());
                });
                ShmClient client = new ShmClient(name, config)) {
            ResponseReader<Map<String, String>> headersOnly = new ResponseReader<>() {
                @Override
                public Map<String, String> read(MemorySegment reply) {
                    throw new AssertionError("the engine calls the two-argument read");
                }

                @Override
                public Map<String, String> read(MemorySegment reply, Map<String, String> headers) {
                    return headers;
                }
            };
            Map<String, String> request = Map.of("tenant", "t1");
            assertThat(client.call("tagged", request, new byte[] {1}, headersOnly, Duration.ofSeconds(5)))
                    .containsExactly(Map.entry("seen", "t1"));
            assertThat(client.call("plain", request, new byte[] {1}, headersOnly, Duration.ofSeconds(5)))
                    .isEmpty();
        }
    }

    @Test
    void headerUtf8CannotCarryIsRefusedBeforeSending() {
        ShmConfig config = ShmConfig.builder().directory(dir).build();
        AtomicInteger served = new AtomicInteger();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> served.incrementAndGet());
                ShmClient client = new ShmClient(name, config)) {
            assertThatThrownBy(() -> client.call("x", Map.of("k", "\uDC00"), new byte[0], Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("surrogate");
            assertThat(served).hasValue(0);
        }
    }
}
