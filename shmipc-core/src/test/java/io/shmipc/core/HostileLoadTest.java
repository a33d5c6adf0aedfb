package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.testing.LoadClientMain;
import io.shmipc.core.testing.LoadStats;
import io.shmipc.core.testing.ScribblerMain;
import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile process writes random and adversarial values into the header and every slot field, for a
 * while, as fast as it can, while legitimate clients in other processes keep calling. The server (its
 * own process) must never die, legitimate traffic must go on during the attack, every failure must be
 * a typed {@link ShmException}, and once the writer stops every slot comes back and full service
 * resumes. A writer with write access can corrupt an in-flight payload undetectably; such replies
 * are counted, not forbidden. (The single-shot cases are in {@link HostileInputTest}.)
 *
 * <p>{@code -Dshmipc.hostile.seconds=N} sets the length (default 30). Writes target/hostile-report.md.
 */
@Tag("chaos")
class HostileLoadTest {

    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("shmipc.hostile.seconds", 30));
    private static final int SLOTS = 4;
    private static final int CAPACITY = 1024;
    private static final Duration PROGRESS_WINDOW = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void serverSurvivesAndServesWhileAnotherProcessScribblesOverTheWholeRegion() throws Exception {
        String name = uniqueName();
        long seed = Long.getLong("shmipc.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        Map<String, Integer> commands = new TreeMap<>();
        List<Long> okPerWindow = new ArrayList<>();
        try (ChildJvm server = ChildJvm.start(
                        TestServerMain.class,
                        name,
                        dir.toString(),
                        Integer.toString(SLOTS),
                        Integer.toString(CAPACITY),
                        "HYBRID");
                ChildJvm first = client(name, server, 1);
                ChildJvm second = client(name, null, 2);
                ChildJvm scribbler =
                        ChildJvm.start(ScribblerMain.class, dir.resolve(name).toString())) {
            List<ChildJvm> clients = List.of(first, second);
            long start = System.currentTimeMillis();
            for (ChildJvm client : clients) {
                LoadStats.awaitFullService(client, start, Duration.ofSeconds(30));
            }
            scribbler.awaitLine("MAPPED");

            long end = System.nanoTime() + DURATION.toNanos();
            long windowEnd = System.nanoTime() + PROGRESS_WINDOW.toNanos();
            long okAtWindowStart = totalOk(clients);
            while (System.nanoTime() - end < 0) {
                String command =
                        switch (random.nextInt(4)) {
                            // random bytes over a whole slot, then a valid state (or an invalid one) in the low byte
                            case 0 ->
                                "random-slot " + random.nextInt(SLOTS) + " " + random.nextLong() + " "
                                        + random.nextInt(7);
                            case 1 ->
                                "random-slot " + random.nextInt(SLOTS) + " " + random.nextLong() + " "
                                        + (6 + random.nextInt(250));
                            // random bytes over one header cache line: identity, server status, heartbeat, doorbell,
                            // flags, free words
                            case 2 -> "random-line " + random.nextInt(8) + " " + random.nextLong();
                            // an adversarial state word: any state with any sequence
                            default -> "state " + random.nextInt(SLOTS) + " " + random.nextInt();
                        };
                commands.merge(command.substring(0, command.indexOf(' ')), 1, Integer::sum);
                scribbler.send(command);
                scribbler.awaitLine("WROTE");
                assertThat(server.process().isAlive()).as("server process").isTrue();
                if (System.nanoTime() - windowEnd >= 0) {
                    long ok = totalOk(clients);
                    okPerWindow.add(ok - okAtWindowStart);
                    okAtWindowStart = ok;
                    windowEnd += PROGRESS_WINDOW.toNanos();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(random.nextInt(2_000_000)); // random moments
            }
            scribbler.close();
            long stoppedAt = System.currentTimeMillis();

            long fullServiceMs = 0;
            for (ChildJvm client : clients) {
                fullServiceMs = Math.max(
                        fullServiceMs,
                        LoadStats.awaitFullService(client, stoppedAt, Duration.ofSeconds(30)) - stoppedAt);
            }
            List<LoadStats> finals = new ArrayList<>();
            for (ChildJvm client : clients) {
                client.send("stop");
                finals.add(LoadStats.parse(client.awaitLine("FINAL")).orElseThrow());
            }
            RegionMapper.Mapping view = RegionMapper.open(dir.resolve(name));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> view.region().slotsInUse() == 0);
            } finally {
                view.close();
            }
            server.send("stats");
            String stats = server.awaitLine("STATS");
            server.send("stop");
            String stopped = server.awaitLine("STOPPED");

            Map<String, Long> errors = new TreeMap<>();
            finals.forEach(f -> f.errors().forEach((k, v) -> errors.merge(k, v, Long::sum)));
            long ok = finals.stream().mapToLong(LoadStats::ok).sum();
            long corrupted = finals.stream().mapToLong(LoadStats::mismatched).sum();
            String report = "# shmipc hostile writer under load\n\n"
                    + "- seed " + seed + "; " + DURATION.toSeconds() + " s; server " + SLOTS + " slots x " + CAPACITY
                    + " B; 2 client processes x 2 threads (`check`, 1 s timeout)\n"
                    + "- hostile writes: " + commands + "\n"
                    + "- legitimate calls ok during and after the attack: " + ok + "; ok per "
                    + PROGRESS_WINDOW.toSeconds() + " s window during the attack: " + okPerWindow + "\n"
                    + "- failures (all typed): " + errors + "\n"
                    + "- replies corrupted in flight by the writer (undetectable by design, counted): " + corrupted
                    + "\n"
                    + "- full service " + fullServiceMs + " ms after the writer stopped; every slot FREE again\n"
                    + "- server afterwards: `" + stats + "`, `" + stopped + "`\n";
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "hostile-report.md"), report);
            System.out.println(report);

            assertThat(finals).allMatch(LoadStats::balanced).allMatch(f -> f.inflight() == 0);
            assertThat(errors.keySet()).as("only typed shmipc failures").allMatch(type -> type.startsWith("Shm"));
            assertThat(okPerWindow)
                    .as("legitimate traffic went on in every window of the attack")
                    .allMatch(n -> n > 0);
            assertThat(stopped).startsWith("STOPPED");
        }
    }

    private ChildJvm client(String name, ChildJvm server, int id) {
        if (server != null) {
            server.awaitLine("READY");
        }
        return ChildJvm.start(
                LoadClientMain.class,
                name,
                dir.toString(),
                Integer.toString(id),
                "2",
                "1000",
                "check",
                Integer.toString(CAPACITY),
                "100");
    }

    private static long totalOk(List<ChildJvm> clients) {
        return clients.stream()
                .mapToLong(c -> {
                    List<LoadStats> all = LoadStats.of(c);
                    return all.isEmpty() ? 0 : all.getLast().ok();
                })
                .sum();
    }
}
