package io.shmipc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs: output, commands, stop and kill, clean-up of files, and no orphans when a parent dies. */
class ChildJvmTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void awaitLineShouldReadTheOutputInOrderAndAnswerCommands() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class, "hello")) {
            assertThat(child.awaitLine("READY")).isEqualTo("READY hello");
            child.send("one");
            child.send("two");
            assertThat(child.awaitLine("ECHO")).isEqualTo("ECHO one");
            assertThat(child.awaitLine("ECHO")).isEqualTo("ECHO two");
            // A mark-based wait waits for lines still to come...
            int mark = child.lineCount();
            child.send("three");
            assertThat(child.awaitLine(mark, line -> line.startsWith("ECHO"), WAIT))
                    .isEqualTo("ECHO three");
            // ...and looks back at lines already read by the queue-like wait.
            assertThat(child.awaitLine(0, line -> line.startsWith("READY"), WAIT))
                    .isEqualTo("READY hello");
            child.closeInput();
            assertThat(child.waitFor(WAIT)).isZero();
            assertThat(child.lines()).containsExactly("READY hello", "ECHO one", "ECHO two", "ECHO three", "BYE");
            assertThat(child.log()).content().contains("BYE");
        }
    }

    @Test
    void awaitLineWhenTheChildEndsWithoutTheLineShouldFailAtOnceWithItsOutput() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class, "short")) {
            child.awaitLine("READY");
            child.closeInput();
            assertThatExceptionOfType(ChildProcessException.class)
                    .isThrownBy(() -> child.awaitLine(line -> line.equals("never"), Duration.ofMinutes(10)))
                    .withMessageContaining("exited with 0")
                    .withMessageContaining("BYE");
        }
    }

    @Test
    void closeShouldKillTheChildAndItsDescendantsAndRemoveNamedFiles() throws IOException {
        Path region = Files.createFile(directory.resolve("region-" + System.nanoTime()));
        ChildJvm parent = ChildJvm.main(ParentMain.class).removeOnClose(region).start();
        long grandchild = Long.parseLong(parent.awaitLine("GRANDCHILD").substring("GRANDCHILD ".length()));
        assertThat(ProcessHandle.of(grandchild)).get().matches(ProcessHandle::isAlive);

        parent.close();

        assertThat(parent.isAlive()).isFalse();
        await().atMost(WAIT)
                .until(() ->
                        ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false) == false);
        assertThat(region).doesNotExist();
    }

    @Test
    void whenTheParentJvmIsKilledItsChildrenShouldDieToo() {
        // ParentMain starts its own child through ChildJvm; SIGKILL runs no shutdown hook, so only the
        // parent-death signal can end the grandchild.
        ChildJvm parent = ChildJvm.start(ParentMain.class);
        long grandchild = Long.parseLong(parent.awaitLine("GRANDCHILD").substring("GRANDCHILD ".length()));
        Optional<ProcessHandle> handle = ProcessHandle.of(grandchild);
        assertThat(handle).get().matches(ProcessHandle::isAlive);

        parent.process().destroyForcibly(); // SIGKILL to the parent alone, not its descendants
        parent.waitFor(WAIT);

        await().atMost(WAIT).until(() -> handle.map(h -> !h.isAlive()).orElse(true));
        parent.close();
    }

    @Test
    void stopShouldLetTheChildExitOnItsOwn() {
        ChildJvm child = ChildJvm.start(EchoMain.class, "polite");
        child.awaitLine("READY");
        child.stop(WAIT);
        assertThat(child.isAlive()).isFalse();
        assertThat(child.process().exitValue()).isZero();
        assertThat(child.lines()).last().isEqualTo("BYE");
    }

    /** Prints READY and its argument, echoes each input line as "ECHO line", prints BYE at end of input. */
    public static final class EchoMain {

        public static void main(String[] args) throws IOException {
            System.out.println("READY " + args[0]);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println("ECHO " + line);
            }
            System.out.println("BYE");
        }
    }

    /** Prints READY and sleeps until killed: ignores its input, so only a signal ends it. */
    public static final class SleeperMain {

        public static void main(String[] args) throws InterruptedException {
            System.out.println("READY");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /**
     * Starts a {@link SleeperMain} through {@link ChildJvm}, prints its pid, and waits for its own input
     * to end.
     */
    public static final class ParentMain {

        public static void main(String[] args) throws IOException {
            ChildJvm child = ChildJvm.start(SleeperMain.class);
            child.awaitLine("READY");
            System.out.println("GRANDCHILD " + child.pid());
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
            child.close();
        }
    }
}
