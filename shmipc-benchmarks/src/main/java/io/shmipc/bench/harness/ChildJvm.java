package io.shmipc.bench.harness;

import io.shmipc.bench.BenchMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server or client JVM started from the same java binary and class path as this one. Lines it
 * prints that start with a protocol word are queued for the orchestrator; everything else (and
 * stderr) goes to its log file.
 */
final class ChildJvm implements AutoCloseable {

    static final String READY = "READY";
    static final String FAILED = "FAILED";
    static final String WARMED = "WARMED";
    static final String GO = "GO";
    static final String DONE = "DONE";
    private static final Set<String> PROTOCOL = Set.of(READY, FAILED, WARMED, DONE, ScenarioResult.PREFIX);

    /** Every child still alive, so a shutdown hook can end them if the orchestrator is interrupted. */
    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildJvm::kill)));
    }

    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> protocolLines = new LinkedBlockingQueue<>();
    private final Path log;

    private ChildJvm(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Writer logWriter = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Thread.ofPlatform().daemon().name("child-stdout-" + process.pid()).start(() -> pump(logWriter));
    }

    static ChildJvm start(String role, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        // Agrona 2 reaches memory through jdk.internal.misc.Unsafe, which the JDK exports only on request.
        command.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        // A shared class-data archive, made on the first start, takes seconds off every later JVM start.
        command.add("-XX:+AutoCreateSharedArchive");
        command.add("-XX:SharedArchiveFile=" + log.getParent().resolve("bench-cds.jsa"));
        command.add("-Xlog:cds=off");
        command.add("-Xlog:cds+dynamic=off");
        command.add("-Xms256m");
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchMain.class.getName());
        command.add(role);
        command.addAll(args);
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ChildJvm child = new ChildJvm(process, log);
        LIVE.add(child);
        return child;
    }

    private void pump(Writer logWriter) {
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                logWriter) {
            String line;
            while ((line = out.readLine()) != null) {
                int space = line.indexOf(' ');
                String word = space < 0 ? line : line.substring(0, space);
                if (PROTOCOL.contains(word)) {
                    protocolLines.add(line);
                } else {
                    logWriter.write(line);
                    logWriter.write('\n');
                    logWriter.flush();
                }
            }
        } catch (IOException ignored) {
            // The child ended; its exit is noticed where lines are awaited.
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits for the next protocol line whose first word is {@code word}, dropping others.
     *
     * @throws ChildFailedException when the child says FAILED, dies, or stays silent past the timeout
     */
    String awaitLine(String word, long timeoutMillis) throws InterruptedException, ChildFailedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            String line = nextLine(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
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
    String nextLine(long timeoutMillis) throws InterruptedException, ChildFailedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            String line = protocolLines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (line.startsWith(FAILED)) {
                    throw new ChildFailedException(
                            line.substring(FAILED.length()).trim());
                }
                return line;
            }
            if (!process.isAlive() && protocolLines.isEmpty()) {
                throw new ChildFailedException("exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new ChildFailedException("silent for " + timeoutMillis + " ms; see " + log);
            }
        }
    }

    void send(String line) {
        stdin.println(line);
    }

    /** Closes stdin (the stop signal), waits briefly, then kills. */
    @Override
    public void close() {
        stdin.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    private void kill() {
        process.destroyForcibly();
    }

    /** A child that failed to do its part; the message says how, for the "not run" note. */
    static final class ChildFailedException extends Exception {
        ChildFailedException(String message) {
            super(message);
        }
    }
}
