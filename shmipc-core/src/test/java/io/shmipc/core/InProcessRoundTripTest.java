package io.shmipc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
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
}
