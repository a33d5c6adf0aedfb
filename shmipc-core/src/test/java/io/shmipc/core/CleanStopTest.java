package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean stop: in-flight calls finish, new calls are refused at once, sleeping waiters are woken,
 * no files remain and the engine's threads are gone.
 */
class CleanStopTest {

    @TempDir
    Path dir;

    @Test
    void inFlightCallsFinishNewCallsAreRefusedAndNothingIsLeftBehind() throws Exception {
        String name = uniqueName();
        HoldingEcho handler = new HoldingEcho();
        ShmConfig config = config(dir).slotCount(2).build();
        ShmServer server = ShmServer.start(name, config, handler);
        try (ShmClient client = new ShmClient(name, config)) {
            CompletableFuture<byte[]> inFlight = CompletableFuture.supplyAsync(
                    () -> client.call("hold", utf8("finish me"), LONG),
                    command -> Thread.ofPlatform().start(command));
            handler.awaitEntered();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(
                    () -> server.close(Duration.ofSeconds(30)),
                    command -> Thread.ofPlatform().start(command));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "DRAINING".equals(client.info().serverState()));

            long start = System.nanoTime();
            assertThatThrownBy(() -> client.call("echo", utf8("too late"), LONG))
                    .isInstanceOf(ShmServerUnavailableException.class)
                    .hasMessageContaining("shutting down");
            assertThat(System.nanoTime() - start)
                    .as("refused at once")
                    .isLessThan(Duration.ofSeconds(10).toNanos());

            handler.release();
            assertThat(text(inFlight.get(60, TimeUnit.SECONDS))).isEqualTo("finish me");
            closing.get(60, TimeUnit.SECONDS);
        }
        assertNothingLeft(name);
    }

    @Test
    void stopWakesSleepingWaitersAndFailsWhatOutlivesTheGracePeriod() throws Exception {
        String name = uniqueName();
        HoldingEcho handler = new HoldingEcho();
        ShmConfig config = config(dir).slotCount(1).waitMode(WaitMode.BLOCK).build();
        ShmServer server = ShmServer.start(name, config, handler);
        try (ShmClient holder = new ShmClient(name, config);
                ShmClient waiter = new ShmClient(name, config)) {
            CompletableFuture<byte[]> held = CompletableFuture.supplyAsync(
                    () -> holder.call("hold", utf8("stuck"), LONG),
                    command -> Thread.ofPlatform().start(command));
            handler.awaitEntered();
            // The only slot is taken: this call sleeps on the free-slot futex.
            CompletableFuture<byte[]> sleeping = CompletableFuture.supplyAsync(
                    () -> waiter.call("echo", utf8("wait"), LONG),
                    command -> Thread.ofPlatform().start(command));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> waiter.info() != null && waiter.info().slotsInUse() == 1);

            long start = System.nanoTime();
            server.close(Duration.ofMillis(200));
            assertThatThrownBy(() -> sleeping.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ShmServerUnavailableException.class);
            assertThatThrownBy(() -> held.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ShmServerUnavailableException.class)
                    .matches(e -> ((ShmServerUnavailableException) e).isOutcomeUnknown());
            assertThat(System.nanoTime() - start)
                    .as("woken, not left to the 60 s timeout")
                    .isLessThan(Duration.ofSeconds(20).toNanos());
        } finally {
            handler.release();
        }
        assertNothingLeft(name);
    }

    private void assertNothingLeft(String name) throws Exception {
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !threadsAlive("shmipc-server-" + name) && !threadsAlive("shmipc-liveness-" + name));
    }
}
