package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shmipc.core.testing.CallOnceMain;
import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server and clients in different pid namespaces, as in containers sharing a region directory: each side
 * sees the other's pid as meaningless, so liveness rests on the heartbeat and on record locks, which the
 * kernel keeps across namespaces. Runs the server under {@code unshare --pid --fork}; skipped where the
 * kernel or the sandbox does not allow a new pid namespace.
 */
class PidNamespaceTest {

    /** A new pid namespace whose first process is the command; SIGKILL of unshare kills it too. */
    private static final List<String> NEW_PID_NAMESPACE = List.of("unshare", "--pid", "--fork", "--kill-child");

    @TempDir
    Path dir;

    @BeforeAll
    static void newPidNamespacesAllowed() throws Exception {
        String why;
        try {
            List<String> probe = new java.util.ArrayList<>(NEW_PID_NAMESPACE);
            probe.add("true");
            Process process =
                    new ProcessBuilder(probe).redirectErrorStream(true).start();
            boolean ended = process.waitFor(30, TimeUnit.SECONDS);
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            why = !ended ? "unshare did not return" : process.exitValue() == 0 ? null : output;
        } catch (IOException e) {
            why = "no unshare command (" + e.getMessage() + ")";
        }
        Assumptions.assumeTrue(
                why == null,
                "skipped: this machine does not allow a new pid namespace (unshare --pid --fork: " + why
                        + "); run as root or with user namespaces enabled to check liveness across pid namespaces");
    }

    @Test
    void serverAndClientsInOtherPidNamespacesWorkAndADeadServerIsJudgedByItsHeartbeat() {
        String name = uniqueName();
        ShmRegionInspector inspector = ShmRegionInspector.of(config(dir).build());
        try (ChildJvm server = ChildJvm.main(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")
                        .wrapper(NEW_PID_NAMESPACE)
                        .jvmOptions(ChildJvm.LIGHT_OPTIONS)
                        .removeOnClose(dir.resolve(name))
                        .removeOnClose(dir.resolve(name + ".lock"))
                        .start();
                ShmClient client = new ShmClient(name, config(dir).build())) {
            // The first process of a new pid namespace is pid 1 there: the pid it records means nothing here.
            assertThat(server.awaitLine("READY")).endsWith(" pid=1");
            assertThat(text(client.call("echo", utf8("across"), LONG))).isEqualTo("across");
            try (ChildJvm otherClient = ChildJvm.main(
                            CallOnceMain.class, name, dir.toString(), "echo", "from-another-namespace", "60000")
                    .wrapper(NEW_PID_NAMESPACE)
                    .jvmOptions(ChildJvm.LIGHT_OPTIONS)
                    .start()) {
                assertThat(otherClient.awaitLine("REPLY")).isEqualTo("REPLY from-another-namespace");
            }

            ShmRegionSnapshot live = inspector.inspect(name);
            assertThat(live.state()).isEqualTo(ShmServerState.RUNNING);
            assertThat(live.serverPid()).isEqualTo(1);
            assertThat(live.serverProcess()).isEqualTo("not visible");
            assertThat(live.heartbeatAge())
                    .as("judged alive by its moving heartbeat")
                    .isNotNull();
            assertThat(live.liveClients())
                    .extracting(ShmRegionSnapshot.ClientProcess::pid)
                    .containsExactly(ProcessHandle.current().pid());
            assertThat(inspector.clean(name, false).outcome()).isEqualTo(ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE);

            server.kill();

            // No pid to check: the client and the inspector both fall back on the heartbeat's silence.
            assertThatThrownBy(() -> client.call("echo", utf8("anyone?"), LONG))
                    .isInstanceOf(ShmServerUnavailableException.class);
            ShmRegionSnapshot dead = inspector.inspect(name);
            assertThat(dead.state()).isEqualTo(ShmServerState.DEAD);
            assertThat(dead.serverProcess()).isEqualTo("not visible");
            assertThat(dead.serverLockPid())
                    .as("the kernel dropped the dead server's lock")
                    .isEqualTo(-1);
            client.close();
            assertThat(inspector.clean(name, false).outcome()).isEqualTo(ShmCleanResult.Outcome.REMOVED);
            assertThat(dir).isEmptyDirectory();
        }
    }
}
