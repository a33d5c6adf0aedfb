package io.shmipc.testing;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A real, separate JVM — a main class from this JVM's class path, or an executable jar — for tests and
 * harnesses that need processes.
 *
 * <p>Its standard output and error go to a log file (kept after the test for a person to read) and are
 * read back as lines for {@link #awaitLine}; commands go to its standard input. It never outlives the
 * JVM that started it: {@link #close()} kills it and its descendants, a shutdown hook kills whatever is
 * still running when this JVM exits, and where {@code setpriv} exists the kernel kills it if this JVM
 * is killed outright (see {@link ChildReaper}). Files it may leave behind (a region in {@code /dev/shm}
 * after a kill) are removed on close when named with {@link Builder#removeOnClose}.
 *
 * <p>Waiting methods throw {@link ChildProcessException} with the tail of the output when the child
 * does not do what was expected; in a test, that fails the test with the child's own words.
 */
public final class ChildJvm implements AutoCloseable {

    /** Marker on every child's command line, so a person (or CI) can find leftovers. */
    public static final String MARKER = "-Dshmipc-test-child=true";

    /** Options for small, short-lived children: quick start, little memory, one GC thread. */
    public static final List<String> LIGHT_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx128m");

    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_LINE_WAIT = Duration.ofSeconds(60);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String label;
    private final Process process;
    private final Writer stdin;
    private final OutputLog output;
    private final List<Path> removeOnClose;
    private final Object cursorLock = new Object();
    private int cursor; // guarded by cursorLock: lines before it were consumed by awaitLine
    private volatile boolean suspended;

    private ChildJvm(String label, Process process, Path log, List<Path> removeOnClose) {
        this.label = label;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.output = new OutputLog(log, process::isAlive, "child-" + process.pid() + "-output");
        this.removeOnClose = List.copyOf(removeOnClose);
        ChildReaper.register(this);
    }

    /**
     * Describes a JVM that runs {@code mainClass} from this JVM's class path.
     *
     * @param mainClass the class whose {@code main} runs
     * @param args its arguments
     * @return a builder; {@link Builder#start()} starts it
     */
    public static Builder main(Class<?> mainClass, String... args) {
        return new Builder(mainClass.getSimpleName(), List.of(mainClass.getName()), List.of(args), true);
    }

    /**
     * Describes {@code java -jar jar args}. No {@code --enable-native-access} flag is added: an
     * application jar's manifest must carry it, as users run it.
     *
     * @param jar the executable jar
     * @param args its arguments
     * @return a builder; {@link Builder#start()} starts it
     */
    public static Builder jar(Path jar, String... args) {
        String label = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        return new Builder(label, List.of("-jar", jar.toString()), List.of(args), false);
    }

    /**
     * Starts {@code mainClass} in a small JVM ({@link #LIGHT_OPTIONS}) with this JVM's class path.
     *
     * @param mainClass the class whose {@code main} runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return main(mainClass, args).jvmOptions(LIGHT_OPTIONS).start();
    }

    /**
     * Starts {@code mainClass} in a small JVM run through {@code wrapper}, e.g. {@code setpriv ...} to
     * run it as another user.
     *
     * @param wrapper command words put before the java binary, may be empty
     * @param classPath the child's class path
     * @param mainClass the class whose {@code main} runs
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(List<String> wrapper, String classPath, Class<?> mainClass, String... args) {
        return main(mainClass, args)
                .wrapper(wrapper)
                .classPath(classPath)
                .jvmOptions(LIGHT_OPTIONS)
                .start();
    }

    /**
     * The name given to the child in log file names and messages.
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * The child's process id.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The child's process, for what this class does not offer.
     *
     * @return the process
     */
    public Process process() {
        return process;
    }

    /**
     * Whether the child still runs.
     *
     * @return true while it runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The file that holds everything the child printed, standard output and error.
     *
     * @return the log file
     */
    public Path log() {
        return output.file();
    }

    /**
     * Every complete line the child printed so far.
     *
     * @return a snapshot of the lines
     */
    public List<String> lines() {
        return output.lines();
    }

    /**
     * How many complete lines the child printed so far: a mark for {@link #awaitLine(int, Predicate,
     * Duration)}.
     *
     * @return the line count
     */
    public int lineCount() {
        return output.size();
    }

    /**
     * Waits for the next line that matches, after those an earlier call of this method returned or
     * skipped: successive calls read the output in order, like a queue.
     *
     * @param matcher what to wait for
     * @param timeout how long at most
     * @return the line
     * @throws ChildProcessException when it did not come in time or the child ended without it
     */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        synchronized (cursorLock) {
            int index = find(cursor, matcher, timeout);
            cursor = index + 1;
            return output.lines().get(index);
        }
    }

    /**
     * Waits up to 60 seconds for the next line that starts with {@code prefix}, as
     * {@link #awaitLine(Predicate, Duration)} does.
     *
     * @param prefix how the line starts
     * @return the line
     * @throws ChildProcessException when it did not come in time or the child ended without it
     */
    public String awaitLine(String prefix) {
        return awaitLine(line -> line.startsWith(prefix), DEFAULT_LINE_WAIT);
    }

    /**
     * Waits for a line that matches, printed at or after line {@code from} (from {@link #lineCount()});
     * does not move the position {@link #awaitLine(Predicate, Duration)} reads from.
     *
     * @param from the index of the first line to look at
     * @param matcher what to wait for
     * @param timeout how long at most
     * @return the first such line
     * @throws ChildProcessException when it did not come in time or the child ended without it
     */
    public String awaitLine(int from, Predicate<String> matcher, Duration timeout) {
        int index = find(from, matcher, timeout); // before reading the lines: they grow while it waits
        return output.lines().get(index);
    }

    private int find(int from, Predicate<String> matcher, Duration timeout) {
        int index;
        try {
            index = output.await(from, matcher, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChildProcessException(describe() + ": interrupted while waiting for a line", e);
        }
        if (index < 0) {
            String why = process.isAlive()
                    ? "printed no matching line within " + timeout
                    : "exited with " + process.exitValue() + " without printing a matching line";
            throw new ChildProcessException(describe() + " " + why + "; last lines:\n" + tail());
        }
        return index;
    }

    /**
     * Writes a line to the child's standard input.
     *
     * @param command the line, without its line break
     * @throws ChildProcessException when the child no longer reads its input
     */
    public void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new ChildProcessException(describe() + " no longer reads commands", e);
        }
    }

    /**
     * Closes the child's standard input: children that read commands take the end of input as "stop".
     */
    public void closeInput() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // The child ended already: its input is closed either way.
        }
    }

    /**
     * Sends SIGSTOP (there is no Java API for it) and waits until the kernel reports the process
     * stopped, so that the caller knows it no longer runs. {@link #close()} resumes it before killing.
     */
    public void suspend() {
        signal("STOP");
        suspended = true;
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (!"T".equals(procState()) && process.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                throw new ChildProcessException(describe() + " is not stopped after SIGSTOP; state " + procState());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the kernel offers no wait for "stopped"
        }
    }

    /** Sends SIGCONT to a child stopped by {@link #suspend()}. */
    public void resume() {
        signal("CONT");
        suspended = false;
    }

    /** Sends SIGTERM: a JVM runs its shutdown hooks (Spring closes its context) and exits. */
    public void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL to the child and its descendants and waits until it is gone: a crash, no hook runs. */
    public void kill() {
        destroyNow();
        waitFor(KILL_WAIT);
    }

    /**
     * Waits for the child to exit, and for its last lines to be read.
     *
     * @param timeout how long at most
     * @return the exit code
     * @throws ChildProcessException when it still runs after the timeout
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ChildProcessException(
                        describe() + " still runs after " + timeout + "; last lines:\n" + tail());
            }
            output.awaitFinished(timeout);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChildProcessException(describe() + ": interrupted while waiting for the exit", e);
        }
    }

    /**
     * Stops the child politely: closes its input and waits up to {@code grace} for it to exit, then kills
     * it.
     *
     * @param grace how long it may take to exit on its own
     */
    public void stop(Duration grace) {
        closeInput();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                output.awaitFinished(KILL_WAIT); // its last lines, for whoever reads them after the stop
            } else {
                kill();
            }
        } catch (InterruptedException e) {
            destroyNow();
            Thread.currentThread().interrupt();
        }
        close();
    }

    /**
     * The last lines of output, for failure messages.
     *
     * @return up to 40 lines joined by newlines
     */
    public String tail() {
        return output.tail();
    }

    /** Kills the child (and its descendants) if it still runs, and removes the files named to remove. */
    @Override
    public void close() {
        if (suspended && process.isAlive()) {
            resume();
        }
        if (process.isAlive()) {
            destroyNow();
            try {
                process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeInput();
        removeFiles();
        ChildReaper.unregister(this);
    }

    /** SIGKILL to the descendants first (they are no longer descendants once the child is gone), then the child. */
    private void destroyNow() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** What the shutdown hook does: kill, wait a little for the exit, remove the named files. */
    void reap() {
        destroyNow();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeFiles();
    }

    private void removeFiles() {
        for (Path file : removeOnClose) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Best effort: a file another process still uses is not ours to fight over.
            }
        }
    }

    private String describe() {
        return "child " + label + " (pid " + pid() + ", log " + log() + ")";
    }

    private String procState() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new ChildProcessException("kill -" + signal + " " + pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ChildProcessException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChildProcessException("interrupted while running kill -" + signal, e);
        }
    }

    /** What to start, and how; {@link #start()} starts it. */
    public static final class Builder {

        private String label;
        private final List<String> target;
        private final List<String> args;
        private final boolean nativeAccess;
        private List<String> wrapper = List.of();
        private List<String> jvmOptions = List.of();
        private String classPath = System.getProperty("java.class.path");
        private Path logDirectory = defaultLogDirectory();
        private Path logFile;
        private final List<Path> removeOnClose = new ArrayList<>();

        private Builder(String label, List<String> target, List<String> args, boolean nativeAccess) {
            this.label = label;
            this.target = target;
            this.args = args;
            this.nativeAccess = nativeAccess;
        }

        /**
         * Names the child in its log file's name and in messages.
         *
         * @param label a short name, e.g. "server"
         * @return this builder
         */
        public Builder label(String label) {
            this.label = Objects.requireNonNull(label, "label");
            return this;
        }

        /**
         * Sets the JVM options (heap, GC, system properties), replacing earlier ones.
         *
         * @param options the options, each a separate word
         * @return this builder
         */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /**
         * Sets the JVM options (heap, GC, system properties), replacing earlier ones.
         *
         * @param options the options, each a separate word
         * @return this builder
         */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        /**
         * Puts command words before the java binary, e.g. {@code setpriv --reuid=nobody}.
         *
         * @param wrapper the words, may be empty
         * @return this builder
         */
        public Builder wrapper(List<String> wrapper) {
            this.wrapper = List.copyOf(wrapper);
            return this;
        }

        /**
         * Sets the class path of a main-class child (default: this JVM's).
         *
         * @param classPath the class path
         * @return this builder
         */
        public Builder classPath(String classPath) {
            this.classPath = Objects.requireNonNull(classPath, "classPath");
            return this;
        }

        /**
         * Sets the directory for the log file (default: {@code target/child-logs} under the working
         * directory when {@code target} exists, else {@code shmipc-child-logs} in the temp directory).
         *
         * @param directory where the log goes; created when missing
         * @return this builder
         */
        public Builder logDirectory(Path directory) {
            this.logDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Sets the log file itself; output is appended when it exists.
         *
         * @param file the log file
         * @return this builder
         */
        public Builder logFile(Path file) {
            this.logFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Names a file the child may leave behind when killed (a region in {@code /dev/shm}): it is
         * deleted when the child is closed, killed, or reaped as this JVM exits.
         *
         * @param file the file to delete
         * @return this builder
         */
        public Builder removeOnClose(Path file) {
            removeOnClose.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        /**
         * Starts the child.
         *
         * @return the running child
         * @throws UncheckedIOException when it cannot start or its log cannot be created
         */
        public ChildJvm start() {
            List<String> command = new ArrayList<>(wrapper);
            // After the wrapper: a wrapper that changes the user would clear the parent-death signal.
            command.addAll(ChildReaper.deathSignalPrefix());
            command.add(javaBinary());
            command.add(MARKER);
            if (nativeAccess) {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.addAll(jvmOptions);
            if (target.getFirst().equals("-jar")) {
                command.addAll(target);
            } else {
                command.add("-cp");
                command.add(classPath);
                command.addAll(target);
            }
            command.addAll(args);
            try {
                Path log = logFile != null ? logFile : newLogFile();
                Files.createDirectories(log.toAbsolutePath().getParent());
                Process process = ChildReaper.launch(new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
                return new ChildJvm(label, process, log, removeOnClose);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }

        private Path newLogFile() {
            return logDirectory.resolve(
                    label + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + ".log");
        }

        private static String javaBinary() {
            return ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString());
        }

        private static Path defaultLogDirectory() {
            Path target = Path.of("target");
            return Files.isDirectory(target)
                    ? target.resolve("child-logs")
                    : Path.of(System.getProperty("java.io.tmpdir"), "shmipc-child-logs");
        }
    }
}
