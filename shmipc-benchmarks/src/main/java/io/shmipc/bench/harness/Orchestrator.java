package io.shmipc.bench.harness;

import io.shmipc.bench.transport.Transport;
import io.shmipc.bench.transport.Transports;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Runs every transport once per round, rotating the order each round, so that noise from other work
 * on the machine spreads over all transports instead of landing on whichever ran last. Each session
 * starts a fresh server JVM and fresh client JVMs.
 */
public final class Orchestrator {

    private static final long SERVER_START_TIMEOUT_MILLIS = 120_000;
    private static final String SPINNERS_ON_ONE_VCPU =
            "two spinning sides on one vCPU hand off only at scheduler time slices";
    private static final String SINGLE_CLIENT_PEER = "single-client peer: one ring or flag pair per direction";

    private final BenchOptions options;
    private final List<Transport> transports;
    private final ResultStore store;
    private final Endpoints endpoints = new Endpoints();
    private final Path logs;
    private final AtomicInteger childLogs = new AtomicInteger();

    public Orchestrator(BenchOptions options) {
        this.options = options;
        this.transports = java.util.stream.Stream.concat(
                        Transports.all().stream().filter(t -> options.selected(t.id())),
                        Transports.onRequest().stream().filter(t -> options.named(t.id())))
                .toList();
        this.store = new ResultStore(transports.stream().map(Transport::id).toList());
        this.logs = options.outputDir().resolve("bench-logs");
    }

    /** @return every scenario in report order */
    public List<Scenario> plannedScenarios() {
        List<Scenario> all = new ArrayList<>();
        options.payloads().forEach(p -> all.add(new Scenario(Scenario.Kind.ECHO, p)));
        options.zeroCopyPayloads().forEach(p -> all.add(new Scenario(Scenario.Kind.ZERO_COPY, p)));
        options.threadCounts().forEach(n -> all.add(new Scenario(Scenario.Kind.THREADS, n)));
        options.virtualThreadCounts().forEach(n -> all.add(new Scenario(Scenario.Kind.VIRTUAL_THREADS, n)));
        options.processCounts().forEach(n -> all.add(new Scenario(Scenario.Kind.PROCESSES, n)));
        all.add(new Scenario(Scenario.Kind.WAKEUP, Scenario.SMALL_PAYLOAD));
        all.add(new Scenario(Scenario.Kind.SAME_VCPU, Scenario.SMALL_PAYLOAD));
        all.add(new Scenario(Scenario.Kind.CROSS_VCPU, Scenario.SMALL_PAYLOAD));
        all.add(new Scenario(Scenario.Kind.IDLE, (int) options.idleMillis()));
        return all.stream().filter(options::selectedScenario).toList();
    }

    public ResultStore run() throws InterruptedException, IOException {
        clearOldLogs();
        List<Transport> runnable = new ArrayList<>();
        for (Transport t : transports) {
            String reason = t.unavailableReason();
            if (reason == null) {
                runnable.add(t);
            } else {
                store.notRun(t.id(), "*", reason);
            }
        }
        try {
            for (int round = 0; round < options.rounds(); round++) {
                List<Transport> order = new ArrayList<>(runnable);
                Collections.rotate(order, -round);
                for (Transport t : order) {
                    if (store.transportFailed(t.id())) {
                        continue;
                    }
                    long start = System.nanoTime();
                    try {
                        session(t, round);
                        log(
                                "round %d/%d: %-18s %5.1f s",
                                round + 1, options.rounds(), t.id(), (System.nanoTime() - start) / 1e9);
                    } catch (InterruptedException e) {
                        throw e;
                    } catch (Exception e) {
                        String reason = e instanceof ChildJvm.ChildFailedException
                                ? String.valueOf(e.getMessage())
                                : ServerProcess.oneLine(e);
                        log("  %s not run: %s", t.id(), reason);
                        store.notRun(t.id(), "*", reason);
                    } finally {
                        endpoints.cleanUp();
                    }
                }
            }
        } finally {
            endpoints.cleanUp();
        }
        return store;
    }

    private void session(Transport t, int round) throws Exception {
        String endpoint = endpoints.fresh(t, round);
        try (ChildJvm server = ChildJvm.start("server", List.of(t.id(), endpoint), childLog(t, "server"))) {
            long serverPid = Long.parseLong(server.awaitLine(ChildJvm.READY, SERVER_START_TIMEOUT_MILLIS)
                    .split(" ")[1]);
            boolean lastRound = round == options.rounds() - 1;
            boolean extras = lastRound || options.extrasEveryRound();
            clients(t, endpoint, serverPid, 1, singleClientScenarios(t, lastRound, extras));
            for (int n : extras ? options.processCounts() : List.<Integer>of()) {
                Scenario scenario = new Scenario(Scenario.Kind.PROCESSES, n);
                if (!options.selectedScenario(scenario)) {
                    continue;
                }
                if (t.multiClient()) {
                    clients(t, endpoint, serverPid, n, List.of(scenario));
                } else {
                    store.notRun(t.id(), scenario.label(), SINGLE_CLIENT_PEER);
                }
            }
        }
    }

