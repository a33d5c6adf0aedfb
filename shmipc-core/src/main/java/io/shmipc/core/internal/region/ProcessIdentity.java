package io.shmipc.core.internal.region;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Who a process is, in a form another process can check: pid, a start token that tells a pid's
 * reuse apart, and the pid namespace the pid means something in.
 *
 * <p>Why not timestamps: {@link System#nanoTime()} is not comparable across processes, and
 * processes in different containers sharing {@code /dev/shm} see different pids. A pid is only
 * checked when both sides are in the same pid namespace; otherwise the heartbeat decides alone.
 *
 * @param pid the process id
 * @param startToken the start time in clock ticks since boot from {@code /proc/<pid>/stat}, or the
 *                   start instant in milliseconds where there is no {@code /proc}
 * @param pidNamespace the inode of {@code /proc/self/ns/pid}, or 0 when unknown
 */
public record ProcessIdentity(long pid, long startToken, long pidNamespace) {

    /** What the OS says about a recorded process. */
    public enum Verdict {
        /** It exists and is not stopped. */
        ALIVE,
        /** It exists but is stopped (SIGSTOP or a debugger): only the heartbeat can tell when to give up. */
        STOPPED,
        /** It is gone, a zombie, or its pid now belongs to another process. */
        DEAD,
        /** This process cannot see it (another pid namespace, or no /proc). */
        UNKNOWN
    }

    private static final ProcessIdentity CURRENT = current();

    /** @return this process's identity */
    public static ProcessIdentity self() {
        return CURRENT;
    }

    private static ProcessIdentity current() {
        long pid = ProcessHandle.current().pid();
        return new ProcessIdentity(pid, startToken(pid), readPidNamespace());
    }

    /**
     * Checks a process recorded by another one.
     *
     * @param recorded the identity it wrote into shared memory
     * @return DEAD when the OS shows it gone, or its pid reused; UNKNOWN when this process cannot see it
     */
    public static Verdict probe(ProcessIdentity recorded) {
        if (recorded.pidNamespace == 0 || recorded.pidNamespace != CURRENT.pidNamespace || recorded.pid <= 0) {
            return Verdict.UNKNOWN;
        }
        long[] stat = stat(recorded.pid);
        if (stat == null || stat[1] != recorded.startToken) {
            return Verdict.DEAD;
        }
        return stat[0] == 'T' || stat[0] == 't' ? Verdict.STOPPED : Verdict.ALIVE;
    }

    /** @return the start token of {@code pid}, or -1 when it is gone or a zombie */
    static long startToken(long pid) {
        long[] stat = stat(pid);
        return stat == null ? -1 : stat[1];
    }

    /** @return {state char, start token} of {@code pid}, or null when it is gone or a zombie */
    private static long @Nullable [] stat(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                String text = Files.readString(stat);
                // Fields after the parenthesised command: state is the 1st, starttime the 20th.
                String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                char state = fields[0].charAt(0);
                if (state == 'Z' || state == 'X') {
                    return null;
                }
                return new long[] {state, Long.parseLong(fields[19])};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(handle -> handle.info().startInstant())
                .map(instant -> new long[] {'R', instant.toEpochMilli()})
                .orElse(null);
    }

    private static long readPidNamespace() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            int open = link.indexOf('[');
            int close = link.indexOf(']');
            return open >= 0 && close > open ? Long.parseLong(link.substring(open + 1, close)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
