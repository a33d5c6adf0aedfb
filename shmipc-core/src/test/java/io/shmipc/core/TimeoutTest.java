package io.shmipc.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** A timed-out call fails at about its timeout; its late reply never reaches a later request. */
class TimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    @Test
    void callTimingOutWhileProcessingReportsOutcomeUnknownAndItsLateReplyIsDropped() throws Exception {
        String name = uniqueName();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ShmConfig config = config(dir).slotCount(1).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
            if (request.route().equals("hold")) {
                entered.countDown();
                release.await();
                response.write(utf8("LATE"));
            } else {
                response.write(request.payloadBytes());
            }
        }); ShmClient client = new ShmClient(name, config)) {
            long start = System.nanoTime();
            ShmTimeoutException timeout = catchThrowableOfType(ShmTimeoutException.class,
                    () -> client.call("hold", utf8("first"), TIMEOUT));
            long elapsed = System.nanoTime() - start;
            assertThat(timeout).isNotNull();
            assertThat(timeout.isOutcomeUnknown()).isTrue();
            assertThat(elapsed).isGreaterThanOrEqualTo(TIMEOUT.toNanos());
            assertThat(elapsed).as("fails at about its timeout, not much later").isLessThan(TIMEOUT.plusSeconds(10).toNanos());
            assertThat(entered.getCount()).isZero();

            // The one slot is still being processed; the next call waits for it and must get its own reply.
            CompletableFuture<byte[]> next = CompletableFuture.supplyAsync(() -> client.call("echo", utf8("second"), LONG),
                    command -> Thread.ofPlatform().start(command));
            release.countDown();
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
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> executed = new CopyOnWriteArrayList<>();
        // One dispatch thread: while it is held, a second request stays queued in REQUEST.
        ShmConfig config = config(dir).slotCount(2).serverConcurrency(1).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
            executed.add(text(request.payloadBytes()));
            if (request.route().equals("hold")) {
                entered.countDown();
                release.await();
            }
            response.write(request.payloadBytes());
        }); ShmClient client = new ShmClient(name, config)) {
            CompletableFuture<byte[]> held = CompletableFuture.supplyAsync(() -> client.call("hold", utf8("held"), LONG),
                    command -> Thread.ofPlatform().start(command));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

            ShmTimeoutException timeout = catchThrowableOfType(ShmTimeoutException.class,
                    () -> client.call("queued", utf8("never-run"), TIMEOUT));
            assertThat(timeout).isNotNull();
            assertThat(timeout.isOutcomeUnknown()).isFalse();
            assertThat(timeout).hasMessageContaining("not executed");

            release.countDown();
            assertThat(text(held.get(60, TimeUnit.SECONDS))).isEqualTo("held");
            // A later call is served after the dispatcher has rescanned every slot.
            assertThat(text(client.call("echo", utf8("after"), LONG))).isEqualTo("after");
            assertThat(executed).containsExactly("held", "after");
        }
    }
}
