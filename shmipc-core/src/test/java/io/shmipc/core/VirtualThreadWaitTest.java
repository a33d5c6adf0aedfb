package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Virtual threads waiting for replies leave their carriers free: with more waiting virtual threads
 * than carriers, other virtual threads of the process still run. (A futex wait is a native call, so a
 * virtual thread inside one would hold its carrier; before the reply waiter, this test hung.)
 */
class VirtualThreadWaitTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = WaitMode.class,
            names = {"HYBRID", "BLOCK"})
    void waitingVirtualThreadsLeaveTheirCarriersFree(WaitMode mode) throws Exception {
        // More waiters than any carrier pool this JVM has (its parallelism is the processor count).
        int waiters = Runtime.getRuntime().availableProcessors() * 2 + 2;
        String name = uniqueName();
        try (ChildJvm server = ChildJvm.start(
                        TestServerMain.class, name, dir.toString(), Integer.toString(waiters), "1024", mode.name());
                ShmClient client =
                        new ShmClient(name, config(dir).waitMode(mode).build());
                ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            server.awaitLine("READY");
            List<Future<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                String payload = "waiter-" + i;
                // "slow" holds the first request in the handler (server concurrency 1); the rest stay queued.
                calls.add(virtualThreads.submit(() -> client.call("slow", utf8(payload), LONG)));
            }
            server.awaitLine("SLOW-STARTED");
            await().atMost(Duration.ofSeconds(60)).until(() -> client.info().slotsInUse() == waiters);

            CountDownLatch unrelatedWorkRan = new CountDownLatch(1);
            virtualThreads.submit(unrelatedWorkRan::countDown);
            assertThat(unrelatedWorkRan.await(60, TimeUnit.SECONDS))
                    .as("a virtual thread ran while %d virtual threads waited for replies", waiters)
                    .isTrue();
            assertThat(calls).noneMatch(Future::isDone);

            server.send("release");
            for (int i = 0; i < waiters; i++) {
                assertThat(text(calls.get(i).get(60, TimeUnit.SECONDS))).isEqualTo("waiter-" + i);
            }
        }
    }

    /**
     * Virtual threads waiting for a free slot that another client holds (here a second {@link ShmClient},
     * which has its own slot permits, exactly as another process would) park instead of sleeping in the
     * kernel. Before this was fixed they slept in FUTEX_WAIT on the free sequence, held their carriers,
     * stayed RUNNABLE, and this test failed.
     */
    @ParameterizedTest
    @EnumSource(
            value = WaitMode.class,
            names = {"HYBRID", "BLOCK"})
    void virtualThreadsWaitingForASlotHeldElsewhereLeaveTheirCarriersFree(WaitMode mode) throws Exception {
        int slots = Runtime.getRuntime().availableProcessors() * 2 + 2;
        String name = uniqueName();
        try (ChildJvm server = ChildJvm.start(
                        TestServerMain.class, name, dir.toString(), Integer.toString(slots), "1024", mode.name());
                ShmClient holder =
                        new ShmClient(name, config(dir).waitMode(mode).build());
                ShmClient starved =
                        new ShmClient(name, config(dir).waitMode(mode).build());
                ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            server.awaitLine("READY");
            // The holder takes every slot: "slow" holds the first request in the handler, the rest stay queued.
            List<CompletableFuture<byte[]>> held = new ArrayList<>();
            for (int i = 0; i < slots; i++) {
                held.add(holder.callAsync("slow", utf8("held-" + i), LONG));
            }
            server.awaitLine("SLOW-STARTED");
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.info().slotsInUse() == slots);

            List<Thread> waiting = new CopyOnWriteArrayList<>();
            List<Future<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < slots; i++) {
                String payload = "starved-" + i;
                calls.add(virtualThreads.submit(() -> {
                    waiting.add(Thread.currentThread());
                    return starved.call("echo", utf8(payload), LONG);
                }));
            }
            // Parked (TIMED_WAITING), not RUNNABLE inside a futex call holding the carrier.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> waiting.size() == slots
                            && waiting.stream().allMatch(thread -> thread.getState() == Thread.State.TIMED_WAITING));
            CountDownLatch unrelatedWorkRan = new CountDownLatch(1);
            virtualThreads.submit(unrelatedWorkRan::countDown);
            assertThat(unrelatedWorkRan.await(60, TimeUnit.SECONDS))
                    .as("a virtual thread ran while %d virtual threads waited for a free slot", slots)
                    .isTrue();
            assertThat(calls).noneMatch(Future::isDone);

            server.send("release");
            for (int i = 0; i < slots; i++) {
                assertThat(text(held.get(i).get(60, TimeUnit.SECONDS))).isEqualTo("held-" + i);
                assertThat(text(calls.get(i).get(60, TimeUnit.SECONDS))).isEqualTo("starved-" + i);
            }
        }
    }
}
