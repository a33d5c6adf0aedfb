package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second server for a name is refused with the running server's pid; the first keeps serving. */
class SecondServerTest {

    @TempDir
    Path dir;

    @Test
    void secondServerInAnotherProcessOrThisOneIsRefusedWithThePidAndTheFirstKeepsServing() {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        try (ChildJvm first = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")) {
            first.awaitLine("READY");

            ShmServerAlreadyRunningException refused = catchThrowableOfType(
                    ShmServerAlreadyRunningException.class,
                    () -> ShmServer.start(name, config, (request, response) -> {}));
            assertThat(refused).isNotNull();
            assertThat(refused.getPid()).isEqualTo(first.pid());
            assertThat(refused).hasMessageContaining("pid " + first.pid()).hasMessageContaining(name);

            try (ChildJvm second = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")) {
                assertThat(second.awaitLine("REFUSED")).isEqualTo("REFUSED pid=" + first.pid());
            }

            try (ShmClient client = new ShmClient(name, config)) {
                assertThat(text(client.call("echo", utf8("still here"), LONG))).isEqualTo("still here");
                assertThat(client.info().serverPid()).isEqualTo(first.pid());
                assertThat(client.info().epoch()).isEqualTo(1);
            }
        }
    }

    @Test
    void secondServerInTheSameJvmIsRefusedAndTheFirstKeepsItsLock() {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        ShmRequestHandler echo = (request, response) -> response.write(request.payloadBytes());
        try (ShmServer first = ShmServer.start(name, config, echo)) {
            ShmServerAlreadyRunningException refused = catchThrowableOfType(
                    ShmServerAlreadyRunningException.class, () -> ShmServer.start(name, config, echo));
            assertThat(refused).isNotNull();
            assertThat(refused.getPid()).isEqualTo(ProcessHandle.current().pid());
            // The refused attempt must not have dropped the first server's OS lock (POSIX locks are per process).
            try (ChildJvm other = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID")) {
                assertThat(other.awaitLine("REFUSED"))
                        .isEqualTo("REFUSED pid=" + ProcessHandle.current().pid());
            }
            try (ShmClient client = new ShmClient(name, config)) {
                assertThat(text(client.call("echo", utf8("ok"), LONG))).isEqualTo("ok");
            }
        }
    }
}
