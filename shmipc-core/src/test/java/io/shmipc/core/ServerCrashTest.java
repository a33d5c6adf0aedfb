package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server killed with SIGKILL: waiting and idle clients fail fast, and a new server takes over. */
class ServerCrashTest {

    @TempDir
    Path dir;

    @Test
    void killDuringRequestFailsTheWaitingClientWithinTheLivenessTimeoutAndIdleClientsAtOnce() throws Exception {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        try (ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID");
                ShmClient waiting = new ShmClient(name, config);
                ShmClient idle = new ShmClient(name, config)) {
            server.awaitLine("READY");
            assertThat(text(idle.call("echo", utf8("warm"), LONG))).isEqualTo("warm");

            CompletableFuture<byte[]> call = callInBackground(waiting, "slow", "doomed");
            server.awaitLine("SLOW-STARTED");
            long killedAt = System.nanoTime();
            server.kill();

            assertThatThrownBy(() -> call.get(LONG.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ShmServerUnavailableException.class)
                    .hasMessageContaining("outcome is unknown");
            long waited = System.nanoTime() - killedAt;
            assertThat(waited)
                    .as("within the liveness timeout, not the 60 s call timeout")
                    .isLessThan(LIVENESS_TIMEOUT.plusSeconds(10).toNanos());

            long start = System.nanoTime();
            assertThatThrownBy(() -> idle.call("echo", utf8("anyone?"), LONG))
                    .isInstanceOf(ShmServerUnavailableException.class)
                    .hasMessageContaining("not alive");
            assertThat(System.nanoTime() - start)
                    .isLessThan(LIVENESS_TIMEOUT.plusSeconds(10).toNanos());
            // Status views, as health checks use them, agree with the calls.
            assertThat(idle.isServerAvailable()).isFalse();
            assertThat(idle.info().serverState()).isEqualTo("DEAD");
        }
    }

    @Test
    void newServerTakesOverFailsInFlightServesQueuedAndRunningClientsCarryOn() throws Exception {
        String name = uniqueName();
        // A patient client: it must still be waiting when the new server arrives, so that the takeover answers it.
        ShmConfig patient = ShmConfig.builder()
                .directory(dir)
                .livenessInterval(Duration.ofSeconds(5))
                .livenessTimeout(Duration.ofSeconds(60))
                .build();
        try (ShmClient client = new ShmClient(name, patient)) {
            CompletableFuture<byte[]> inFlight;
            CompletableFuture<byte[]> queued;
            try (ChildJvm first = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "BLOCK")) {
                assertThat(first.awaitLine("READY")).startsWith("READY epoch=1");
                inFlight = callInBackground(client, "slow", "in-flight");
                first.awaitLine("SLOW-STARTED");
                // The one dispatch thread is stuck in "slow", so this request stays queued in REQUEST.
                queued = callInBackground(client, "echo", "queued");
                await().atMost(Duration.ofSeconds(30)).until(() -> client.info().slotsInUse() == 2);
                first.kill();
            }
            try (ChildJvm second = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "BLOCK")) {
                assertThat(second.awaitLine("READY")).startsWith("READY epoch=2");

                assertThatThrownBy(() -> inFlight.get(60, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOf(ShmServerUnavailableException.class)
                        .hasMessageContaining("took over")
                        .hasMessageContaining("outcome is unknown")
                        .matches(e -> ((ShmServerUnavailableException) e).isOutcomeUnknown());
                assertThat(text(queued.get(60, TimeUnit.SECONDS))).isEqualTo("queued");

                assertThat(text(client.call("echo", utf8("carry on"), LONG))).isEqualTo("carry on");
                assertThat(client.info().epoch()).isEqualTo(2);
                assertThat(client.info().serverPid()).isEqualTo(second.pid());
                second.send("stop");
                second.awaitLine("STOPPED");
            }
        }
    }

    @Test
    void clientThatSawTheServerDieWorksAgainOnceANewServerStarts() {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        try (ShmClient client = new ShmClient(name, config)) {
            try (ChildJvm first = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")) {
                first.awaitLine("READY");
                assertThat(text(client.call("echo", utf8("before"), LONG))).isEqualTo("before");
                first.kill();
            }
            assertThatThrownBy(() -> client.call("echo", utf8("during"), LONG))
                    .isInstanceOf(ShmServerUnavailableException.class);
            try (ChildJvm second = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")) {
                second.awaitLine("READY");
                assertThat(text(client.call("echo", utf8("after"), LONG))).isEqualTo("after");
                second.send("stop");
                second.awaitLine("STOPPED");
            }
        }
    }

    /**
     * After {@code kill -9} the dead server's files are removed by hand ({@code rm}, or systemd's
     * {@code RemoveIPC}), which leaves the old region marked RUNNING for a client that still maps it. Calls say
     * the region is gone, and once a new server has created fresh files at the same path they reach it.
     */
    @Test
    void clientWorksAgainWhenTheDeadServersFilesWereRemovedAndANewServerCreatedFreshOnes() throws Exception {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        try (ShmClient client = new ShmClient(name, config)) {
            try (ChildJvm first = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")) {
                first.awaitLine("READY");
                assertThat(text(client.call("echo", utf8("before"), LONG))).isEqualTo("before");
                first.kill();
            }
            assertThatThrownBy(() -> client.call("echo", utf8("during"), LONG))
                    .isInstanceOf(ShmServerUnavailableException.class);
            removeRegionFiles(name);
            assertThatThrownBy(() -> client.call("echo", utf8("gone"), LONG))
                    .isInstanceOf(ShmServerUnavailableException.class)
                    .hasMessageContaining("does not exist");
            assertThat(client.isServerAvailable()).isFalse();

            try (ChildJvm second = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")) {
                second.awaitLine("READY");
                assertThat(client.isServerAvailable()).isTrue();
                assertThat(text(client.call("echo", utf8("after"), LONG))).isEqualTo("after");
                assertThat(client.info().serverPid()).isEqualTo(second.pid());
                second.send("stop");
                second.awaitLine("STOPPED");
            }
        }
    }

    /**
     * As above, but the files are removed by hand ({@code rm}, or systemd's {@code RemoveIPC}), which leaves the
     * dead server's region marked RUNNING, and the new server starts before the client notices anything.
     */
    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void firstCallAfterTheDeadRegionWasRemovedByHandAndReplacedReachesTheNewServer(boolean async) throws Exception {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        try (ShmClient client = new ShmClient(name, config)) {
            try (ChildJvm first = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")) {
                first.awaitLine("READY");
                assertThat(echo(client, "before", async)).isEqualTo("before");
                first.kill();
            }
            removeRegionFiles(name);
            try (ChildJvm second = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")) {
                second.awaitLine("READY");
                assertThat(echo(client, "after", async)).isEqualTo("after");
                assertThat(echo(client, "after again", async)).isEqualTo("after again");
                second.send("stop");
                second.awaitLine("STOPPED");
            }
        }
    }

    private static String echo(ShmClient client, String request, boolean async) throws Exception {
        return text(
                async
                        ? client.callAsync("echo", utf8(request), LONG).get(60, TimeUnit.SECONDS)
                        : client.call("echo", utf8(request), LONG));
    }

    /** What {@code rm /dev/shm/NAME*} does: removes the region and lock files without looking at them. */
    private void removeRegionFiles(String name) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(name))
                    .toList()) {
                java.nio.file.Files.delete(file);
            }
        }
    }
}
