package io.shmipc.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes sure no child outlives this JVM. Two layers:
 * <ul>
 *   <li>a shutdown hook kills every child still registered, and its descendants, when this JVM exits
 *       normally, on {@code System.exit} or on SIGTERM/SIGINT (surefire's fork timeout, Ctrl-C);</li>
 *   <li>where {@code setpriv} exists, each child starts under {@code setpriv --pdeathsig KILL}, so the
 *       kernel kills it even when this JVM is killed with SIGKILL and no hook runs.</li>
 * </ul>
 * The kernel sends the parent-death signal when the <em>thread</em> that forked the child ends, not
 * the process: every child is therefore started from one launcher thread that lives as long as this
 * JVM, never from a test's thread (which may be a short-lived pool thread).
 */
final class ChildReaper {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

    /** One thread, never retired: a thread pool's core thread does not time out by default. */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(
            task -> Thread.ofPlatform().daemon().name("shmipc-child-launcher").unstarted(task));

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        Thread.ofPlatform().name("shmipc-child-reaper").unstarted(() -> LIVE.forEach(ChildJvm::reap)));
    }

    private ChildReaper() {}

    /**
     * @return the command words that make the kernel kill the child when this JVM dies, or none where
     *     {@code setpriv} is missing (the shutdown hook still covers every exit but SIGKILL)
     */
    static List<String> deathSignalPrefix() {
        return Files.isExecutable(SETPRIV) ? List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--") : List.of();
    }

    /**
     * Starts the process on the launcher thread.
     *
     * @param builder the process to start
     * @return the started process
     * @throws java.io.IOException when it cannot start
     */
    static Process launch(ProcessBuilder builder) throws java.io.IOException {
        Future<Process> started = LAUNCHER.submit(builder::start);
        try {
            return started.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.io.IOException io) {
                throw io;
            }
            throw new IllegalStateException("cannot start " + builder.command(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.cancel(false);
            throw new IllegalStateException("interrupted while starting " + builder.command(), e);
        }
    }

    static void register(ChildJvm child) {
        LIVE.add(child);
    }

    static void unregister(ChildJvm child) {
        LIVE.remove(child);
    }
}
