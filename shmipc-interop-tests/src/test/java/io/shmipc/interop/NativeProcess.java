package io.shmipc.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running C program (the shmipc-call tool or the test driver): its stdout and stderr lines are
 * collected, commands go to its stdin. {@link #close()} kills it if it still runs.
 */
final class NativeProcess implements AutoCloseable {

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private NativeProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stdoutReader = collect(process, process.getInputStream(), line -> {
            stdout.add(line);
            lines.add(line);
        });
        this.stderrReader = collect(process, process.getErrorStream(), stderr::add);
    }

    /**
     * @param command the program and its arguments
     * @return the started process
     */
    static NativeProcess start(List<String> command) {
        try {
            return new NativeProcess(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    private static Thread collect(
            Process process, java.io.InputStream stream, java.util.function.Consumer<String> sink) {
        return Thread.ofPlatform().daemon().name("native-" + process.pid()).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    long pid() {
        return process.pid();
    }

    /** @param command a line for the program's stdin */
    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid() + " no longer reads commands; stderr: " + stderr, e);
        }
    }

    /** Closes the program's stdin, so that a program reading it to the end goes on. */
    void closeInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot close the stdin of process " + pid(), e);
        }
    }

    /** @return the next stdout line, waiting up to {@code timeout} */
    String nextLine(Duration timeout) {
        try {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("process " + pid() + " (alive: " + process.isAlive()
                        + ") printed no line within " + timeout + "; stdout " + stdout + ", stderr " + stderr);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for the exit and for its output to be read. @return the exit code */
    int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process " + pid() + " did not exit within " + timeout + "; stdout " + stdout
                        + ", stderr " + stderr);
            }
            stdoutReader.join(timeout.toMillis());
            stderrReader.join(timeout.toMillis());
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SIGKILL, then wait until it is gone. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    String stdout() {
        synchronized (stdout) {
            return String.join("\n", stdout);
        }
    }

    String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