    private List<Scenario> singleClientScenarios(Transport t, boolean lastRound, boolean extras) {
        List<Scenario> list = new ArrayList<>();
        for (Scenario s : plannedScenarios()) {
            if (!extras && s.kind() != Scenario.Kind.ECHO) {
                continue;
            }
            String skip = skipReason(t, s, lastRound);
            if (skip == null) {
                list.add(s);
            } else if (!skip.isEmpty()) {
                store.notRun(t.id(), s.label(), skip);
            }
        }
        return list;
    }

    /** @return null to run, "" to leave out silently (done elsewhere or later), else the reason */
    private @Nullable String skipReason(Transport t, Scenario s, boolean lastRound) {
        return switch (s.kind()) {
            case PROCESSES -> "";
            case IDLE -> lastRound ? null : "";
            case ZERO_COPY -> t.zeroCopy() ? null : "no zero-copy path";
            case THREADS, VIRTUAL_THREADS -> callerSkipReason(t, s);
            case SAME_VCPU ->
                !Placement.available() ? "taskset not found or one vCPU" : t.spins() ? SPINNERS_ON_ONE_VCPU : null;
            case CROSS_VCPU -> Placement.available() ? null : "taskset not found or one vCPU";
            default -> null;
        };
    }

    /** @return why a transport does not run a threads-N or virtual-threads-N scenario, or null */
    private static @Nullable String callerSkipReason(Transport t, Scenario s) {
        if (!t.multiClient()) {
            return SINGLE_CLIENT_PEER;
        }
        boolean many = s.value() > 4 || s.kind() == Scenario.Kind.VIRTUAL_THREADS;
        if (t.spins() && (many || s.value() > 2)) {
            return "spinning callers would outnumber the vCPUs";
        }
        if (many && !t.manyCallers()) {
            return "more than 4 callers run only for shmipc and the socket peers (keeps the run short)";
        }
        return null;
    }

    private void clients(Transport t, String endpoint, long serverPid, int count, List<Scenario> scenarios)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                t.id(),
                endpoint,
                Long.toString(serverPid),
                Long.toString(options.measureMillis()),
                Long.toString(options.warmupCapMillis()),
                Long.toString(Math.max(options.warmupMinMillis(), t.warmupMinMillis()))));
        scenarios.forEach(s -> args.add(s.token()));
        List<ChildJvm> clients = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                clients.add(ChildJvm.start("client", args, childLog(t, "client")));
            }
            for (ChildJvm c : clients) {
                // Each shape (payload size) warms up on its own, up to the cap.
                String warmed =
                        c.awaitLine(ChildJvm.WARMED, options.warmupCapMillis() * (scenarios.size() + 1) + 60_000);
                if (warmed.contains("levelled=false")) {
                    log(
                            "  %s: latency had not levelled off when the warm-up cap was reached (see its client log);"
                                    + " its scenarios are flagged as still warming",
                            t.id());
                }
            }
            clients.forEach(c -> c.send(ChildJvm.GO));
            long timeout = 60_000
                    + scenarios.size() * (options.measureMillis() * 2 + 2_000)
                    + (scenarios.stream().anyMatch(s -> s.kind() == Scenario.Kind.IDLE) ? options.idleMillis() : 0);
            Map<Scenario, List<ScenarioResult>> byScenario = new LinkedHashMap<>();
            for (ChildJvm c : clients) {
                for (String line = c.nextLine(timeout); !line.startsWith(ChildJvm.DONE); line = c.nextLine(timeout)) {
                    if (line.startsWith(ScenarioResult.PREFIX)) {
                        ScenarioResult r = ScenarioResult.parse(line);
                        byScenario
                                .computeIfAbsent(r.scenario(), s -> new ArrayList<>())
                                .add(r);
                    }
                }
            }
            byScenario.forEach((s, results) -> store.add(t.id(), s, results));
        } finally {
            clients.forEach(ChildJvm::close);
        }
    }

    /**
     * @return a log file of its own for one child JVM: the child's protocol lines are read back from its
     *     log, so two children sharing one (several client processes, or a later session) would read
     *     each other's results
     */
    private Path childLog(Transport t, String role) {
        return logs.resolve(t.id() + "-" + role + "-" + childLogs.incrementAndGet() + ".log");
    }

    /** Child logs are appended to within a run, so a new run starts them afresh. */
    private void clearOldLogs() throws IOException {
        if (Files.isDirectory(logs)) {
            try (DirectoryStream<Path> old = Files.newDirectoryStream(logs, "*.log")) {
                for (Path log : old) {
                    Files.delete(log);
                }
            }
        }
    }

    static void log(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
