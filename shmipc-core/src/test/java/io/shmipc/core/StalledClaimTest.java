package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.testing.CallOnceMain;
import io.shmipc.core.testing.StalledClaimMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 1 of issue 10: a client that stalls between claiming a slot and writing its request keeps
 * the slot for as long as its process lives, and nobody else's call is mixed up with it.
 */
class StalledClaimTest {

    @TempDir
    Path dir;

    @Test
    void clientStalledAndStoppedRightAfterItsClaimKeepsTheSlotAndEveryReplyGoesToItsCaller() throws Exception {
        String name = uniqueName();
        List<String> executed = new CopyOnWriteArrayList<>();
        ShmConfig config = config(dir).slotCount(1).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
                    executed.add(text(request.payloadBytes()));
                    response.write(request.payloadBytes());
                });
                ShmClient other = new ShmClient(name, config);
                ChildJvm stalled =
                        ChildJvm.start(StalledClaimMain.class, name, dir.toString(), "echo", "from-A", "60000")) {
            stalled.awaitLine("STALLED");
            stalled.suspend();
            // Before the fix the housekeeper freed this ownerless CLAIMED slot after the liveness timeout.
            await().during(LIVENESS_TIMEOUT.multipliedBy(4))
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> server.info().slotsInUse() == 1);
            CompletableFuture<byte[]> otherCall = callInBackground(other, "echo", "from-B");
            stalled.resume();
            stalled.send("go");
            assertThat(stalled.awaitLine("REPLY")).isEqualTo("REPLY from-A");
            assertThat(text(otherCall.get(60, TimeUnit.SECONDS))).isEqualTo("from-B");
            assertThat(executed).containsExactly("from-A", "from-B");
        }
    }

    @Test
    void requestIdsOfTwoProcessesDiffer() {
        String name = uniqueName();
        List<Long> ids = new CopyOnWriteArrayList<>();
        try (ShmServer server = ShmServer.start(name, config(dir).build(), (request, response) -> {
            ids.add(request.requestId());
            response.write(request.payloadBytes());
        })) {
            for (int process = 0; process < 2; process++) {
                try (ChildJvm caller =
                        ChildJvm.start(CallOnceMain.class, name, dir.toString(), "echo", "id", "60000")) {
                    assertThat(caller.awaitLine("REPLY")).isEqualTo("REPLY id");
                }
            }
            // Before the fix both first calls carried id 1, so the reply-id check could not tell them apart.
            assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        }
    }
}
