package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shmipc.core.testing.LoadClientMain;
import io.shmipc.core.testing.LoadStats;
import io.shmipc.testing.ChildJvm;
import io.shmipc.testing.TestPayloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A /dev/shm without room, and many more threads than slots. */
class ResourceLimitsTest {

    @TempDir
    Path dir;

    @Test
    void regionThatDoesNotFitGivesAClearErrorAndLeavesNoFileBehind() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a tmpfs");
        Path tiny = Files.createDirectory(dir.resolve("tiny"));
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", tiny.toString()) == 0,
                "mount not permitted here");
        try {
            String name = uniqueName();
            ShmConfig config =
                    config(tiny).slotCount(16).slotCapacity(64 * 1024).build();
            long size = io.shmipc.core.internal.layout.RegionDescriptor.regionSize(16, 64 * 1024);
            ShmException e = catchThrowableOfType(
                    ShmException.class, () -> ShmServer.start(name, config, (request, response) -> {}));
            assertThat(e.getMessage())
                    .contains(tiny.resolve(name).toString())
                    .contains(size + " bytes")
                    .contains("has room")
                    .contains("--shm-size")
                    .contains("shmipc.server.slots");
            try (var files = Files.list(tiny)) {
                assertThat(files).as("no temporary, region or lock file left").isEmpty();
            }
            // A smaller region fits in the same folder: the failure left no debris that takes space.
            try (ShmServer server = ShmServer.start(
                            name,
                            config(tiny).slotCount(2).slotCapacity(4096).build(),
                            (request, response) -> response.write(request.payloadBytes()));
                    ShmClient client = new ShmClient(name, config(tiny).build())) {
                assertThat(text(client.call("echo", utf8("fits"), LONG))).isEqualTo("fits");
            }
        } finally {
            assertThat(run("umount", tiny.toString())).isZero();
        }
    }

    @Test
    void tenTimesMoreThreadsThanSlotsAllMakeProgressWithinTheirTimeouts() {
        int minCallsPerThread = 20;
        long timeoutMillis = 1000;
        String name = uniqueName();
        ShmConfig config = config(dir).slotCount(2).slotCapacity(1024).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500)); // some work, so that slots stay busy
            response.write(TestPayloads.expectedReply(request.payloadBytes()));
        })) {
            List<ChildJvm> clients = List.of(
                    ChildJvm.start(
                            LoadClientMain.class,
                            name,
                            dir.toString(),
                            "1",
                            "10",
                            Long.toString(timeoutMillis),
                            "check",
                            "200",
                            "100"),
                    ChildJvm.start(
                            LoadClientMain.class,
                            name,
                            dir.toString(),
                            "2",
                            "10",
                            Long.toString(timeoutMillis),
                            "check",
                            "200",
                            "100"));
            try {
                // Event-driven window: until every one of the 20 threads has completed its quota.
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> clients.stream().allMatch(c -> LoadStats.of(c).stream()
                                .anyMatch(s -> s.minThreadOk() >= minCallsPerThread)));
                for (ChildJvm client : clients) {
                    client.send("stop");
                    LoadStats last = LoadStats.parse(client.awaitLine("FINAL")).orElseThrow();
                    assertThat(last.balanced()).as("%s", last).isTrue();
                    assertThat(last.inflight()).isZero();
                    assertThat(last.mismatched()).isZero();
                    // A call that could not get a slot in time may time out ("not executed"); it must not wait longer.
                    assertThat(last.errors().keySet()).allMatch(error -> error.equals("ShmTimeoutException/known"));
                    assertThat(last.maxWaitMs())
                            .as("no call waits past its timeout (+ 1 s scheduling margin)")
                            .isLessThanOrEqualTo(timeoutMillis + 1000);
                    assertThat(last.minThreadOk()).isGreaterThanOrEqualTo(minCallsPerThread);
                    assertThat(client.waitFor(LONG)).isZero();
                }
            } finally {
                clients.forEach(ChildJvm::close);
            }
            assertThat(server.info().slotsInUse()).isZero();
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
