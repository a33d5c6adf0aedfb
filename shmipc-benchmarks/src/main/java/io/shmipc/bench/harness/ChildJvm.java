package io.shmipc.bench.harness;

import io.shmipc.bench.BenchMain;
import io.shmipc.testing.ChildProcessException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A benchmark server or client JVM started from the same java binary and class path as this one, and
 * the line protocol the orchestrator speaks with it (READY, WARMED, GO, DONE, FAILED, results).
 *
 * <p>Starting, logging and clean-up are {@link io.shmipc.testing.ChildJvm}'s, the same as every test's
 * children: the output goes to the run's log file, and no child outlives the orchestrator. This class
 * adds only what is the benchmark's own: its JVM options and its protocol.
 */
final class ChildJvm implements AutoCloseable {

    static final String READY = "READY";
    static final String FAILED = "FAILED";
    static final String WARMED = "WARMED";
    static final String GO = "GO";
    static final String DONE = "DONE";
    private static final Set<String> PROTOCOL = Set.of(READY, FAILED, WARMED, DONE, ScenarioResult.PREFIX);

    /** How long a child may take to exit after its input closes before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final io.shmipc.testing.ChildJvm child;

    private ChildJvm(io.shmipc.testing.ChildJvm child) {
        this.child = child;
    }

    static ChildJvm start(String role, List<String> args, Path log) {
        List<String> roleAndArgs = new ArrayList<>();
        roleAndArgs.add(role);
        roleAndArgs.addAll(args);
        return new ChildJvm(io.shmipc.testing.ChildJvm.main(BenchMain.class, roleAndArgs.toArray(String[]::new))
                .label(role)
                .jvmOptions(
                        // Agrona 2 reaches memory through jdk.internal.misc.Unsafe, which the JDK exports only on
                        // request.
                        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                        // The warm-up reads the server JVM's JIT counter through jvmstat (JitActivity).
                        "--add-modules=jdk.internal.jvmstat",
                        "--add-exports=jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED",
                        // A shared class-data archive, made on the first start, takes seconds off every later JVM
                        // start.
                        "-XX:+AutoCreateSharedArchive",
                        "-XX:SharedArchiveFile=" + log.toAbsolutePath().resolveSibling("bench-cds.jsa"),
                        "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off",
                        "-Xms256m",
                        "-Xmx1g")
                .logFile(log)
                .start());
    }

    long pid() {
        return child.pid();
    }

    /**
     * Waits for the next protocol line whose first word is {@code word}, dropping others.
     *
     * @throws ChildFailedException when the child says FAILED, dies, or stays silent past the timeout
     */
    String awaitLine(String word, long timeoutMillis) throws ChildFailedException {
        long deadline = System.nanoTime() + Duration.ofMillis(timeoutMillis).toNanos();
        while (true) {
            String line = nextLine(
                    Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
            if (line.startsWith(word)) {
                return line;
            }
        }
    }

    /**
     * Waits for the next protocol line of any kind.
     *
     * @throws ChildFailedException when the child says FAILED, dies, or stays silent past the timeout
     */
    String nextLine(long timeoutMillis) throws ChildFailedException {
        String line;
        try {
            line = child.awaitLine(ChildJvm::isProtocol, Duration.ofMillis(timeoutMillis));
        } catch (ChildProcessException e) {
            throw new ChildFailedException(
                    (child.isAlive() ? "silent for " + timeoutMillis + " ms" : "exited") + "; see " + child.log());
        }
        if (line.startsWith(FAILED)) {
            throw new ChildFailedException(line.substring(FAILED.length()).trim());
        }
        return line;
    }

    private static boolean isProtocol(String line) {
        int space = line.indexOf(' ');
        return PROTOCOL.contains(space < 0 ? line : line.substring(0, space));
    }

    void send(String line) {
        child.send(line);
    }

    /** Closes stdin (the stop signal), waits briefly, then kills. */
    @Override
    public void close() {
        child.stop(STOP_GRACE);
    }

    /** A child that failed to do its part; the message says how, for the "not run" note. */
    static final class ChildFailedException extends Exception {
        ChildFailedException(String message) {
            super(message);
        }
    }
}
