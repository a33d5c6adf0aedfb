package io.shmipc.bench.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How much to measure. {@code --quick} (the default) fits in about three minutes; {@code --full} runs
 * longer windows, more rounds and every client count.
 *
 * @param profile "quick" or "full"
 * @param rounds interleaved rounds; every transport runs once per round, in a rotated order
 * @param measureMillis window per scenario per round
 * @param warmupCapMillis longest warm-up of one call shape (payload size) while waiting for its latency to
 *     level off; a shape still falling at the cap has its scenarios flagged as still warming
 * @param warmupMinMillis shortest warm-up of one call shape; transports may ask for more
 *     ({@link io.shmipc.bench.transport.Transport#warmupMinMillis()})
 * @param idleMillis window of the idle-CPU scenario (run in the last round only)
 * @param extrasEveryRound false to run only the echo payload scenarios in rounds before the last,
 *                         which keeps the quick profile short
 * @param payloads echo payload sizes
 * @param zeroCopyPayloads sizes for the byte[] versus zero-copy comparison
 * @param threadCounts client threads in one process, sharing one client
 * @param virtualThreadCounts client virtual threads in one process, sharing one client
 * @param processCounts client processes at once (1 is the plain echo)
 * @param transports ids to run, empty for all
 * @param scenarioKinds scenario kinds to run by token ({@code echo}, {@code threads}, {@code vthreads}, ...),
 *                      empty for all
 * @param outputDir where results.json, results.md, latency.svg and the child logs go
 * @param commandLine how this run was started, for the report
 */
public record BenchOptions(
        String profile,
        int rounds,
        long measureMillis,
        long warmupCapMillis,
        long warmupMinMillis,
        long idleMillis,
        boolean extrasEveryRound,
        List<Integer> payloads,
        List<Integer> zeroCopyPayloads,
        List<Integer> threadCounts,
        List<Integer> virtualThreadCounts,
        List<Integer> processCounts,
        Set<String> transports,
        Set<String> scenarioKinds,
        Path outputDir,
        String commandLine) {

    private static final List<Integer> PAYLOADS = List.of(64, 4096, 65536, 1 << 20);
    private static final List<Integer> ZERO_COPY_PAYLOADS = List.of(65536, 1 << 20);
    /** Issue 12's scaling scenarios: threads-N and virtual-threads-N of one client process. */
    private static final List<Integer> THREADS = List.of(1, 2, 4, 16, 64);

    private static final List<Integer> VIRTUAL_THREADS = List.of(64, 1000);

    public static BenchOptions parse(String[] args) {
        boolean full = List.of(args).contains("--full");
        int rounds = full ? 5 : 2;
        long measure = full ? 2000 : 200;
        long warmupCap = full ? 15_000 : 4_000;
        long warmupMin = full ? 2_000 : 600;
        long idle = full ? 10_000 : 2_000;
        List<Integer> processes = full ? List.of(2, 3, 4) : List.of(2);
        Set<String> transports = Set.of();
        Set<String> scenarioKinds = Set.of();
        Path out = Path.of("shmipc-benchmarks", "target");
        List<Integer> threads = THREADS;
        List<Integer> virtualThreads = VIRTUAL_THREADS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick", "--full" -> {}
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--measure-ms" -> measure = Long.parseLong(args[++i]);
                case "--idle-ms" -> idle = Long.parseLong(args[++i]);
                case "--transports" -> transports = Set.of(args[++i].split(","));
                case "--scenarios" -> scenarioKinds = Set.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                case "--threads" -> threads = counts(args[++i]);
                case "--virtual-threads" -> virtualThreads = counts(args[++i]);
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i]
                                    + "; use --quick | --full [--rounds N] [--measure-ms N] [--idle-ms N] [--transports a,b] [--scenarios echo,threads,vthreads,...] [--threads 1,2,4] [--virtual-threads 64,1000] [--out DIR]");
            }
        }
        String command =
                System.getProperty("bench.command", "java -jar shmipc-benchmarks.jar " + String.join(" ", args));
        return new BenchOptions(
                full ? "full" : "quick",
                rounds,
                measure,
                warmupCap,
                warmupMin,
                idle,
                full,
                PAYLOADS,
                ZERO_COPY_PAYLOADS,
                threads,
                virtualThreads,
                processes,
                transports,
                scenarioKinds,
                out,
                command);
    }

    /** Parses a comma-separated list of thread counts, each at least 1. */
    private static List<Integer> counts(String list) {
        List<Integer> counts = java.util.Arrays.stream(list.split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        if (counts.isEmpty() || counts.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("thread counts must be 1 or more, comma-separated: " + list);
        }
        return counts;
    }

    boolean selectedScenario(Scenario scenario) {
        return scenarioKinds.isEmpty() || scenarioKinds.contains(scenario.kind().token);
    }

    /** @return true when {@code --transports} names this transport explicitly */
    boolean named(String transportId) {
        return transports.contains(transportId);
    }

    boolean selected(String transportId) {
        return transports.isEmpty() || transports.contains(transportId);
    }
}
