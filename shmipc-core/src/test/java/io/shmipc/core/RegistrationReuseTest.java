package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.testing.ClaimAndHangMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 7 of issue 10: a process that registers at the index of a dead client before the
 * housekeeper's next pass must not inherit (and so leak) the dead client's slots.
 */
class RegistrationReuseTest {

    @TempDir
    Path dir;

    @Test
    void slotOfADeadClientIsFreedWhenANewProcessTakesItsRegistrationIndex() {
        String name = uniqueName();
        // A housekeeper pass far away, so the index is reused before any pass could reclaim the slot.
        ShmConfig config = config(dir)
                .slotCount(1)
                .livenessInterval(Duration.ofSeconds(30))
                .livenessTimeout(Duration.ofSeconds(60))
                .build();
        try (ShmServer server =
                ShmServer.start(name, config, (request, response) -> response.write(request.payloadBytes()))) {
            // The index this JVM's client will probe first.
            int index = (int) (ProcessHandle.current().pid() % (1 << 20));
            try (ChildJvm dead =
                    ChildJvm.start(ClaimAndHangMain.class, server.path().toString(), "0", Integer.toString(index))) {
                assertThat(dead.awaitLine("CLAIMED")).isEqualTo("CLAIMED 0");
                dead.kill();
            }
            try (ShmClient client = new ShmClient(name, config)) {
                // Before the fix the dead client's CLAIMED slot looked owned by this client forever: this timed out.
                assertThat(text(client.call("echo", utf8("slot is back"), Duration.ofSeconds(20))))
                        .isEqualTo("slot is back");
            }
            assertThat(server.info().slotsInUse()).isZero();
        }
    }
}
