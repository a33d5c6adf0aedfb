package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings 4 and 6 of issue 10: other processes truncating the region or deleting the lock file
 * under a live server (an operator cleaning "stale" files, systemd's RemoveIPC).
 */
class RegionFileTamperingTest {

    @TempDir
    Path dir;

    private ChildJvm startServer(String name) {
        ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "2", "4096", "HYBRID");
        server.awaitLine("READY");
        return server;
    }

    @Test
    void truncatedRegionStopsItsServerWhichReleasesTheNameAndClientsFailTyped() throws Exception {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        try (ChildJvm first = startServer(name);
                ShmClient client = new ShmClient(name, config)) {
            assertThat(text(client.call("echo", utf8("before"), LONG))).isEqualTo("before");
            Process truncate = new ProcessBuilder(
                            "truncate", "-s", "0", dir.resolve(name).toString())
                    .inheritIO()
                    .start();
            assertThat(truncate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(truncate.exitValue()).isZero();
            // Before the fix this call died with java.lang.InternalError (a fault in an unsafe memory access).
            assertThatThrownBy(() -> client.call("echo", utf8("during"), LONG)).isInstanceOf(ShmException.class);
            // Before the fix the server's threads died, but its process kept the lock: no server could ever start.
            AtomicReference<ShmServer> second = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        try {
                            second.set(ShmServer.start(
                                    name, config, (request, response) -> response.write(request.payloadBytes())));
                            return true;
                        } catch (ShmServerAlreadyRunningException | ShmProtocolException e) {
                            return false;
                        }
                    });
            try (ShmServer taken = second.get()) {
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptionsInstanceOf(ShmException.class)
                        .until(() ->
                                text(client.call("echo", utf8("after"), LONG)).equals("after"));
                assertThat(first.process().isAlive())
                        .as("the first server's process lives on")
                        .isTrue();
            }
        }
    }

    @Test
    void lockFileDeletedUnderALiveServerIsRecreatedAndASecondServerIsRefused() {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        Path lock = dir.resolve(name + ".lock");
        try (ChildJvm first = startServer(name);
                ShmClient client = new ShmClient(name, config)) {
            assertThat(text(client.call("echo", utf8("before"), LONG))).isEqualTo("before");
            try {
                Files.delete(lock);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            // Before the fix this second server took over the live region (failing the first one's requests).
            assertThatThrownBy(() -> ShmServer.start(name, config, (request, response) -> {})
                            .close())
                    .isInstanceOf(ShmServerAlreadyRunningException.class)
                    .hasMessageContaining(Long.toString(first.pid()));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(lock));
            assertThatThrownBy(() -> ShmServer.start(name, config, (request, response) -> {})
                            .close())
                    .isInstanceOf(ShmServerAlreadyRunningException.class);
            assertThat(text(client.call("echo", utf8("still the first"), LONG))).isEqualTo("still the first");
            first.send("stop");
            first.awaitLine("STOPPED");
            assertThat(dir.resolve(name)).doesNotExist();
            assertThat(lock).doesNotExist();
        }
    }
}
