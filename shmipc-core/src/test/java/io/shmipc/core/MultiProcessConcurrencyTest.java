package io.shmipc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.testing.TestClientMain;
import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several client processes, each with several threads, call one server process at once. Every reply
 * must match its own request (identity plus checksum), and the server must have executed each
 * request exactly once: none lost, none duplicated.
 */
class MultiProcessConcurrencyTest {

    private static final int CLIENTS = 3;
    private static final int THREADS = 4;
    private static final int CALLS = 250;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(WaitMode.class)
    void everyReplyMatchesItsRequestAndEachRequestRunsOnce(WaitMode mode) {
        String name = EngineTestSupport.uniqueName();
        // Fewer slots than client threads, so claiming and waiting for free slots is exercised too.
        try (ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "8", "1024", mode.name())) {
            server.awaitLine("READY");
            List<ChildJvm> clients = new ArrayList<>();
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    clients.add(ChildJvm.start(
                            TestClientMain.class,
                            name,
                            dir.toString(),
                            String.valueOf(c),
                            String.valueOf(THREADS),
                            String.valueOf(CALLS),
                            mode.name()));
                }
                for (ChildJvm client : clients) {
                    assertThat(client.awaitLine(line -> line.startsWith("RESULT"), Duration.ofMinutes(3)))
                            .isEqualTo("RESULT ok=" + THREADS * CALLS + " mismatched=0 failed=0");
                    assertThat(client.waitFor(Duration.ofSeconds(30))).isZero();
                }
            } finally {
                clients.forEach(ChildJvm::close);
            }
            server.send("stop");
            assertThat(server.awaitLine("STOPPED"))
                    .isEqualTo("STOPPED served=" + CLIENTS * THREADS * CALLS + " duplicates=0");
        }
    }
}
