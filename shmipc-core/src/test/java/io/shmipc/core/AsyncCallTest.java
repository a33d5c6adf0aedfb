package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ShmClient#callAsync} needs no thread per call: outstanding calls wait in slots and in a
 * queue in memory, and the connection's one reply thread completes them.
 */
class AsyncCallTest {

    private static final int OUTSTANDING = 10_000;
    private static final int SLOTS = 16;
    /** The reply thread, plus slack for JVM housekeeping threads (JIT compilers, GC) starting meanwhile. */
    private static final int THREAD_ALLOWANCE = 4;

    @TempDir
    Path dir;

    @Test
    void tenThousandOutstandingCallsUseABoundedNumberOfThreads() throws Exception {
        String name = uniqueName();
        try (ChildJvm server = ChildJvm.start(
                        TestServerMain.class, name, dir.toString(), Integer.toString(SLOTS), "1024", "HYBRID");
                ShmClient client = new ShmClient(name, config(dir).build())) {
            server.awaitLine("READY");
            client.connect();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < OUTSTANDING; i++) {
                // "slow" holds the first request in the handler until "release"; the others wait behind it.
                calls.add(client.callAsync("slow", utf8("call-" + i), LONG));
            }
            server.awaitLine("SLOW-STARTED");
            await().atMost(Duration.ofSeconds(60)).until(() -> client.info().slotsInUse() == SLOTS);
            int threadsWhileOutstanding = ManagementFactory.getThreadMXBean().getThreadCount();
            System.out.printf(
                    "%d outstanding async calls: %d threads before, %d while outstanding%n",
                    OUTSTANDING, threadsBefore, threadsWhileOutstanding);
            assertThat(calls).noneMatch(CompletableFuture::isDone);
            assertThat(threadsWhileOutstanding - threadsBefore).isLessThanOrEqualTo(THREAD_ALLOWANCE);

            server.send("release");
            for (int i = 0; i < OUTSTANDING; i++) {
                assertThat(text(calls.get(i).get(60, TimeUnit.SECONDS))).isEqualTo("call-" + i);
            }
        }
    }

    @Test
    void asyncCallsTimeOutInFlightAndInTheQueue() throws Exception {
        String name = uniqueName();
        try (ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "1", "1024", "HYBRID");
                ShmClient client = new ShmClient(name, config(dir).build())) {
            server.awaitLine("READY");
            CompletableFuture<byte[]> held = client.callAsync("slow", utf8("held"), Duration.ofMillis(300));
            server.awaitLine("SLOW-STARTED");
            // The one slot is taken, so this one waits in the queue and is never sent.
            CompletableFuture<byte[]> queued = client.callAsync("echo", utf8("queued"), Duration.ofMillis(300));

            assertThatThrownBy(() -> held.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(ShmTimeoutException.class, e -> assertThat(e.isOutcomeUnknown())
                            .isTrue());
            assertThatThrownBy(() -> queued.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(ShmTimeoutException.class, e -> assertThat(e.isOutcomeUnknown())
                            .isFalse());

            server.send("release");
            assertThat(text(client.callAsync("echo", utf8("after"), LONG).get(60, TimeUnit.SECONDS)))
                    .isEqualTo("after");
        }
    }

    @Test
    void asyncCallFailsWhenItsServerDies() throws Exception {
        String name = uniqueName();
        try (ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "2", "1024", "HYBRID");
                ShmClient client = new ShmClient(name, config(dir).build())) {
            server.awaitLine("READY");
            CompletableFuture<byte[]> held = client.callAsync("slow", utf8("held"), LONG);
            server.awaitLine("SLOW-STARTED");
            server.kill();
            assertThatThrownBy(() -> held.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ShmServerUnavailableException.class);
        }
    }

    @Test
    void repliesOfAsyncAndBlockingCallsNeverCross() throws Exception {
        String name = uniqueName();
        try (ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "1024", "BLOCK");
                ShmClient client = new ShmClient(name, config(dir).build())) {
            server.awaitLine("READY");
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                calls.add(client.callAsync("echo", utf8("async-" + i), LONG));
                if (i % 10 == 0) {
                    assertThat(text(client.call("echo", utf8("sync-" + i), LONG)))
                            .isEqualTo("sync-" + i);
                }
            }
            for (int i = 0; i < calls.size(); i++) {
                assertThat(text(calls.get(i).get(60, TimeUnit.SECONDS))).isEqualTo("async-" + i);
            }
        }
    }
}
