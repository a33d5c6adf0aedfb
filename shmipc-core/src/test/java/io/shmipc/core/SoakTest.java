package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.testing.LoadClientMain;
import io.shmipc.core.testing.LoadStats;
import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: mixed traffic (several client processes, routes echo and check, payload sizes 0..capacity,
 * occasional client restarts, graceful and SIGKILL) against one server process, whose heap after GC,
 * open file descriptors, mappings of the region and thread count are sampled and must stay flat.
 * Writes target/soak-report.md.
 *
 * <p>{@code ./mvnw -B -ntp -Psoak -pl shmipc-core verify}; {@code -Dshmipc.soak.seconds=N} sets the
 * length (default 600; 30 for a smoke test). Samples every 30 s, or every tenth of a shorter run.
 */
@Tag("soak")
class SoakTest {

    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("shmipc.soak.seconds", 600));
    private static final Duration SAMPLE = DURATION.dividedBy(10).compareTo(Duration.ofSeconds(30)) < 0
            ? DURATION.dividedBy(10)
            : Duration.ofSeconds(30);
    private static final int CLIENTS = 3;
    private static final int CAPACITY = 16 * 1024;
    /** Heap after a full GC may wander with what happens to be live; growth beyond this is a leak. */
    private static final long HEAP_SLACK = 8L << 20;

    @TempDir
    Path dir;

    record Sample(
            long atSeconds, long heapUsed, long jvmThreads, long fds, long regionMaps, long osThreads, long okSoFar) {}

    @Test
    void serverResourcesStayFlatUnderMixedTrafficWithClientRestarts() throws Exception {
        String name = uniqueName();
        Random random = new Random(Long.getLong("shmipc.soak.seed", System.nanoTime()));
        List<ChildJvm> clients = new ArrayList<>();
        List<ChildJvm> everyClient = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        int nextId = 1;
        int restarts = 0;
        try (ChildJvm server = ChildJvm.start(
                TestServerMain.class, name, dir.toString(), "8", Integer.toString(CAPACITY), "HYBRID", "no-dedup")) {
            server.awaitLine("READY");
            Path region = dir.resolve(name);
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(client(name, nextId++, everyClient));
            }
            long start = System.nanoTime();
            long end = start + DURATION.toNanos();
            long finishedOk = 0;
            while (true) {
                Thread.sleep(SAMPLE.toMillis()); // measurement window
                samples.add(sample(
                        server,
                        region,
                        (System.nanoTime() - start) / 1_000_000_000L,
                        finishedOk
                                + clients.stream().mapToLong(SoakTest::okSoFar).sum()));
                if (System.nanoTime() - end >= 0) {
                    break;
                }
                if (random.nextInt(3) == 0) {
                    ChildJvm leaving = clients.remove(random.nextInt(clients.size()));
                    if (random.nextBoolean()) {
                        leaving.send("stop");
                        finishedOk += LoadStats.parse(leaving.awaitLine("FINAL"))
                                .orElseThrow()
                                .ok();
                    } else {
                        finishedOk += okSoFar(leaving);
                        leaving.kill();
                    }
                    clients.add(client(name, nextId++, everyClient));
                    restarts++;
                }
            }
            List<LoadStats> finals = new ArrayList<>();
            for (ChildJvm client : clients) {
                client.send("stop");
                finals.add(LoadStats.parse(client.awaitLine("FINAL")).orElseThrow());
            }
            server.send("stop");
            String stopped = server.awaitLine("STOPPED");

            Map<String, Long> errors = new TreeMap<>();
            finals.forEach(f -> f.errors().forEach((k, v) -> errors.merge(k, v, Long::sum)));
            String report = report(samples, restarts, finals, errors, stopped);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "soak-report.md"), report);
            System.out.println(report);

            assertThat(finals).allMatch(LoadStats::balanced).allMatch(f -> f.inflight() == 0 && f.mismatched() == 0);
            List<Sample> steady = samples.subList(1, samples.size()); // the first sample includes warm-up
            assertFlat(steady, "open file descriptors", Sample::fds, 2);
            assertFlat(steady, "mappings of the region", Sample::regionMaps, 0);
            assertFlat(steady, "OS threads", Sample::osThreads, 2);
            assertFlat(steady, "JVM threads", Sample::jvmThreads, 2);
            assertFlat(steady, "heap used after GC (bytes)", Sample::heapUsed, HEAP_SLACK);
            assertThat(steady).extracting(Sample::regionMaps).allMatch(n -> n >= 1);
            assertThat(samples.getLast().okSoFar())
                    .isGreaterThan(samples.getFirst().okSoFar());
        } finally {
            everyClient.forEach(ChildJvm::close);
        }
    }

    /** No growth: every later sample stays within {@code slack} of the first steady one. */
    private static void assertFlat(List<Sample> samples, String what, ToLongFunction<Sample> value, long slack) {
        long first = value.applyAsLong(samples.getFirst());
        assertThat(samples)
                .as("%s: %s", what, samples.stream().map(value::applyAsLong).toList())
                .allMatch(s -> value.applyAsLong(s) <= first + slack);
    }

    private ChildJvm client(String name, int id, List<ChildJvm> everyClient) {
        ChildJvm client = ChildJvm.start(
                LoadClientMain.class,
                name,
                dir.toString(),
                Integer.toString(id),
                "2",
                "2000",
                "mixed",
                Integer.toString(CAPACITY),
                "1000");
        everyClient.add(client);
        return client;
    }

    private static long okSoFar(ChildJvm client) {
        List<LoadStats> all = LoadStats.of(client);
        return all.isEmpty() ? 0 : all.getLast().ok();
    }

    private static Sample sample(ChildJvm server, Path region, long atSeconds, long ok) throws IOException {
        server.send("stats");
        String stats = server.awaitLine("STATS");
        long heap = Long.parseLong(stats.replaceAll(".*heapUsed=(\\d+).*", "$1"));
        long jvmThreads = Long.parseLong(stats.replaceAll(".*threads=(\\d+).*", "$1"));
        Path proc = Path.of("/proc", Long.toString(server.pid()));
        long fds;
        try (Stream<Path> list = Files.list(proc.resolve("fd"))) {
            fds = list.count();
        }
        long maps = Files.readAllLines(proc.resolve("maps")).stream()
                .filter(line -> line.endsWith(region.toString()))
                .count();
        long osThreads = Files.readAllLines(proc.resolve("status")).stream()
                .filter(line -> line.startsWith("Threads:"))
                .mapToLong(line ->
                        Long.parseLong(line.substring("Threads:".length()).trim()))
                .findFirst()
                .orElse(-1);
        return new Sample(atSeconds, heap, jvmThreads, fds, maps, osThreads, ok);
    }

    private static String report(
            List<Sample> samples, int restarts, List<LoadStats> finals, Map<String, Long> errors, String stopped) {
        StringBuilder out = new StringBuilder("# shmipc soak run\n\n");
        out.append("- ")
                .append(DURATION.toSeconds())
                .append(" s of mixed traffic: 1 server process (8 slots x ")
                .append(CAPACITY)
                .append(" B), ")
                .append(CLIENTS)
                .append(" client processes x 2 threads, routes echo and check, payloads 0..")
                .append(CAPACITY)
                .append(" B, 2 s timeout; ")
                .append(restarts)
                .append(" client restarts (graceful or SIGKILL)\n");
        out.append("- calls ok: ")
                .append(samples.getLast().okSoFar())
                .append("; final clients' failures: ")
                .append(errors)
                .append("; wrong replies: ")
                .append(finals.stream().mapToLong(LoadStats::mismatched).sum())
                .append('\n');
        out.append("- server: `").append(stopped).append("`\n\n");
        out.append(
                "| t (s) | heap used after GC (KiB) | JVM threads | OS threads | open fds | region mappings | calls ok so far |\n|---|---|---|---|---|---|---|\n");
        for (Sample s : samples) {
            out.append("| ")
                    .append(s.atSeconds())
                    .append(" | ")
                    .append(s.heapUsed() / 1024)
                    .append(" | ")
                    .append(s.jvmThreads())
                    .append(" | ")
                    .append(s.osThreads())
                    .append(" | ")
                    .append(s.fds())
                    .append(" | ")
                    .append(s.regionMaps())
                    .append(" | ")
                    .append(s.okSoFar())
                    .append(" |\n");
        }
        return out.toString();
    }
}
