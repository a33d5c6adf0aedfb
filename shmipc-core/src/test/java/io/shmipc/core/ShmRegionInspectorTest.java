package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shmipc.core.ShmInspectionException.Reason;
import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public inspection API against real server processes: read without disturbing, clean only the dead. */
class ShmRegionInspectorTest {

    @TempDir
    Path dir;

    @Test
    void inspectShowsALiveServerItsSlotsClientsAndFilesAndLeavesTheClientRegistered() {
        String name = uniqueName();
        try (ChildJvm server = startServer(name);
                ShmClient client = new ShmClient(name, config(dir).build())) {
            server.awaitLine("READY");
            assertThat(text(client.call("echo", utf8("hi"), LONG))).isEqualTo("hi");
            ShmRegionInspector inspector = ShmRegionInspector.of(config(dir).build());

            ShmRegionSnapshot snapshot = inspector.inspect(name);

            assertThat(snapshot.state()).isEqualTo(ShmServerState.RUNNING);
            assertThat(snapshot.serverPid()).isEqualTo(server.pid());
            assertThat(snapshot.serverProcess()).isEqualTo("alive");
            assertThat(snapshot.serverLockPid()).isEqualTo(server.pid());
            assertThat(snapshot.epoch()).isEqualTo(1);
            assertThat(snapshot.layoutVersion()).isEqualTo(1);
            assertThat(snapshot.slotCount()).isEqualTo(4);
            assertThat(snapshot.slotCapacity()).isEqualTo(4096);
            assertThat(snapshot.heartbeatAge())
                    .as("a live server's heartbeat moves while watched")
                    .isNotNull();
            assertThat(snapshot.slotsByState()).containsEntry("FREE", 4);
            assertThat(snapshot.claims()).isEqualTo(1);
            long self = ProcessHandle.current().pid();
            assertThat(snapshot.clientsKnown()).isTrue();
            assertThat(snapshot.liveClients())
                    .extracting(ShmRegionSnapshot.ClientProcess::pid)
                    .containsExactly(self);
            assertThat(snapshot.files())
                    .extracting(ShmRegionSnapshot.RegionFile::kind, ShmRegionSnapshot.RegionFile::mode)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("region", "0600"),
                            org.assertj.core.groups.Tuple.tuple("lock", "0600"));

            // Reading through this JVM's shared channel kept this JVM's client registration alive.
            assertThat(inspector.inspect(name).liveClients()).hasSize(1);
            assertThat(text(client.call("echo", utf8("still"), LONG))).isEqualTo("still");
        }
    }

    @Test
    void cleanRefusesALiveServerAndModifiesNothing() throws Exception {
        String name = uniqueName();
        try (ChildJvm server = startServer(name);
                ShmClient client = new ShmClient(name, config(dir).build())) {
            server.awaitLine("READY");
            byte[] before = Files.readAllBytes(dir.resolve(name + ".lock"));

            ShmCleanResult result = ShmRegionInspector.of(config(dir).build()).clean(name, false);

            assertThat(result.outcome()).isEqualTo(ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE);
            assertThat(result.detail()).contains("RUNNING").contains("stop the server");
            assertThat(Files.readAllBytes(dir.resolve(name + ".lock"))).isEqualTo(before);
            assertThat(text(client.call("echo", utf8("alive"), LONG))).isEqualTo("alive");
        }
    }

    @Test
    void aKilledServersRegionIsDeadIsRefusedWhileAClientMapsItAndIsCleanedOnceNoneDoes() {
        String name = uniqueName();
        ShmRegionInspector inspector = ShmRegionInspector.of(config(dir).build());
        try (ChildJvm server = startServer(name)) {
            server.awaitLine("READY");
            try (ShmClient client = new ShmClient(name, config(dir).build())) {
                client.connect();
                server.kill();

                assertThat(inspector.inspect(name).state()).isEqualTo(ShmServerState.DEAD);
                ShmCleanResult refused = inspector.clean(name, false);
                assertThat(refused.outcome()).isEqualTo(ShmCleanResult.Outcome.REFUSED_CLIENTS_ALIVE);
                assertThat(refused.detail())
                        .contains(Long.toString(ProcessHandle.current().pid()));
                assertThat(dir.resolve(name)).exists();
            }

            ShmCleanResult dryRun = inspector.clean(name, true);
            assertThat(dryRun.outcome()).isEqualTo(ShmCleanResult.Outcome.WOULD_REMOVE);
            assertThat(dir.resolve(name)).exists();
            assertThat(dir.resolve(name + ".lock")).exists();

            ShmCleanResult cleaned = inspector.clean(name, false);
            assertThat(cleaned.outcome()).isEqualTo(ShmCleanResult.Outcome.REMOVED);
            assertThat(cleaned.removed()).containsExactly(dir.resolve(name), dir.resolve(name + ".lock"));
            assertThat(dir).isEmptyDirectory();
        }
    }

    @Test
    void listJudgesEveryRegionAndSkipsOtherFiles() throws Exception {
        String live = uniqueName();
        String dead = uniqueName();
        Files.write(dir.resolve("someone-elses-file"), new byte[8192]);
        try (ChildJvm liveServer = startServer(live);
                ChildJvm deadServer = startServer(dead)) {
            liveServer.awaitLine("READY");
            deadServer.awaitLine("READY");
            deadServer.kill();

            var entries = ShmRegionInspector.of(config(dir).build()).list();

            assertThat(entries)
                    .extracting(ShmRegionInspector.Entry::name, entry -> entry.snapshot()
                            .state())
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(live, ShmServerState.RUNNING),
                            org.assertj.core.groups.Tuple.tuple(dead, ShmServerState.DEAD));
            var results = ShmRegionInspector.of(config(dir).build()).cleanAllDead(false);
            assertThat(results)
                    .extracting(ShmCleanResult::name, ShmCleanResult::outcome)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(live, ShmCleanResult.Outcome.REFUSED_SERVER_ALIVE),
                            org.assertj.core.groups.Tuple.tuple(dead, ShmCleanResult.Outcome.REMOVED));
            assertThat(dir.resolve(live)).exists();
            assertThat(dir.resolve("someone-elses-file")).exists();
        }
    }

    @Test
    void badInputGetsAReasonAndAMessageAndNothingIsModified() throws Exception {
        ShmRegionInspector inspector = ShmRegionInspector.of(config(dir).build());
        assertReason(() -> ShmRegionInspector.of(dir.resolve("missing")).list(), Reason.NO_DIRECTORY, "does not exist");
        assertReason(() -> inspector.inspect("nobody"), Reason.NO_REGION, "shmipc list");
        assertReason(() -> inspector.inspect("../etc"), Reason.INVALID_NAME, "invalid shmipc name");

        Path shortFile = write("short", new byte[100]);
        assertReason(() -> inspector.clean("short", false), Reason.NOT_A_REGION, "100 bytes");
        byte[] notShmipc = new byte[4096];
        Arrays.fill(notShmipc, (byte) 7);
        Path foreign = write("foreign", notShmipc);
        assertReason(() -> inspector.clean("foreign", false), Reason.NOT_A_REGION, "not the shmipc magic");
        Path link = Files.createSymbolicLink(dir.resolve("link"), foreign);
        assertReason(() -> inspector.clean("link", false), Reason.NOT_A_REGION, "symbolic link");
        ByteBuffer otherVersion = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        otherVersion.putLong(0, 0x0100_4350_494D_4853L).putInt(8, 99);
        Path old = write("old", otherVersion.array());
        assertReason(() -> inspector.clean("old", false), Reason.OTHER_LAYOUT, "layout version 99");

        assertThat(Files.readAllBytes(shortFile)).hasSize(100);
        assertThat(Files.readAllBytes(foreign)).isEqualTo(notShmipc);
        assertThat(Files.readSymbolicLink(link)).isEqualTo(foreign);
        assertThat(Files.readAllBytes(old)).isEqualTo(otherVersion.array());
        for (Path file : new Path[] {shortFile, foreign, old}) {
            assertThat(Files.getLastModifiedTime(file)).isEqualTo(FileTime.fromMillis(0));
        }
        assertThat(inspector.list())
                .as("a file of another layout version is listed with its problem; other files are skipped")
                .singleElement()
                .satisfies(entry -> assertThat(entry.problem().reason()).isEqualTo(Reason.OTHER_LAYOUT));
    }

    private Path write(String name, byte[] content) throws Exception {
        Path file = Files.write(dir.resolve(name), content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(0));
        return file;
    }

    private static void assertReason(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason, String text) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(ShmInspectionException.class, e -> assertThat(e.reason())
                        .isEqualTo(reason))
                .hasMessageContaining(text);
    }

    private ChildJvm startServer(String name) {
        return ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID");
    }
}
