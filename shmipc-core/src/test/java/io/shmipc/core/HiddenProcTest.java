package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shmipc.core.testing.CallOnceMain;
import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 3 of issue 10: a client that cannot see the server's pid in {@code /proc} (here {@code hidepid=2}
 * in a private mount namespace, the client running as {@code nobody}) must not judge a live server dead.
 */
class HiddenProcTest {

    private static final String HIDE_PROC = "mount -t proc -o hidepid=2 proc /proc";

    @TempDir
    Path dir;

    @Test
    void clientThatCannotSeeTheServerInProcStillCallsIt() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount /proc and switch user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
        Process probe = new ProcessBuilder("unshare", "-m", "sh", "-c", HIDE_PROC)
                .redirectErrorStream(true)
                .start();
        assumeTrue(
                probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "needs permission for a private mount namespace with a hidepid /proc (unshare -m): "
                        + new String(probe.getInputStream().readAllBytes()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Files.isDirectory(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> hiddenAsNobody = List.of(
                "unshare",
                "-m",
                "sh",
                "-c",
                HIDE_PROC + " && exec /usr/bin/setpriv --reuid=nobody --regid=nogroup --clear-groups \"$@\"",
                "sh");
        String name = uniqueName();
        // The server in a process of its own, as root; its region opened to all so that nobody may map it
        // (nobody trusts a region root owns).
        try (ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "2", "4096", "HYBRID")) {
            server.awaitLine("READY");
            Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rw-rw-rw-"));
            try (ChildJvm client = ChildJvm.start(
                    hiddenAsNobody, classPath, CallOnceMain.class, name, dir.toString(), "echo", "hidden", "30000")) {
                // Before the fix: "ERROR ... is not alive ... the request was not sent".
                assertThat(client.awaitLine(line -> line.startsWith("REPLY") || line.startsWith("ERROR"), LONG))
                        .isEqualTo("REPLY hidden");
            }
        }
    }
}
