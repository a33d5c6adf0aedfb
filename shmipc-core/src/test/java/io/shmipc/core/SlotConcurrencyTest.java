package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.internal.ClientConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One slot gives the classic one-client-at-a-time mutex; N slots let N requests be in flight at once. */
class SlotConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void oneSlotSerialisesClientsEvenWithConcurrentServerWorkers() throws Exception {
        String name = uniqueName();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ShmConfig config = config(dir).slotCount(1).serverConcurrency(4).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            entered.incrementAndGet();
            release.await();
            inside.decrementAndGet();
            response.write(request.payloadBytes());
        })) {
            // Separate clients, as separate processes would be: no client-side queue in common.
            List<ShmClient> clients = new ArrayList<>();
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ShmClient client = new ShmClient(name, config);
                clients.add(client);
                byte[] payload = utf8("call-" + i);
                calls.add(CompletableFuture.supplyAsync(
                        () -> client.call("hold", payload, LONG),
                        command -> Thread.ofPlatform().start(command)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> entered.get() == 1);
            // The other three are queued for the one slot, not in the handler.
            await().atMost(Duration.ofSeconds(30)).until(() -> server.info().slotsInUse() == 1);
            assertThat(entered.get()).isEqualTo(1);
            release.countDown();
            for (int i = 0; i < calls.size(); i++) {
                assertThat(text(calls.get(i).get(60, TimeUnit.SECONDS))).isEqualTo("call-" + i);
            }
            assertThat(maxInside.get()).isEqualTo(1);
            clients.forEach(ShmClient::close);
        }
    }

    @Test
    void nSlotsLetNRequestsBeInFlightAtOnce() throws Exception {
        String name = uniqueName();
        int slots = 4;
        // Every handler call waits for all four: it only completes if four requests are served at once.
        CyclicBarrier allInFlight = new CyclicBarrier(slots);
        ShmConfig config = config(dir).slotCount(slots).serverConcurrency(slots).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
                    allInFlight.await(60, TimeUnit.SECONDS);
                    response.write(request.payloadBytes());
                });
                ShmClient client = new ShmClient(name, config)) {
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < slots; i++) {
                byte[] payload = utf8("parallel-" + i);
                calls.add(CompletableFuture.supplyAsync(
                        () -> client.call("meet", payload, LONG),
                        command -> Thread.ofPlatform().start(command)));
            }
            for (int i = 0; i < slots; i++) {
                assertThat(text(calls.get(i).get(90, TimeUnit.SECONDS))).isEqualTo("parallel-" + i);
            }
        }
    }

    /**
     * A thread queued for a slot is overtaken by a thread that calls again and again at most
     * {@link ClientConnection#MAX_QUEUE_JUMPS} times. (Before, a thread calling again always took the slot it
     * had just given back, ahead of threads already waiting, which could starve: 1,000 virtual threads on 8
     * slots saw waits of a second.)
     */
    @RepeatedTest(5)
    void aThreadThatCallsAgainAndAgainLetsAQueuedThreadIn() throws Exception {
        String name = uniqueName();
        HoldingEcho handler = new HoldingEcho();
        ShmConfig config = config(dir).slotCount(1).build();
        int calls = ClientConnection.MAX_QUEUE_JUMPS * 4;
        try (ShmServer server = ShmServer.start(name, config, handler);
                ShmClient client = new ShmClient(name, config)) {
            CompletableFuture<Void> busy = CompletableFuture.runAsync(
                    () -> {
                        client.call("hold", utf8("A-hold"), LONG);
                        for (int i = 0; i < calls; i++) {
                            client.call("echo", utf8("A" + i), LONG);
                        }
                    },
                    command -> Thread.ofPlatform().start(command));
            handler.awaitEntered();
            Thread waiting = Thread.ofPlatform().start(() -> client.call("echo", utf8("B"), LONG));
            // B is queued (parked) for the one slot permit, which A's held call has.
            await().atMost(Duration.ofSeconds(30)).until(() -> waiting.getState() == Thread.State.TIMED_WAITING);
            handler.release();
            busy.get(60, TimeUnit.SECONDS);
            waiting.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(handler.executed().indexOf("B"))
                    .as("position of the queued thread's call among %s", handler.executed())
                    .isBetween(1, ClientConnection.MAX_QUEUE_JUMPS + 1);
        }
    }

    /**
     * Async calls wait in their own in-memory queue and take permits without blocking; a blocking caller
     * queued on the permits must still get its turn, not wait for the whole async queue to drain.
     */
    @Test
    void queuedAsyncCallsLetAQueuedBlockingCallIn() throws Exception {
        String name = uniqueName();
        HoldingEcho handler = new HoldingEcho();
        ShmConfig config = config(dir).slotCount(1).build();
        int asyncCalls = ClientConnection.MAX_QUEUE_JUMPS * 4;
        try (ShmServer server = ShmServer.start(name, config, handler);
                ShmClient client = new ShmClient(name, config)) {
            CompletableFuture<byte[]> held = client.callAsync("hold", utf8("hold"), LONG);
            handler.awaitEntered();
            // The one permit is held: these wait in the async queue, in memory.
            List<CompletableFuture<byte[]>> queued = new ArrayList<>();
            for (int i = 0; i < asyncCalls; i++) {
                queued.add(client.callAsync("echo", utf8("async-" + i), LONG));
            }
            Thread blocking = Thread.ofPlatform().start(() -> client.call("echo", utf8("B"), LONG));
            await().atMost(Duration.ofSeconds(30)).until(() -> blocking.getState() == Thread.State.TIMED_WAITING);
            handler.release();
            held.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<byte[]> call : queued) {
                call.get(60, TimeUnit.SECONDS);
            }
            blocking.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(handler.executed().indexOf("B"))
                    .as("position of the blocking call among %s", handler.executed())
                    .isBetween(1, ClientConnection.MAX_QUEUE_JUMPS + 2);
        }
    }
}
