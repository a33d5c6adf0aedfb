package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A timed-out call fails at about its timeout; its late reply never reaches a later request. */
class TimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    @Test
    void callTimingOutWhileProcessingReportsOutcomeUnknownAndItsLateReplyIsDropped() throws Exception {
        String name = uniqueName();
        HoldingEcho handler = new HoldingEcho();
        ShmConfig config = config(dir).slotCount(1).build();
        try (ShmServer server = ShmServer.start(name, config, handler);
                ShmClient client = new ShmClient(name, config)) {
            long start = System.nanoTime();
            ShmTimeoutException timeout =
                    catchThrowableOfType(ShmTimeoutException.class, () -> client.call("hold", utf8("first"), TIMEOUT));
            long elapsed = System.nanoTime() - start;
            assertThat(timeout).isNotNull();
            assertThat(timeout.isOutcomeUnknown()).isTrue();
            assertThat(elapsed).isGreaterThanOrEqualTo(TIMEOUT.toNanos());
            assertThat(elapsed)
                    .as("fails at about its timeout, not much later")
                    .isLessThan(TIMEOUT.plusSeconds(10).toNanos());
            assertThat(handler.hasEntered()).isTrue();

            // The one slot is still being processed; the next call waits for it and must get its own reply.
            CompletableFuture<byte[]> next = CompletableFuture.supplyAsync(
                    () -> client.call("echo", utf8("second"), LONG),
                    command -> Thread.ofPlatform().start(command));
            handler.release();
            assertThat(text(next.get(60, TimeUnit.SECONDS))).isEqualTo("second");
            for (int i = 0; i < 100; i++) {
                assertThat(text(client.call("echo", utf8("again-" + i), LONG))).isEqualTo("again-" + i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.info().slotsInUse() == 0);
        }
    }

    @Test
    void callTimingOutBeforeTheServerTookItWasNeverExecuted() throws Exception {
        String name = uniqueName();
        HoldingEcho handler = new HoldingEcho();
        // One dispatch thread: while it is held, a second request stays queued in REQUEST.
        ShmConfig config = config(dir).slotCount(2).serverConcurrency(1).build();
        try (ShmServer server = ShmServer.start(name, config, handler);
                ShmClient client = new ShmClient(name, config)) {
            CompletableFuture<byte[]> held = CompletableFuture.supplyAsync(
                    () -> client.call("hold", utf8("held"), LONG),
                    command -> Thread.ofPlatform().start(command));
            handler.awaitEntered();

            ShmTimeoutException timeout = catchThrowableOfType(
                    ShmTimeoutException.class, () -> client.call("queued", utf8("never-run"), TIMEOUT));
            assertThat(timeout).isNotNull();
            assertThat(timeout.isOutcomeUnknown()).isFalse();
            assertThat(timeout).hasMessageContaining("not executed");

            handler.release();
            assertThat(text(held.get(60, TimeUnit.SECONDS))).isEqualTo("held");
            // A later call is served after the dispatcher has rescanned every slot.
            assertThat(text(client.call("echo", utf8("after"), LONG))).isEqualTo("after");
            assertThat(handler.executed()).containsExactly("held", "after");
        }
    }
}
