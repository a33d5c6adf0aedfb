package io.shmipc.sample.client;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An executable jar running in its own JVM, its output going to a log file that tests read line by
 * line to synchronise on what the application prints. A file rather than a pipe: the JDK closes a
 * child's pipe when the child exits, racing a reader for the last lines (the shutdown output).
 */
final class JarProcess implements AutoCloseable {

    private static final Pattern HTTP_PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final int TAIL_LINES = 40;

    private final String label;
    private final Process process;
    private final Path log;

    private JarProcess(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java -jar jar args} with the JVM running this test (JDK 25 under the toolchain).
     * No {@code --enable-native-access} flag: the jar's manifest must carry it.
     */
    static JarProcess start(String label, Path jar, Path logDirectory, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Files.createDirectories(logDirectory);
        Path log = Files.createTempFile(logDirectory, label + "-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new JarProcess(label, process, log);
    }

    /** @return the complete lines printed so far (a line still being written is left out) */
    List<String> lines() {
        String output;
        try {
            output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        List<String> lines = output.lines().toList();
        return output.isEmpty() || output.endsWith("\n") ? lines : lines.subList(0, lines.size() - 1);
    }
    /** @return how many lines were printed so far; a mark for {@link #awaitLine(int, Predicate, Duration)} */
    int lineCount() {
        return lines().size();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for a line matching the condition anywhere in the output. */
    String awaitLine(Predicate<String> condition, Duration timeout) {
        return awaitLine(0, condition, timeout);
    }

    /**
     * Waits for a line matching the condition printed at or after line {@code from}.
     *
     * @return the first such line
     * @throws AssertionError with the output's tail when the time is up or the process ends without it
     */
    String awaitLine(int from, Predicate<String> condition, Duration timeout) {
        try {
            return await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> {
                                String found = find(from, condition);
                                // Re-read after seeing the process gone: it may have printed the line just before
                                // exiting.
                                if (found == null && !process.isAlive() && find(from, condition) == null) {
                                    throw new AssertionError(label + " exited with " + process.exitValue()
                                            + " before printing the expected line\n" + tail());
                                }
                                return found;
                            },
                            line -> line != null);
        } catch (ConditionTimeoutException ex) {
            throw new AssertionError(label + " did not print the expected line within " + timeout + "\n" + tail(), ex);
        }
    }

    private String find(int from, Predicate<String> condition) {
        List<String> snapshot = lines();
        for (int i = from; i < snapshot.size(); i++) {
            if (condition.test(snapshot.get(i))) {
                return snapshot.get(i);
            }
        }
        return null;
    }

    /** @return the HTTP port Tomcat reported (the apps run with server.port=0) */
    int awaitHttpPort(Duration timeout) {
        Matcher matcher =
                HTTP_PORT.matcher(awaitLine(line -> HTTP_PORT.matcher(line).find(), timeout));
        if (!matcher.find()) {
            throw new IllegalStateException("unreachable: the line matched before");
        }
        return Integer.parseInt(matcher.group(1));
    }

    /**
     * Waits for the process to end.
     *
     * @return the exit code
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(label + " still running after " + timeout + "\n" + tail());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM: Spring closes the context gracefully. */
    void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL and waits until the process is gone: a crash, no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** @return the last lines of output, for failure messages */
    String tail() {
        List<String> snapshot = lines();
        return String.join("\n", snapshot.subList(Math.max(0, snapshot.size() - TAIL_LINES), snapshot.size()));
    }

    /** Kills the process if it still runs; a test's leftovers must not outlive it. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
