package io.shmipc.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real, separate JVM running a main class from the test classpath, for tests that need processes.
 * Its stdout lines are collected for {@link #awaitLine}; commands go to its stdin. Children exit on
 * stdin EOF, so they do not outlive a test JVM that dies; {@link #close()} kills them anyway.
 */
public final class ChildJvm implements AutoCloseable {

    /** Marker on every child's command line, so CI can sweep leftovers. */
    public static final String MARKER = "-Dshmipc-test-child=true";

    private static final ConcurrentLinkedQueue<ChildJvm> ALL = new ConcurrentLinkedQueue<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(child -> child.process.destroyForcibly())));
    }

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> history = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;

    private ChildJvm(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = Thread.ofPlatform()
                .daemon()
                .name("child-" + process.pid() + "-stdout")
                .start(() -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = out.readLine()) != null; ) {
                            history.add(line);
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
        reader.setUncaughtExceptionHandler((t, e) -> {});
        ALL.add(this);
    }

    /**
     * Starts {@code mainClass} in a new JVM with the same java binary and classpath.
     *
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(List.of(), System.getProperty("java.class.path"), mainClass, args);
    }

    /**
     * Starts {@code mainClass} in a new JVM run through {@code wrapper}, e.g. {@code setpriv ...} to
     * run it as another user.
     *
     * @param wrapper command words put before the java binary, may be empty
     * @param classPath the child's class path
     * @param mainClass the class whose main runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(List<String> wrapper, String classPath, Class<?> mainClass, String... args) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(
                java,
                MARKER,
                "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-XX:+UseSerialGC",
                "-Xmx128m",
                "-cp",
                classPath,
                mainClass.getName()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new ChildJvm(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    /** @return the child's pid */
    public long pid() {
        return process.pid();
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /**
     * Waits for the next stdout line that matches, skipping others.
     *
     * @param matcher what to wait for
     * @param timeout how long at most
     * @return the line
     * @throws AssertionError when it did not come, with what the child printed
     */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long remaining = deadline - System.nanoTime();
                String line = remaining <= 0 ? null : lines.poll(remaining, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("child " + pid() + " (alive: " + process.isAlive()
                            + ") printed no matching line within " + timeout + "; it printed: " + history);
                }
                if (matcher.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** @param prefix line prefix @return the line that starts with it, waiting up to 60 s */
    public String awaitLine(String prefix) {
        return awaitLine(line -> line.startsWith(prefix), Duration.ofSeconds(60));
    }

    /** @param command a line for the child's stdin */
    public void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("child " + pid() + " no longer reads commands", e);
        }
    }

    /**
     * Sends SIGSTOP (there is no Java API for it) and waits until the kernel reports the process
     * stopped, so that the caller knows it no longer runs. {@link #close()} resumes it before killing.
     */
    public void suspend() {
        signal("STOP");
        stopped = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"T".equals(procState()) && process.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("child " + pid() + " is not stopped after SIGSTOP; state " + procState());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling /proc
        }
    }

    /** Sends SIGCONT. */
    public void resume() {
        signal("CONT");
        stopped = false;
    }

    /** @return the state letter of /proc/PID/stat (R, S, T, ...), or null when it cannot be read */
    private String procState() {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends SIGKILL and waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /**
     * @param timeout how long at most
     * @return the exit code
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        "child " + pid() + " did not exit within " + timeout + "; it printed: " + history);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** @return every line printed so far */
    public List<String> output() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() {
        if (stopped && process.isAlive()) {
            resume();
        }
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ALL.remove(this);
    }
}
