package io.shmipc.core.internal.region;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The two libc calls the region code needs beyond what the JDK offers: whether a pid exists even
 * where {@code /proc} hides it ({@code kill(pid, 0)}), and this process's effective uid
 * ({@code geteuid()}). Where libc lacks them, the answers say "unknown".
 */
final class PosixCalls {

    /** What {@code kill(pid, 0)} says about a pid. */
    enum Existence {
        /** A process has the pid (maybe one we may not signal: EPERM). */
        EXISTS,
        /** ESRCH: no process has the pid. */
        GONE,
        /** No answer (no kill in libc, or another error). */
        UNKNOWN
    }

    private static final int ESRCH = 3;
    private static final int EPERM = 1;
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final @Nullable MethodHandle KILL =
            find("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), true);
    private static final @Nullable MethodHandle GETEUID = find("geteuid", FunctionDescriptor.of(JAVA_INT), false);

    private PosixCalls() {}

    private static @Nullable MethodHandle find(String name, FunctionDescriptor descriptor, boolean errno) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup()
                    .find(name)
                    .map(symbol -> errno
                            ? linker.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"))
                            : linker.downcallHandle(symbol, descriptor))
                    .orElse(null);
        } catch (RuntimeException | Error e) {
            return null;
        }
    }

    /**
     * @param pid a pid in this process's pid namespace
     * @return EXISTS for 0 and for EPERM (it exists, we just may not signal it), GONE for ESRCH
     */
    static Existence exists(long pid) {
        if (KILL == null || pid <= 0 || pid > Integer.MAX_VALUE) {
            return Existence.UNKNOWN;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            int result = (int) KILL.invokeExact(capture, (int) pid, 0);
            if (result == 0) {
                return Existence.EXISTS;
            }
            int errno = (int) ERRNO.get(capture, 0L);
            return errno == ESRCH ? Existence.GONE : errno == EPERM ? Existence.EXISTS : Existence.UNKNOWN;
        } catch (Throwable e) {
            return Existence.UNKNOWN;
        }
    }

    /** @return this process's effective uid, or empty where libc has no geteuid */
    static Optional<Integer> effectiveUid() {
        if (GETEUID == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((int) GETEUID.invokeExact());
        } catch (Throwable e) {
            return Optional.empty();
        }
    }
}
