package io.shmipc.interop;

import static io.shmipc.interop.CClient.LONG;
import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.ShmRegionInspector;
import io.shmipc.core.ShmRegionSnapshot;
import io.shmipc.testing.ChildJvm;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The C client writes the slot's timeout field (PROTOCOL.md 3, byte 60), so the inspector can tell a slot's age. */
class CClientSlotAgeInteropTest extends CClientInteropTestBase {

    @Test
    void aSlotHeldByACClientCallShowsItsSubmissionTimeAndAge() {
        String name = Interop.uniqueName();
        Instant beforeCall = Instant.now().truncatedTo(ChronoUnit.MILLIS); // the clients write milliseconds
        try (ChildJvm server = Interop.startServer(name, dir, 2);
                NativeProcess call = CClient.startTool(dir, "-T", "60000", name, "slow", "aged")) {
            server.awaitLine("SLOW-STARTED");

            ShmRegionSnapshot snapshot = ShmRegionInspector.of(dir).inspect(name);
            ShmRegionSnapshot.Slot held = snapshot.slots().stream()
                    .filter(slot -> slot.state().equals("PROCESSING"))
                    .findFirst()
                    .orElseThrow();
            assertThat(held.ownerPid()).isEqualTo(call.pid());
            assertThat(held.submittedAt()).isNotNull().isBetween(beforeCall, snapshot.takenAt());
            assertThat(held.age())
                    .isNotNull()
                    .isBetween(Duration.ZERO, Duration.between(beforeCall, snapshot.takenAt()));
            // deadline - submission = the time the call had left when it wrote the slot: at most its 60 s timeout
            assertThat(Duration.between(held.submittedAt(), held.deadline()))
                    .isPositive()
                    .isLessThanOrEqualTo(Duration.ofSeconds(60));

            server.send("release");
            assertThat(call.waitFor(LONG)).isZero();
            assertThat(call.stdout()).isEqualTo("aged");
        }
    }
}
