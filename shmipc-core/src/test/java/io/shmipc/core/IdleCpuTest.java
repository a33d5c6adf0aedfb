package io.shmipc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shmipc.core.testing.IdleClientMain;
import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With no traffic, in hybrid and block modes, the server and an idle client use almost no CPU: they
 * block in the kernel, they do not poll. Measured from outside through /proc, on real processes.
 */
class IdleCpuTest {

    /** How long CPU use is measured for; waiting here is the measurement, not synchronisation. */
    private static final Duration WINDOW = Duration.ofSeconds(2);
    /** Native thread names are cut to 15 characters: "shmipc-server-<name>-<n>" becomes this. */
    private static final String DISPATCH_COMM = "shmipc-server-s";

    private static final long SYS_FUTEX =
            io.shmipc.core.internal.signal.LinuxFutex.syscallNumber(System.getProperty("os.arch"));

    @TempDir
    Path dir;

    @BeforeAll
    static void requireProc() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
    }

    @ParameterizedTest
    @EnumSource(
            value = WaitMode.class,
            names = {"HYBRID", "BLOCK"})
    void idleServerAndClientBlockInTheKernel(WaitMode mode) throws Throwable {
        String name = "shmipc-test-" + UUID.randomUUID();
        try (ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "1024", mode.name())) {
            server.awaitLine("READY");
            try (ChildJvm client = ChildJvm.start(IdleClientMain.class, name, dir.toString(), mode.name())) {
                client.awaitLine("IDLE");
                List<Long> dispatch = threadsNamed(server.pid(), DISPATCH_COMM);
                assertThat(dispatch).as("the server's dispatch thread").hasSize(1);
                long tid = dispatch.getFirst();
                assertThat(threadsNamed(client.pid(), "shmipc"))
                        .as("an idle client runs no shmipc threads")
                        .isEmpty();

                long dispatchBefore =
                        cpuTicks(Path.of("/proc", Long.toString(server.pid()), "task", Long.toString(tid), "stat"));
                long clientBefore = cpuTicks(Path.of("/proc", Long.toString(client.pid()), "stat"));
                measurementWindow();
                long dispatchTicks =
                        cpuTicks(Path.of("/proc", Long.toString(server.pid()), "task", Long.toString(tid), "stat"))
                                - dispatchBefore;
                long clientTicks = cpuTicks(Path.of("/proc", Long.toString(client.pid()), "stat")) - clientBefore;
                long ticksPerSecond = clockTicksPerSecond();
                System.out.printf(
                        "idle %s: dispatch %d ticks, client %d ticks at %d/s%n",
                        mode, dispatchTicks, clientTicks, ticksPerSecond);

                // a few ticks: waking once per liveness slice is fine, spinning or polling is not
                assertThat(dispatchTicks)
                        .as("dispatch thread CPU ticks over %s at %d/s", WINDOW, ticksPerSecond)
                        .isLessThanOrEqualTo(ticksPerSecond * WINDOW.toMillis() / 1000 / 40);
                // generous: the JVM's own housekeeping (JIT, GC, safepoints) runs in the client too
                assertThat(clientTicks)
                        .as("idle client process CPU ticks over %s at %d/s", WINDOW, ticksPerSecond)
                        .isLessThan(ticksPerSecond * WINDOW.toMillis() / 1000 / 5);
                assertThat(blockedInFutex(server.pid(), tid))
                        .as("dispatch thread sleeps in futex")
                        .isTrue();
                client.send("");
            }
        }
    }

    private static void measurementWindow() {
        long end = System.nanoTime() + WINDOW.toNanos();
        for (long left = WINDOW.toNanos(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static List<Long> threadsNamed(long pid, String prefix) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.filter(task -> comm(task).startsWith(prefix))
                    .map(task -> Long.parseLong(task.getFileName().toString()))
                    .toList();
        }
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return ""; // the thread ended while listing
        }
    }

    /** @return utime + stime from a /proc stat file (fields 14 and 15, counted after the "(comm)" field) */
    private static long cpuTicks(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /**
     * The dispatch thread wakes briefly once per liveness slice, so one look may catch it awake:
     * look a few times, a slice apart, for the futex syscall (or a futex wait channel).
     */
    private static boolean blockedInFutex(long pid, long tid) throws IOException {
        Path task = Path.of("/proc", Long.toString(pid), "task", Long.toString(tid));
        for (int look = 0; look < 20; look++) {
            if (inFutex(task)) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(7));
        }
        return false;
    }

    private static boolean inFutex(Path task) throws IOException {
        try {
            String syscall = Files.readString(task.resolve("syscall")).strip();
            if (syscall.split(" ")[0].equals(Long.toString(SYS_FUTEX))) {
                return true;
            }
        } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
            // not readable here (kernel config or ptrace policy): fall back to the wait channel
        }
        return Files.readString(task.resolve("wchan")).contains("futex");
    }

    /** @return the kernel's USER_HZ, the unit of /proc CPU times, from sysconf(_SC_CLK_TCK) */
    private static long clockTicksPerSecond() throws Throwable {
        Linker linker = Linker.nativeLinker();
        var sysconf = linker.downcallHandle(
                linker.defaultLookup().find("sysconf").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        return (long) sysconf.invokeExact(2); // _SC_CLK_TCK
    }
}
