package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.testing.LoadClientMain;
import io.shmipc.core.testing.LoadStats;
import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos run: one server and several client processes under load while the harness kills the server
 * with SIGKILL (then restarts it), kills clients with SIGKILL (and starts replacements), and stops the
 * server with SIGSTOP for a while (then SIGCONT), at random moments. Checks the README's guarantees
 * with numbers: every call accounted for, no reply delivered to the wrong request, no request run
 * twice or run although reported "not executed", bounded waits, and full service after every fault.
 * Writes target/chaos-report.md.
 *
 * <p>{@code ./mvnw -B -ntp -Pchaos -pl shmipc-core verify}; {@code -Dshmipc.chaos.seconds=N} sets the
 * length (default 90), {@code -Dshmipc.chaos.seed=S} replays a fault sequence.
 */
@Tag("chaos")
class ChaosTest {

    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("shmipc.chaos.seconds", 90));
    private static final int CLIENTS = 3;
    private static final int THREADS = 2;
    private static final int SLOTS = 8;
    private static final int CAPACITY = 4096;
    private static final long TIMEOUT_MS = 1000;
    /** As configured in {@link TestServerMain} and {@link LoadClientMain}. */
    private static final long LIVENESS_TIMEOUT_MS = 500;
    /**
     * Scheduling margin on top of timeout + liveness timeout: a waiter re-checks at most one liveness
     * interval (50 ms) late, and on this shared 2-core machine five JVMs (plus other people's builds)
     * can keep a thread off-CPU for a few hundred ms (GC, safepoints, run queue).
     */
    private static final long MARGIN_MS = 500;

    private static final long WAIT_BOUND_MS = TIMEOUT_MS + LIVENESS_TIMEOUT_MS + MARGIN_MS;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final String name = uniqueName();
    private final List<ChildJvm> everyProcess = new ArrayList<>();
    private int nextClientId = 1;

    enum Fault {
        SERVER_KILL,
        CLIENT_KILL,
        SERVER_STOP
    }

    record FaultRecord(
            int number, Fault fault, long atMs, long outageMs, long firstCleanAfterEndMs, long recoveryFromStartMs) {}

    @Test
    void guaranteesHoldWhileServersAndClientsAreKilledAndTheServerHangs() throws Exception {
        long seed = Long.getLong("shmipc.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        Path executions = dir.resolve("executions.log");
        Path notExecuted = dir.resolve("not-executed.log");
        List<FaultRecord> faults = new ArrayList<>();
        Map<Long, ChildJvm> clients = new LinkedHashMap<>();
        List<ChildJvm> killedClients = new ArrayList<>();
        Map<Fault, Integer> counts = new TreeMap<>();
        long startMs = System.currentTimeMillis();
        try {
            ChildJvm server = startServer(executions);
            for (int i = 0; i < CLIENTS; i++) {
                ChildJvm client = startClient(notExecuted);
                clients.put(client.pid(), client);
            }
            for (ChildJvm client : clients.values()) {
                LoadStats.awaitFullService(client, startMs, RECOVERY_LIMIT);
            }
            long loadStartMs = System.currentTimeMillis();
            long end = System.nanoTime() + DURATION.toNanos();
            List<Fault> plan = new ArrayList<>();
            for (int number = 1; System.nanoTime() - end < 0; number++) {
                // Let the load run for a random while: the fault lands at a random moment, mid-request included.
                Thread.sleep(200 + random.nextInt(1300));
                if (plan.isEmpty()) {
                    plan.addAll(List.of(Fault.values()));
                    java.util.Collections.shuffle(plan, random);
                }
                Fault fault = plan.removeFirst();
                counts.merge(fault, 1, Integer::sum);
                long faultAt = System.currentTimeMillis();
                long faultEnd;
                switch (fault) {
                    case SERVER_KILL -> {
                        server.kill();
                        Thread.sleep(random.nextInt(600)); // sometimes clients find no server at all for a while
                        server = startServer(executions);
                        faultEnd = System.currentTimeMillis();
                    }
                    case CLIENT_KILL -> {
                        ChildJvm victim = new ArrayList<>(clients.values()).get(random.nextInt(clients.size()));
                        victim.kill();
                        clients.remove(victim.pid());
                        killedClients.add(victim);
                        ChildJvm replacement = startClient(notExecuted);
                        clients.put(replacement.pid(), replacement);
                        faultEnd = System.currentTimeMillis();
                    }
                    case SERVER_STOP -> {
                        server.suspend();
                        Thread.sleep(100 + random.nextInt(1900)); // hung shorter and longer than the liveness timeout
                        server.resume();
                        faultEnd = System.currentTimeMillis();
                    }
                    default -> throw new IllegalStateException();
                }
                long recovered = 0;
                for (ChildJvm client : clients.values()) {
                    recovered = Math.max(recovered, LoadStats.awaitFullService(client, faultEnd, RECOVERY_LIMIT));
                }
                faults.add(new FaultRecord(
                        number,
                        fault,
                        faultAt - loadStartMs,
                        faultEnd - faultAt,
                        recovered - faultEnd,
                        recovered - faultAt));
            }
            long loadEndMs = System.currentTimeMillis();

            List<LoadStats> finals = new ArrayList<>();
            for (ChildJvm client : clients.values()) {
                client.send("stop");
                finals.add(LoadStats.parse(client.awaitLine("FINAL")).orElseThrow());
            }
            server.send("stop");
            String stopped = server.awaitLine("STOPPED");

            // ------------------------------------------------------------ the books
            List<LoadStats> killedLast =
                    killedClients.stream().map(c -> LoadStats.of(c).getLast()).toList();
            List<LoadStats> everyReport = new ArrayList<>();
            for (ChildJvm client : everyProcess) {
                everyReport.addAll(LoadStats.of(client));
            }
            List<Long> executed = readKeys(executions);
            Set<Long> executedOnce = new HashSet<>();
            List<Long> executedTwice =
                    executed.stream().filter(key -> !executedOnce.add(key)).toList();
            List<Long> reportedNotExecutedButRan = readKeys(notExecuted).stream()
                    .filter(executedOnce::contains)
                    .toList();

            Summary survivors = Summary.of(finals);
            Summary killed = Summary.of(killedLast);
            long maxWait =
                    everyReport.stream().mapToLong(LoadStats::maxWaitMs).max().orElse(0);
            long oldestInflight = everyReport.stream()
                    .mapToLong(LoadStats::oldestInflightMs)
                    .max()
                    .orElse(0);
            String report = report(
                    seed,
                    loadEndMs - loadStartMs,
                    counts,
                    faults,
                    survivors,
                    killed,
                    maxWait,
                    oldestInflight,
                    executed.size(),
                    executedTwice.size(),
                    reportedNotExecutedButRan.size(),
                    stopped,
                    everyReport.stream().mapToLong(LoadStats::p99Us).max().orElse(0));
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "chaos-report.md"), report);
            System.out.println(report);

            assertThat(everyReport)
                    .as("every report balances: issued == ok + mismatched + failed + in flight")
                    .allMatch(LoadStats::balanced);
            assertThat(finals)
                    .as("survivors end with nothing in flight: no call was lost")
                    .allMatch(s -> s.inflight() == 0);
            assertThat(survivors.mismatched + killed.mismatched)
                    .as("replies delivered to the wrong request")
                    .isZero();
            assertThat(executedTwice)
                    .as("requests executed twice (across server crashes and takeovers)")
                    .isEmpty();
            assertThat(reportedNotExecutedButRan)
                    .as("requests reported 'not executed' that did run")
                    .isEmpty();
            assertThat(executed.size())
                    .as("every ok reply came from a logged execution")
                    .isGreaterThanOrEqualTo((int) (survivors.ok + killed.ok));
            assertThat(maxWait)
                    .as("longest call (bound: timeout + liveness timeout + margin)")
                    .isLessThanOrEqualTo(WAIT_BOUND_MS);
            assertThat(oldestInflight).as("oldest in-flight call ever seen").isLessThanOrEqualTo(WAIT_BOUND_MS);
            Set<String> allowed = Set.of(
                    "ShmTimeoutException/known",
                    "ShmTimeoutException/unknown",
                    "ShmServerUnavailableException/known",
                    "ShmServerUnavailableException/unknown");
            assertThat(survivors.errors.keySet()).as("failure types").isSubsetOf(allowed);
            assertThat(killed.errors.keySet()).as("failure types").isSubsetOf(allowed);
            assertThat(counts.keySet())
                    .as("every kind of fault was injected")
                    .containsExactlyInAnyOrder(Fault.values());
            assertThat(stopped).endsWith("duplicates=0");
        } finally {
            everyProcess.forEach(ChildJvm::close); // SIGCONT first if stopped, then SIGKILL
        }
    }

    private ChildJvm startServer(Path executions) {
        ChildJvm server = ChildJvm.start(
                TestServerMain.class,
                name,
                dir.toString(),
                Integer.toString(SLOTS),
                Integer.toString(CAPACITY),
                "HYBRID",
                executions.toString());
        everyProcess.add(server);
        server.awaitLine("READY");
        return server;
    }

    private ChildJvm startClient(Path notExecuted) {
        ChildJvm client = ChildJvm.start(
                LoadClientMain.class,
                name,
                dir.toString(),
                Integer.toString(nextClientId++),
                Integer.toString(THREADS),
                Long.toString(TIMEOUT_MS),
                "slowcheck",
                Integer.toString(CAPACITY),
                "100",
                notExecuted.toString());
        everyProcess.add(client);
        return client;
    }

    private static List<Long> readKeys(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Long> keys = new ArrayList<>();
        while (bytes.remaining() >= Long.BYTES) {
            keys.add(bytes.getLong());
        }
        return keys;
    }

    /** Sums of the reports of a set of clients. */
    private record Summary(
            long issued, long ok, long mismatched, long failed, long inflight, Map<String, Long> errors) {
        static Summary of(List<LoadStats> reports) {
            Map<String, Long> errors = new TreeMap<>();
            reports.forEach(r -> r.errors().forEach((k, v) -> errors.merge(k, v, Long::sum)));
            return new Summary(
                    reports.stream().mapToLong(LoadStats::issued).sum(),
                    reports.stream().mapToLong(LoadStats::ok).sum(),
                    reports.stream().mapToLong(LoadStats::mismatched).sum(),
                    reports.stream().mapToLong(LoadStats::failed).sum(),
                    reports.stream().mapToLong(LoadStats::inflight).sum(),
                    errors);
        }
    }

    private static String report(
            long seed,
            long loadMs,
            Map<Fault, Integer> counts,
            List<FaultRecord> faults,
            Summary survivors,
            Summary killed,
            long maxWait,
            long oldestInflight,
            int executed,
            int executedTwice,
            int notExecutedButRan,
            String stopped,
            long p99Us) {
        StringBuilder out = new StringBuilder();
        out.append("# shmipc chaos run\n\n");
        out.append("- seed ")
                .append(seed)
                .append(" (replay with -Dshmipc.chaos.seed=")
                .append(seed)
                .append(")\n");
        out.append("- ")
                .append(loadMs / 1000)
                .append(" s of load: 1 server (")
                .append(SLOTS)
                .append(" slots x ")
                .append(CAPACITY)
                .append(" B, hybrid wait) and ")
                .append(CLIENTS)
                .append(" client processes x ")
                .append(THREADS)
                .append(" threads calling `check` and `check-slow` (0-3 ms of work) (24..")
                .append(CAPACITY - 8)
                .append(" B, checksum-verified) with a ")
                .append(TIMEOUT_MS)
                .append(" ms timeout; liveness interval 50 ms, timeout ")
                .append(LIVENESS_TIMEOUT_MS)
                .append(" ms\n");
        out.append("- faults: ")
                .append(counts)
                .append(", one every ")
                .append(faults.isEmpty() ? 0 : loadMs / faults.size())
                .append(" ms on average\n\n");
        out.append(
                "## Accounting\n\n| | surviving clients (final report) | killed clients (last report before SIGKILL) |\n|---|---|---|\n");
        out.append("| issued | ")
                .append(survivors.issued)
                .append(" | ")
                .append(killed.issued)
                .append(" |\n");
        out.append("| ok (checksum verified) | ")
                .append(survivors.ok)
                .append(" | ")
                .append(killed.ok)
                .append(" |\n");
        out.append("| wrong reply (mismatched) | ")
                .append(survivors.mismatched)
                .append(" | ")
                .append(killed.mismatched)
                .append(" |\n");
        out.append("| failed, typed | ")
                .append(survivors.failed)
                .append(" | ")
                .append(killed.failed)
                .append(" |\n");
        out.append("| in flight | ")
                .append(survivors.inflight)
                .append(" | ")
                .append(killed.inflight)
                .append(" (died with their process: outcome unknown to anyone) |\n");
        out.append("| failures by type (`/known` = certainly not executed) | ")
                .append(survivors.errors)
                .append(" | ")
                .append(killed.errors)
                .append(" |\n\n");
        out.append(
                "Calls a killed client issued after its last report (at most 100 ms of traffic) are in neither column.\n\n");
        out.append("- ok calls per second: ")
                .append(loadMs == 0 ? 0 : (survivors.ok + killed.ok) * 1000 / loadMs)
                .append('\n');
        out.append("- requests executed (server log, all server incarnations): ")
                .append(executed)
                .append("; executed twice: ")
                .append(executedTwice)
                .append("; reported \"not executed\" but executed: ")
                .append(notExecutedButRan)
                .append('\n');
        out.append("- last server: `").append(stopped).append("`\n");
        out.append("- longest call: ")
                .append(maxWait)
                .append(" ms; oldest in-flight call seen: ")
                .append(oldestInflight)
                .append(" ms; bound ")
                .append(WAIT_BOUND_MS)
                .append(" ms = timeout ")
                .append(TIMEOUT_MS)
                .append(" + liveness timeout ")
                .append(LIVENESS_TIMEOUT_MS)
                .append(" + margin ")
                .append(MARGIN_MS)
                .append('\n');
        out.append("- worst per-client p99 call time: <= ").append(p99Us).append(" us (power-of-two buckets)\n\n");
        out.append(
                "## Faults and recovery\n\nRecovery = until every live client had a whole 100 ms report interval with successful calls and no failure."
                        + " For CLIENT_KILL the outage ends when the replacement process is launched, so its figure includes a JVM start.\n\n");
        out.append(
                "| # | fault | at (s) | outage (ms) | full service after outage ended (ms) | full service after fault began (ms) |\n|---|---|---|---|---|---|\n");
        for (FaultRecord f : faults) {
            out.append("| ")
                    .append(f.number())
                    .append(" | ")
                    .append(f.fault())
                    .append(" | ")
                    .append(f.atMs() / 1000)
                    .append(" | ")
                    .append(f.outageMs())
                    .append(" | ")
                    .append(f.firstCleanAfterEndMs())
                    .append(" | ")
                    .append(f.recoveryFromStartMs())
                    .append(" |\n");
        }
        for (Fault kind : Fault.values()) {
            List<FaultRecord> of =
                    faults.stream().filter(f -> f.fault() == kind).toList();
            if (!of.isEmpty()) {
                out.append("\n- ")
                        .append(kind)
                        .append(": ")
                        .append(of.size())
                        .append("x, full service after the outage ended: max ")
                        .append(of.stream()
                                .mapToLong(FaultRecord::firstCleanAfterEndMs)
                                .max()
                                .orElse(0))
                        .append(" ms, mean ")
                        .append((long) of.stream()
                                .mapToLong(FaultRecord::firstCleanAfterEndMs)
                                .average()
                                .orElse(0))
                        .append(" ms");
            }
        }
        return out.append('\n').toString();
    }
}
