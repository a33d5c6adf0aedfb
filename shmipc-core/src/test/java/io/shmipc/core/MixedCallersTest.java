package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a thread of one client process can wait for its reply, at once, against a server in
 * another JVM: platform threads that spin (one holds the spin budget), that yield beside a spinner,
 * or sleep on their slot; virtual threads that park behind the reply waiter and are woken by a
 * spinning caller or by the waiter thread; and async calls completed by the waiter thread. More
 * callers than slots, so calls also queue for slot permits. Each caller checks that every reply is
 * its own.
 */
class MixedCallersTest {

    private static final int SLOTS = 6;
    private static final int PLATFORM_THREADS = 5;
    private static final int VIRTUAL_THREADS = 16;
    private static final int ASYNC_CALLERS = 2;
    private static final int CALLS_EACH = 2_000;

    @TempDir
    Path dir;

    @RepeatedTest(3)
    void everyKindOfWaitingCallerGetsItsOwnReplies() throws Exception {
        String name = uniqueName();
        try (ChildJvm server = ChildJvm.start(
                        TestServerMain.class, name, dir.toString(), Integer.toString(SLOTS), "1024", "HYBRID");
                ShmClient client = new ShmClient(name, config(dir).build())) {
            server.awaitLine("READY");
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> callers = new ArrayList<>();
            for (int i = 0; i < PLATFORM_THREADS; i++) {
                callers.add(caller(
                        client, "platform-" + i, start, Thread.ofPlatform().factory()));
            }
            for (int i = 0; i < VIRTUAL_THREADS; i++) {
                callers.add(
                        caller(client, "virtual-" + i, start, Thread.ofVirtual().factory()));
            }
            for (int i = 0; i < ASYNC_CALLERS; i++) {
                callers.add(asyncCaller(client, "async-" + i, start));
            }
            start.countDown();
            for (CompletableFuture<Integer> caller : callers) {
                assertThat(caller.get(120, TimeUnit.SECONDS)).isEqualTo(CALLS_EACH);
            }
        }
    }

    /** @return the number of calls whose reply was this caller's own payload */
    private static CompletableFuture<Integer> caller(
            ShmClient client, String id, CountDownLatch start, java.util.concurrent.ThreadFactory threads) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        threads.newThread(() -> {
                    try {
                        start.await();
                        int own = 0;
                        for (int call = 0; call < CALLS_EACH; call++) {
                            String payload = id + "/" + call;
                            if (text(client.call("echo", utf8(payload), LONG)).equals(payload)) {
                                own++;
                            }
                        }
                        done.complete(own);
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                })
                .start();
        return done;
    }

    /** Chains async calls one after the other, each started from the previous one's completion. */
    private static CompletableFuture<Integer> asyncCaller(ShmClient client, String id, CountDownLatch start) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                start.await();
                next(client, id, 0, 0, done);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private static void next(ShmClient client, String id, int call, int own, CompletableFuture<Integer> done) {
        if (call == CALLS_EACH) {
            done.complete(own);
            return;
        }
        String payload = id + "/" + call;
        client.callAsync("echo", utf8(payload), LONG).whenComplete((reply, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                next(client, id, call + 1, own + (text(reply).equals(payload) ? 1 : 0), done);
            }
        });
    }
}
