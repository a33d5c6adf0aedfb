package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.testing.CallOnceMain;
import io.shmipc.core.testing.ClaimAndHangMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client killed with SIGKILL while it holds a slot loses it: the server reclaims it within the liveness timeout. */
class DeadClientReclaimTest {

    @TempDir
    Path dir;

    @Test
    void slotOfAClientKilledAfterClaimingIsReclaimedButALiveOwnerKeepsIt() {
        String name = uniqueName();
        ShmConfig config = config(dir).slotCount(1).build();
        try (ShmServer server =
                ShmServer.start(name, config, (request, response) -> response.write(request.payloadBytes()))) {
            try (ChildJvm hanging =
                    ChildJvm.start(ClaimAndHangMain.class, server.path().toString(), "0")) {
                assertThat(hanging.awaitLine("CLAIMED")).isEqualTo("CLAIMED 0");
                // A live owner is never robbed, however long it holds the slot.
                await().during(LIVENESS_TIMEOUT.multipliedBy(3))
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> server.info().slotsInUse() == 1);
                hanging.kill();
            }
            await().atMost(LIVENESS_TIMEOUT.plusSeconds(10))
                    .until(() -> server.info().slotsInUse() == 0);
            try (ShmClient client = new ShmClient(name, config)) {
                assertThat(text(client.call("echo", utf8("slot is back"), LONG)))
                        .isEqualTo("slot is back");
            }
        }
    }

    @Test
    void slotOfAClientKilledWhileItsRequestRanIsReclaimedAfterTheReply() throws Exception {
        String name = uniqueName();
        HoldingEcho handler = new HoldingEcho();
        ShmConfig config = config(dir).slotCount(1).build();
        try (ShmServer server = ShmServer.start(name, config, handler)) {
            try (ChildJvm caller =
                    ChildJvm.start(CallOnceMain.class, name, dir.toString(), "hold", "orphan", "60000")) {
                caller.awaitLine("CALLING");
                handler.awaitEntered();
                caller.kill();
            }
            // The reply lands in a slot whose owner is gone: RESPONSE with nobody to read it.
            handler.release();
            await().atMost(LIVENESS_TIMEOUT.plusSeconds(10))
                    .until(() -> server.info().slotsInUse() == 0);
            try (ShmClient client = new ShmClient(name, config)) {
                assertThat(text(client.call("echo", utf8("reused"), LONG))).isEqualTo("reused");
            }
        }
    }
}
