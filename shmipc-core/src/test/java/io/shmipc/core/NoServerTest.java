package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no server, calls fail at once and say so; once a server starts, the same client works. */
class NoServerTest {

    @TempDir
    Path dir;

    @Test
    void callFailsAtOnceNamingNameAndPathThenTheSameClientWorksOnceAServerStarts() {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        try (ShmClient client = new ShmClient(name, config)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.call("echo", utf8("x"), LONG))
                    .isInstanceOf(ShmServerUnavailableException.class)
                    .hasMessageContaining(name)
                    .hasMessageContaining(dir.resolve(name).toString());
            assertThat(System.nanoTime() - start)
                    .as("at once, not after the 60 s timeout")
                    .isLessThan(LONG.toNanos() / 4);
            assertThatThrownBy(client::connect).isInstanceOf(ShmServerUnavailableException.class);
            assertThat(client.isServerAvailable()).isFalse();
            assertThat(client.info()).isNull();

            try (ShmServer server =
                    ShmServer.start(name, config, (request, response) -> response.write(request.payloadBytes()))) {
                assertThat(text(client.call("echo", utf8("now"), LONG))).isEqualTo("now");
                assertThat(client.isServerAvailable()).isTrue();
                assertThat(client.info().epoch()).isEqualTo(server.epoch());
            }
        }
    }

    @Test
    void clientReconnectsByItselfAfterACleanStopAndRestart() {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        ShmRequestHandler echo = (request, response) -> response.write(request.payloadBytes());
        try (ShmClient client = new ShmClient(name, config)) {
            try (ShmServer first = ShmServer.start(name, config, echo)) {
                assertThat(text(client.call("echo", utf8("one"), LONG))).isEqualTo("one");
            }
            assertThatThrownBy(() -> client.call("echo", utf8("gap"), LONG))
                    .isInstanceOf(ShmServerUnavailableException.class);
            try (ShmServer second = ShmServer.start(name, config, echo)) {
                assertThat(text(client.call("echo", utf8("two"), LONG))).isEqualTo("two");
            }
        }
    }
}
