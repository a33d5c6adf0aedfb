package io.shmipc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command of {@code shmipc}, run in this JVM against real server processes. */
class ShmipcCommandTest {

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {}

    private Run run(String... args) {
        return run(new byte[0], args);
    }

    private Run run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ShmipcCommand.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin),
                args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String uniqueName() {
        return "shmipc-cli-test-" + UUID.randomUUID();
    }

    private ChildJvm startServer(String name) {
        ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID");
        server.awaitLine("READY");
        return server;
    }

    @Test
    void listShowsALiveServerAsRunningAndAKilledOneAsDeadAndCleanRemovesOnlyTheDeadOne() {
        String live = uniqueName();
        String killed = uniqueName();
        try (ChildJvm liveServer = startServer(live);
                ChildJvm killedServer = startServer(killed)) {
            killedServer.kill();

            Run list = run("list", "--dir", dir.toString());
            assertThat(list.code()).isZero();
            assertThat(list.out()).contains("NAME", "STATE", "HEARTBEAT");
            assertThat(list.out().lines().filter(line -> line.startsWith(live)))
                    .singleElement()
                    .asString()
                    .contains("RUNNING", Long.toString(liveServer.pid()), "0/4", "4 KiB");
            assertThat(list.out().lines().filter(line -> line.startsWith(killed)))
                    .singleElement()
                    .asString()
                    .contains("DEAD", Long.toString(killedServer.pid()));
            Run json = run("list", "--dir", dir.toString(), "--json");
            assertThat(json.out()).startsWith("[").contains("\"state\":\"DEAD\"", "\"state\":\"RUNNING\"");

            Run refused = run("clean", live, "--dir", dir.toString());
            assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED_SERVER_ALIVE);
            assertThat(refused.out()).startsWith("refused " + live).contains("RUNNING");
            assertThat(dir.resolve(live)).exists();

            Run dryRun = run("clean", "--all-dead", "--dry-run", "--dir", dir.toString());
            assertThat(dryRun.code()).isZero();
            assertThat(dryRun.out()).contains("would remove " + killed, "kept " + live);
            assertThat(dir.resolve(killed)).exists();

            Run cleaned = run("clean", killed, "--dir", dir.toString());
            assertThat(cleaned.code()).isZero();
            assertThat(cleaned.out()).startsWith("removed " + killed);
            assertThat(dir.resolve(killed)).doesNotExist();
            assertThat(dir.resolve(killed + ".lock")).doesNotExist();
            assertThat(dir.resolve(live)).exists();
            assertThat(run("call", live, "echo", "still here", "--dir", dir.toString())
                            .out())
                    .isEqualTo("still here");
        }
    }

    @Test
    void inspectShowsHeaderSlotsClientsAndFiles() {
        String name = uniqueName();
        try (ChildJvm server = startServer(name)) {
            Run inspect = run("inspect", name, "--dir", dir.toString());

            assertThat(inspect.code()).isZero();
            assertThat(inspect.out())
                    .contains("RUNNING", "server process alive", "held by pid " + server.pid(), "4 FREE")
                    .contains("SLOT", "CLAIMS", "OWNER PID")
                    .contains("no registered clients")
                    .contains("region", "lock", "0600");
            Run json = run("inspect", name, "--dir", dir.toString(), "--json");
            assertThat(json.out())
                    .contains(
                            "\"state\":\"RUNNING\"",
                            "\"slots\":[",
                            "\"slotsByState\":{\"FREE\":4}",
                            "\"mode\":\"0600\"");
        }
    }

    @Test
    void inspectShowsTheAgeOfASlotHeldByACallInFlight() throws Exception {
        String name = uniqueName();
        // Closed in reverse: the client, then the server (failing a call still held), then the caller thread.
        try (ExecutorService caller = Executors.newSingleThreadExecutor();
                ChildJvm server = startServer(name);
                ShmClient client =
                        new ShmClient(name, ShmConfig.builder().directory(dir).build())) {
            long beforeCall = System.currentTimeMillis();
            Future<byte[]> held = caller.submit(
                    () -> client.call("slow", "held".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(2)));
            server.awaitLine("SLOW-STARTED");

            Run inspect = run("inspect", name, "--dir", dir.toString());
            String slotLine = inspect.out()
                    .lines()
                    .filter(line -> line.matches("\\d+ +PROCESSING .*"))
                    .findFirst()
                    .orElseThrow();
            assertThat(inspect.out()).contains("AGE", "DEADLINE");
            assertThat(slotLine)
                    .contains("slow", Long.toString(ProcessHandle.current().pid()));
            Matcher age = Pattern.compile(" (\\d+(?:\\.\\d)?) (ms|s|min) +in ").matcher(slotLine);
            assertThat(age.find()).as(slotLine).isTrue();

            Run json = run("inspect", name, "--dir", dir.toString(), "--json");
            long sinceCall = System.currentTimeMillis() - beforeCall;
            Matcher ageMillis = Pattern.compile(
                            "\"state\":\"PROCESSING\".*?\"submittedAt\":\"[^\"]+\",\"age\":([0-9.]+)")
                    .matcher(json.out());
            assertThat(ageMillis.find()).as(json.out()).isTrue();
            // Written when the request was, so never older than the whole call so far.
            assertThat(Double.parseDouble(ageMillis.group(1))).isBetween(0.0, (double) sinceCall + 1);
            assertThat(json.out()).contains("\"state\":\"FREE\"", "\"age\":null");

            server.send("release");
            assertThat(new String(held.get(1, TimeUnit.MINUTES), StandardCharsets.UTF_8))
                    .isEqualTo("held");
        }
    }

    @Test
    void listShowsAnOrphanLockFileAndCleanRemovesItButNeverAHeldOrForeignOne() throws Exception {
        String orphan = uniqueName();
        try (ChildJvm killed = startServer(orphan)) {
            killed.kill();
        }
        Files.delete(dir.resolve(orphan)); // the region gone by hand: its lock file is left behind
        String held = uniqueName();
        Path heldLock = Files.writeString(dir.resolve(held + ".lock"), "");
        String foreign = uniqueName();
        Path foreignLock = Files.writeString(dir.resolve(foreign + ".lock"), "somebody else's notes\n");
        String d = dir.toString();
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, heldLock.toString())) {
            holder.awaitLine("LOCKED");

            Run list = run("list", "--dir", d);
            assertThat(list.code()).isZero();
            assertThat(list.out())
                    .contains("! " + orphan + ": lock file " + dir.resolve(orphan + ".lock") + " without its region")
                    .contains("nobody holds its lock: 'shmipc clean " + orphan + "' removes it")
                    .contains("! " + held + ": ", "its lock is held by pid " + holder.pid())
                    .doesNotContain(foreign);
            assertThat(run("list", "--dir", d, "--json").out()).contains("\"reason\":\"ORPHAN_LOCK\"");

            Run dryRun = run("clean", "--all-dead", "--dry-run", "--dir", d);
            assertThat(dryRun.out()).contains("would remove " + orphan, "kept " + held);
            assertThat(dir.resolve(orphan + ".lock")).exists();

            Run refused = run("clean", held, "--dir", d);
            assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED_SERVER_ALIVE);
            assertThat(refused.out()).contains("held by pid " + holder.pid());
            assertOneLine(run("clean", foreign, "--dir", d), ExitCodes.NOT_A_REGION, "leave it alone");

            Run cleaned = run("clean", "--all-dead", "--dir", d);
            assertThat(cleaned.code()).isZero();
            assertThat(cleaned.out()).contains("removed " + orphan, "kept " + held);
            assertThat(dir.resolve(orphan + ".lock")).doesNotExist();
            assertThat(heldLock).exists();
            assertThat(foreignLock).hasContent("somebody else's notes\n");
            holder.closeInput();
            assertThat(holder.waitFor(Duration.ofMinutes(1))).isZero();
        }
        Run afterRelease = run("clean", held, "--dir", d);
        assertThat(afterRelease.code()).isZero();
        assertThat(afterRelease.out()).startsWith("removed " + held);
        assertThat(dir.resolve(held + ".lock")).doesNotExist();
        assertOneLine(run("clean", orphan, "--dir", d), ExitCodes.NO_REGION, "no region " + orphan);
    }

    @Test
    void watchRefreshesWithRequestsPerSecond() {
        String name = uniqueName();
        try (ChildJvm server = startServer(name)) {
            Run watch =
                    run("watch", name, "--dir", dir.toString(), "--iterations", "2", "--interval", "100ms", "--json");

            assertThat(watch.code()).isZero();
            assertThat(watch.out().lines()).hasSize(2);
            assertThat(watch.out().lines().toList().get(0)).contains("\"requestsPerSecond\":null");
            assertThat(watch.out().lines().toList().get(1)).contains("\"requestsPerSecond\":0.0", "\"RUNNING\"");
            Run text = run("watch", name, "--dir", dir.toString(), "--iterations", "1", "--interval", "10ms");
            assertThat(text.out()).contains(name + " RUNNING epoch=1", "slots=0/4");
        }
    }

    @Test
    void callPrintsTheReplyAndGivesEachKindOfFailureItsOwnExitCode() throws Exception {
        String name = uniqueName();
        String d = dir.toString();
        Run noServer = run("call", name, "echo", "x", "--dir", d);
        assertThat(noServer.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(noServer.err()).startsWith("shmipc: unavailable: ").hasLineCount(1);

        try (ChildJvm server = startServer(name)) {
            assertThat(run("call", name, "echo", "hello", "--dir", d, "-H", "trace=1"))
                    .isEqualTo(new Run(0, "hello", ""));
            Path file = Files.write(dir.resolve("payload.bin"), new byte[] {1, 2, 3});
            assertThat(run("call", name, "echo", "@" + file, "--dir", d).out())
                    .isEqualTo(new String(new byte[] {1, 2, 3}, StandardCharsets.UTF_8));
            assertThat(run("from stdin".getBytes(StandardCharsets.UTF_8), "call", name, "echo", "-", "--dir", d)
                            .out())
                    .isEqualTo("from stdin");
            Run counted = run("call", name, "echo", "n", "--count", "5", "--dir", d);
            assertThat(counted.out()).isEqualTo("n");
            assertThat(counted.err()).startsWith("5 calls: min ").contains("p50", "p99", "calls/s");
            assertThat(run("call", name, "echo", "j", "--count", "3", "--json", "--dir", d)
                            .out())
                    .contains("\"calls\":3", "\"reply\":\"j\"", "\"p50Micros\":");

            Run remote = run("call", name, "fail", "--dir", d);
            assertThat(remote.code()).isEqualTo(ExitCodes.REMOTE_ERROR);
            assertThat(remote.err()).contains("asked to fail").hasLineCount(1);
            assertThat(run("call", name, "no-such-route", "--dir", d).code()).isEqualTo(ExitCodes.NO_HANDLER);
            assertThat(run("call", name, "echo", "x".repeat(5000), "--dir", d).code())
                    .isEqualTo(ExitCodes.TOO_LARGE);
            assertThat(run("call", name, "echo", "@" + dir.resolve("missing"), "--dir", d)
                            .code())
                    .isEqualTo(ExitCodes.USAGE);

            Run timeout = run("call", name, "slow", "--timeout", "300ms", "--dir", d);
            server.awaitLine("SLOW-STARTED");
            server.send("release");
            assertThat(timeout.code()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(timeout.err()).startsWith("shmipc: timeout: ");
        }
    }

    @Test
    void badInputGetsOneLineANonZeroCodeAndModifiesNothing() throws Exception {
        String d = dir.toString();
        assertOneLine(
                run("list", "--dir", dir.resolve("missing").toString()), ExitCodes.NO_DIRECTORY, "does not exist");
        assertOneLine(run("inspect", "nobody", "--dir", d), ExitCodes.NO_REGION, "no region nobody");
        assertOneLine(run("inspect", "../x", "--dir", d), ExitCodes.INVALID_NAME, "invalid shmipc name");

        byte[] shortContent = new byte[10];
        Path shortFile = Files.write(dir.resolve("short"), shortContent);
        assertOneLine(run("clean", "short", "--dir", d), ExitCodes.NOT_A_REGION, "10 bytes");
        byte[] foreignContent = "not a region at all".repeat(500).getBytes(StandardCharsets.UTF_8);
        Path foreign = Files.write(dir.resolve("foreign"), foreignContent);
        assertOneLine(run("clean", "foreign", "--dir", d), ExitCodes.NOT_A_REGION, "not the shmipc magic");
        Files.createSymbolicLink(dir.resolve("link"), foreign);
        assertOneLine(run("inspect", "link", "--dir", d), ExitCodes.NOT_A_REGION, "symbolic link");
        byte[] oldContent = ByteBuffer.allocate(8192)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, 0x0100_4350_494D_4853L)
                .putInt(8, 7)
                .array();
        Path old = Files.write(dir.resolve("old"), oldContent);
        assertOneLine(run("clean", "old", "--dir", d), ExitCodes.OTHER_LAYOUT, "layout version 7");

        assertThat(Files.readAllBytes(shortFile)).isEqualTo(shortContent);
        assertThat(Files.readAllBytes(foreign)).isEqualTo(foreignContent);
        assertThat(Files.readAllBytes(old)).isEqualTo(oldContent);
        assertThat(Files.isSymbolicLink(dir.resolve("link"))).isTrue();
        Run cleanAll = run("clean", "--all-dead", "--dir", d);
        assertThat(cleanAll.code()).isZero();
        assertThat(dir.resolve("old")).exists();
        assertThat(run("clean", "--dir", d).code()).isEqualTo(ExitCodes.USAGE);
        Run badTimeout = run("list", "--dir", d, "--liveness-timeout", "100ms");
        assertThat(badTimeout.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTimeout.err()).startsWith("--liveness-timeout PT0.1S: ");
    }

    private static void assertOneLine(Run run, int code, String text) {
        assertThat(run.code()).as(run.err()).isEqualTo(code);
        assertThat(run.err()).contains(text).hasLineCount(1);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"list", "inspect", "watch", "call", "clean"}) {
            Run help = run(command, "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).startsWith("Usage: shmipc " + command).contains("Exit codes:");
        }
        assertThat(run("--help").out()).contains("list", "inspect", "watch", "call", "clean");
    }
}
