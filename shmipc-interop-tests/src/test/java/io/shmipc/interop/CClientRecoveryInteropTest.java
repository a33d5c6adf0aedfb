package io.shmipc.interop;

import static io.shmipc.interop.CClient.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.ShmClient;
import io.shmipc.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Crashes and restarts on either side: the C client and the Java server recover as PROTOCOL.md says. */
class CClientRecoveryInteropTest extends CClientInteropTestBase {

    @Test
    void serverKilledDuringACallFailsItAsUnavailableWithOutcomeUnknown() {
        String name = Interop.uniqueName();
        try (ChildJvm server = Interop.startServer(name, dir, 2);
                NativeProcess call = CClient.startTool(dir, "-T", "60000", name, "slow", "doomed")) {
            server.awaitLine("SLOW-STARTED");
            server.kill();
            // Well before its 60 s timeout: the client watches the server's liveness while it waits.
            assertThat(call.waitFor(LONG)).isEqualTo(2);
            assertThat(call.stderr()).contains("SHMIPC_E_UNAVAILABLE (outcome unknown)", "went away");
        }
    }

    @Test
    void callsResumeAfterTheServerIsKilledAndRestartedAfterACleanStopAndAfterItsFilesWereReplaced() throws Exception {
        String name = Interop.uniqueName();
        try (NativeProcess driver = CClient.startDriver(name, dir)) {
            try (ChildJvm first = Interop.startServer(name, dir, 2)) {
                driver.send("call echo 10000 one");
                assertThat(driver.nextLine(LONG)).isEqualTo("OK one");
                first.kill();
            }
            driver.send("call echo 10000 nobody");
            assertThat(driver.nextLine(LONG)).startsWith("ERR SHMIPC_E_UNAVAILABLE unknown=0");

            // Takeover: the new server adopts the same file, and the client's mapping carries on.
            try (ChildJvm second = Interop.startServer(name, dir, 2)) {
                driver.send("call echo 10000 two");
                assertThat(driver.nextLine(LONG)).isEqualTo("OK two");
                second.send("stop");
                second.awaitLine("STOPPED");
            }
            driver.send("call echo 10000 stopped");
            assertThat(driver.nextLine(LONG)).startsWith("ERR SHMIPC_E_UNAVAILABLE unknown=0");

            // A clean stop deleted the file: the client maps the new server's new file.
            try (ChildJvm third = Interop.startServer(name, dir, 2)) {
                driver.send("call echo 10000 three");
                assertThat(driver.nextLine(LONG)).isEqualTo("OK three");
                third.kill();
            }
            // Killed, and its files removed by hand: nothing marked the old file CLOSED, yet the path now
            // names the next server's new file, and the first call there already succeeds.
            Files.delete(dir.resolve(name));
            Files.delete(dir.resolve(name + ".lock"));
            try (ChildJvm fourth = Interop.startServer(name, dir, 2)) {
                driver.send("call echo 10000 four");
                assertThat(driver.nextLine(LONG)).isEqualTo("OK four");
            }
        }
    }

    @Test
    void threadsSharingOneClientCarryOnThroughACleanRestartAndACrashWithNoCrossedReply() {
        String name = Interop.uniqueName();
        try (NativeProcess driver = CClient.startDriver(name, dir)) {
            ChildJvm server = Interop.startServer(name, dir, 4);
            try {
                driver.send("load echo 4"); // four threads on one shmipc_client, unique payloads, until unload
                assertThat(driver.nextLine(LONG)).isEqualTo("OK");
                awaitMoreReplies(driver);

                server.send("stop"); // clean: the file goes, the threads must map the next server's new file
                server.awaitLine("STOPPED");
                server.close();
                server = Interop.startServer(name, dir, 4);
                awaitMoreReplies(driver);

                server.kill(); // crash: the next server takes the same file over
                server.close();
                server = Interop.startServer(name, dir, 4);
                awaitMoreReplies(driver);
            } finally {
                server.close();
            }
            driver.send("unload");
            assertThat(driver.nextLine(LONG)).matches("LOAD ok=\\d+ failed=\\d+ mismatched=0");
        }
    }

    /** Waits until the driver's load threads got 200 more correct replies than now. */
    private static void awaitMoreReplies(NativeProcess driver) {
        long base = loadReplies(driver);
        await().atMost(LONG).pollInterval(Duration.ofMillis(50)).until(() -> loadReplies(driver) >= base + 200);
    }

    private static long loadReplies(NativeProcess driver) {
        driver.send("report");
        Matcher report =
                Pattern.compile("LOAD ok=(\\d+) failed=\\d+ mismatched=(\\d+)").matcher(driver.nextLine(LONG));
        assertThat(report.matches()).isTrue();
        assertThat(report.group(2))
                .as("replies that were not their own request's")
                .isEqualTo("0");
        return Long.parseLong(report.group(1));
    }

    @Test
    void slotOfACClientKilledWhileHoldingItIsReclaimedByTheServer() {
        String name = Interop.uniqueName();
        // One slot: the next call can only succeed if the server takes the dead client's slot back.
        try (ChildJvm server = Interop.startServer(name, dir, 1);
                ShmClient javaClient = new ShmClient(name, Interop.javaClientConfig(dir))) {
            try (NativeProcess holder = CClient.startTool(dir, "-T", "60000", name, "slow", "orphan")) {
                server.awaitLine("SLOW-STARTED");
                holder.kill();
            }
            server.send("release"); // the reply lands in RESPONSE for a client that is gone
            byte[] reply = javaClient.call("echo", "java after".getBytes(StandardCharsets.UTF_8), LONG);
            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("java after");
            CClient.ToolRun c = CClient.runTool(dir, name, "echo", "c after");
            assertThat(c.stdout()).isEqualTo("c after");
        }
    }
}
