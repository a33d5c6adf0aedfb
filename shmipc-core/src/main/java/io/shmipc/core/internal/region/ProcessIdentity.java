package io.shmipc.core.internal.region;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
     * @return DEAD when the OS shows it gone (kill(pid, 0) says ESRCH), a zombie, or its pid reused;
     *     UNKNOWN when this process cannot see it (another pid namespace, /proc hidden or denied)
     */
    public static Verdict probe(ProcessIdentity recorded) {
        if (recorded.pidNamespace == 0 || recorded.pidNamespace != CURRENT.pidNamespace || recorded.pid <= 0) {
            return Verdict.UNKNOWN;
        }
        Stat stat = stat(recorded.pid);
        return switch (stat.kind) {
            case ZOMBIE -> Verdict.DEAD;
            case READ -> {
                if (stat.startToken != recorded.startToken) {
                    yield Verdict.DEAD; // the pid was reused
                }
                yield stat.state == 'T' || stat.state == 't' ? Verdict.STOPPED : Verdict.ALIVE;
            }
            // /proc did not show it: it is gone, or hidden from us (hidepid, access denied, a restricted
            // namespace). Only the kernel's "no such process" proves it gone; a pid that exists but cannot
            // be checked against its start token is left to the heartbeat.
            case UNREADABLE ->
                PosixCalls.exists(recorded.pid) == PosixCalls.Existence.GONE ? Verdict.DEAD : Verdict.UNKNOWN;
        };
    }

    /** @return the start token of {@code pid}, or -1 when it is gone, a zombie or unreadable */
    static long startToken(long pid) {
        Stat stat = stat(pid);
        return stat.kind == StatKind.READ ? stat.startToken : -1;
    }

    private enum StatKind {
        READ,
        ZOMBIE,
        UNREADABLE
    }

    private record Stat(StatKind kind, char state, long startToken) {
        static final Stat ZOMBIE = new Stat(StatKind.ZOMBIE, 'Z', -1);
        static final Stat UNREADABLE = new Stat(StatKind.UNREADABLE, '?', -1);
    }

    /** What /proc (or, without /proc, the JDK) says about {@code pid}. */
    private static Stat stat(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            String text;
            try {
                text = Files.readString(stat);
            } catch (IOException | RuntimeException e) {
                // Missing, hidden (hidepid) or denied: the caller decides what that means.
                return Stat.UNREADABLE;
            }
            try {
                // Fields after the parenthesised command: state is the 1st, starttime the 20th.
                String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                char state = fields[0].charAt(0);
                if (state == 'Z' || state == 'X') {
                    return Stat.ZOMBIE;
                }
                return new Stat(StatKind.READ, state, Long.parseLong(fields[19]));
            } catch (RuntimeException e) {
                return Stat.UNREADABLE;
            }
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(handle -> handle.info().startInstant())
                .map(instant -> new Stat(StatKind.READ, 'R', instant.toEpochMilli()))
                .orElse(Stat.UNREADABLE);
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
