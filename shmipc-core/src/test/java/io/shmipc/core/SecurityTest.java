package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shmipc.core.internal.Dispatcher;
import io.shmipc.core.testing.CallOnceMain;
import io.shmipc.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may talk to a server, and what a client learns about it. (File modes, names with path tricks
 * and symbolic links are covered by {@link InputValidationTest}.)
 */
class SecurityTest {

    @TempDir
    Path dir;

    @Test
    void clientRunAsAnotherOsUserIsRefusedWithAClearPermissionError() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a child as another user");
        List<String> asNobody = Files.isExecutable(Path.of("/usr/bin/setpriv"))
                ? List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
                : List.of("/usr/sbin/runuser", "-u", "nobody", "--");
        assumeTrue(Files.isExecutable(Path.of(asNobody.getFirst())), "needs setpriv or runuser");
        // The folder is open to all, as /dev/shm is: only the region's own mode (0600 by default) keeps others out.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The child needs only the project's classes (the Maven repository under /root is closed to nobody).
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Files.isDirectory(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
        String name = uniqueName();
        try (ShmServer server = ShmServer.start(
                        name, config(dir).build(), (request, response) -> response.write(request.payloadBytes()));
                ChildJvm intruder = ChildJvm.start(
                        asNobody, classPath, CallOnceMain.class, name, dir.toString(), "echo", "let me in", "5000")) {
            String line = intruder.awaitLine("ERROR");
            assertThat(line)
                    .startsWith("ERROR " + ShmServerUnavailableException.class.getName())
                    .contains(server.path().toString())
                    .contains("permission")
                    .contains("AccessDenied");
            assertThat(intruder.waitFor(EngineTestSupport.LONG)).isZero();
            try (ShmClient owner = new ShmClient(name, config(dir).build())) {
                assertThat(text(owner.call("echo", utf8("still mine"), LONG))).isEqualTo("still mine");
            }
        }
    }

    @Test
    void remoteExceptionCarriesTypeAndMessageButNoRemoteStackFrames() {
        String name = uniqueName();
        try (ShmServer server = ShmServer.start(name, config(dir).build(), new FailingHandler());
                ShmClient client = new ShmClient(name, config(dir).build())) {
            ShmRemoteException e =
                    catchThrowableOfType(ShmRemoteException.class, () -> client.call("orders", utf8("x"), LONG));
            assertThat(e.getMessage())
                    .isEqualTo("handler for route 'orders' threw java.lang.IllegalStateException: inventory is empty");
            assertThat(e.getRemoteType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(e.getRemoteMessage()).isEqualTo("inventory is empty");
            assertThat(e.getCause())
                    .as("no remote cause (its message would leak)")
                    .isNull();
            assertThat(e.getSuppressed()).isEmpty();
            assertThat(e.getStackTrace())
                    .as("every frame is the caller's own")
                    .noneMatch(frame -> frame.getClassName().startsWith(FailingHandler.class.getName()))
                    .noneMatch(frame -> frame.getClassName().equals(Dispatcher.class.getName()))
                    .anyMatch(frame -> frame.getClassName().equals(SecurityTest.class.getName()));
        }
    }

    /** Throws with a cause whose message must not travel either. */
    private static final class FailingHandler implements ShmRequestHandler {
        @Override
        public void handle(ShmRequest request, ShmResponse response) {
            throw new IllegalStateException("inventory is empty", new RuntimeException("secret connection string"));
        }
    }
}
