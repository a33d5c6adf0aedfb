package io.shmipc.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The lines a child has written to its log file, read as they come by a tailing thread, with waits for
 * a line that matches.
 *
 * <p>The child writes to a file rather than a pipe: the file stays for a person to read after the test,
 * and a file has no end-of-process race (a pipe reader may lose the last lines a dying child printed).
 * The tailer reads once more after it sees the child gone, so every line written before the exit is
 * read.
 */
final class OutputLog {

    private static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int TAIL_LINES = 40;

    private final Path file;
    private final BooleanSupplier alive;
    private final List<String> lines = new ArrayList<>(); // guarded by this
    private boolean finished; // guarded by this

    OutputLog(Path file, BooleanSupplier alive, String threadName) {
        this.file = file;
        this.alive = alive;
        Thread.ofPlatform().daemon().name(threadName).start(this::follow);
    }

    Path file() {
        return file;
    }

    private void follow() {
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long pollNanos = MIN_POLL_NANOS;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int read = in.read(buffer);
                if (read > 0) {
                    split(buffer, read, partial);
                    pollNanos = MIN_POLL_NANOS;
                    continue;
                }
                if (!alive.getAsBoolean()) {
                    // Gone: whatever it wrote before exiting is in the file now; read it all.
                    while ((read = in.read(buffer)) > 0) {
                        split(buffer, read, partial);
                    }
                    if (partial.size() > 0) {
                        add(partial.toString(StandardCharsets.UTF_8));
                    }
                    return;
                }
                // The child is quiet: back off to a 20 ms poll, which no test notices and costs little CPU.
                LockSupport.parkNanos(pollNanos);
                pollNanos = Math.min(MAX_POLL_NANOS, pollNanos * 2);
            }
        } catch (IOException e) {
            add("[shmipc-test-support: cannot read " + file + ": " + e + "]");
        } finally {
            synchronized (this) {
                finished = true;
                notifyAll();
            }
        }
    }

    private void split(byte[] buffer, int length, ByteArrayOutputStream partial) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (buffer[i] == '\n') {
                partial.write(buffer, start, i - start);
                String line = partial.toString(StandardCharsets.UTF_8);
                partial.reset();
                add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                start = i + 1;
            }
        }
        partial.write(buffer, start, length - start);
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized int size() {
        return lines.size();
    }

    /**
     * Waits for a line at index {@code from} or later that matches.
     *
     * @return the index of the first such line, or -1 when the time is up or the child ended without it
     */
    synchronized int await(int from, Predicate<String> matcher, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = from;
        while (true) {
            for (; next < lines.size(); next++) {
                if (matcher.test(lines.get(next))) {
                    return next;
                }
            }
            long remaining = deadline - System.nanoTime();
            if (finished || remaining <= 0) {
                return -1;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    /**
     * Waits until the tailer has read everything the ended child wrote.
     *
     * @param timeout how long at most
     */
    synchronized void awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!finished) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    /**
     * The last lines the child printed, for failure messages.
     *
     * @return up to 40 lines joined by newlines
     */
    synchronized String tail() {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }
}
