package io.shmipc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Each failure the Java client reports as an exception reaches the C client as its typed status, with
 * the same "did it run" answer. The tool's exit status is the failed call's status negated.
 */
class CClientErrorInteropTest extends CClientInteropTestBase {

    private static final int INVALID_ARGUMENT = 1;
    private static final int UNAVAILABLE = 2;
    private static final int TIMEOUT = 3;
    private static final int REMOTE = 4;
    private static final int NO_HANDLER = 5;
    private static final int PAYLOAD_TOO_LARGE = 6;

    @Test
    void unknownRouteRemoteErrorAndOversizedPayloadsGiveTheirTypedStatus() {
        String name = Interop.uniqueName();
        try (ChildJvm server = Interop.startServer(name, dir, 2)) {
            CClient.ToolRun unknown = CClient.runTool(dir, name, "nosuch", "x");
            assertThat(unknown.exit()).isEqualTo(NO_HANDLER);
            assertThat(unknown.stderr()).contains("SHMIPC_E_NO_HANDLER", "no handler for route 'nosuch'");

            CClient.ToolRun remote = CClient.runTool(dir, name, "fail", "bad input: 42");
            assertThat(remote.exit()).isEqualTo(REMOTE);
            assertThat(remote.stderr())
                    .contains("SHMIPC_E_REMOTE: remote java.lang.IllegalStateException: bad input: 42");

            CClient.ToolRun coded = CClient.runTool(dir, name, "fail-code", "no order 42");
            assertThat(coded.exit()).isEqualTo(REMOTE);
            assertThat(coded.stderr())
                    .contains("SHMIPC_E_REMOTE: remote com.example.OrderNotFound [ORDER_NOT_FOUND]: no order 42");

            CClient.ToolRun request = CClient.runTool(dir, "-s", Integer.toString(Interop.CAPACITY + 1), name, "echo");
            assertThat(request.exit()).isEqualTo(PAYLOAD_TOO_LARGE);
            assertThat(request.stderr())
                    .contains("request of " + (Interop.CAPACITY + 1) + " bytes exceeds the slot capacity of "
                            + Interop.CAPACITY + " bytes; nothing was sent");

            CClient.ToolRun reply = CClient.runTool(dir, name, "big", "5000");
            assertThat(reply.exit()).isEqualTo(PAYLOAD_TOO_LARGE);
            assertThat(reply.stderr()).contains("the reply of route 'big' (5000 bytes)", "it ran");

            CClient.ToolRun badRoute = CClient.runTool(dir, name, "r".repeat(129), "x");
            assertThat(badRoute.exit()).isEqualTo(INVALID_ARGUMENT);
            assertThat(badRoute.stderr()).contains("route must be 1 to 128 bytes");

            try (NativeProcess driver = CClient.startDriver(name, dir)) {
                driver.send("callhex fffe 10000 x"); // not UTF-8: the server would decode it to U+FFFD U+FFFD
                assertThat(driver.nextLine(CClient.LONG))
                        .startsWith("ERR SHMIPC_E_INVALID_ARGUMENT")
                        .contains("of invalid UTF-8; nothing was sent");
                driver.send(
                        "callhex " + HexFormat.of().formatHex("écho".getBytes(StandardCharsets.UTF_8)) + " 10000 x");
                assertThat(driver.nextLine(CClient.LONG)).startsWith("ERR SHMIPC_E_NO_HANDLER");
            }

            CClient.ToolRun stillServing = CClient.runTool(dir, name, "echo", "after errors");
            assertThat(stillServing.stdout()).isEqualTo("after errors");
        }
    }

    @Test
    void timeoutWhileTheServerProcessesIsOutcomeUnknownAndWhileAllSlotsAreBusyIsNotExecuted() {
        String name = Interop.uniqueName();
        try (ChildJvm server = Interop.startServer(name, dir, 1)) {
            CClient.ToolRun started = CClient.runTool(dir, "-T", "500", name, "slow", "held");
            server.awaitLine("SLOW-STARTED");
            assertThat(started.exit()).isEqualTo(TIMEOUT);
            assertThat(started.stderr()).contains("SHMIPC_E_TIMEOUT (outcome unknown)", "the server had started it");

            // The only slot stays ABANDONED until the handler returns: a new call finds no slot and sends nothing.
            CClient.ToolRun queued = CClient.runTool(dir, "-T", "500", name, "echo", "x");
            assertThat(queued.exit()).isEqualTo(TIMEOUT);
            assertThat(queued.stderr())
                    .contains("SHMIPC_E_TIMEOUT: ", "all 1 slots", "nothing was sent")
                    .doesNotContain("outcome unknown");

            server.send("release");
            CClient.ToolRun after = CClient.runTool(dir, name, "echo", "slot back");
            assertThat(after.exit()).as(after.stderr()).isZero();
            assertThat(after.stdout()).isEqualTo("slot back");
        }
    }

    @Test
    void noServerIsUnavailableAndAnInvalidNameIsAnInvalidArgument() {
        CClient.ToolRun none = CClient.runTool(dir, Interop.uniqueName(), "echo", "x");
        assertThat(none.exit()).isEqualTo(UNAVAILABLE);
        assertThat(none.stderr()).contains("SHMIPC_E_UNAVAILABLE: no shmipc server", "does not exist");

        CClient.ToolRun invalid = CClient.runTool(dir, "../etc", "echo", "x");
        assertThat(invalid.exit()).isEqualTo(INVALID_ARGUMENT);
        assertThat(invalid.stderr()).contains("invalid shmipc name '../etc'");
    }
}
