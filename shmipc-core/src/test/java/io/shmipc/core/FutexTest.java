package io.shmipc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.internal.signal.Futex;
import io.shmipc.core.internal.signal.LinuxFutex;
import io.shmipc.core.internal.signal.PollingFutex;
import io.shmipc.core.testing.FutexWaiterMain;
import io.shmipc.testing.ChildJvm;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The futex layer on its own: syscall numbers, platform choice, and the wait/wake contract across threads and processes. */
class FutexTest {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** Far longer than any assertion waits, so returning early can only be the wake-up or the changed word. */
    private static final long LONG_SLICE_MILLIS = 30_000;

    private static final Duration WELL_BEFORE_THE_SLICE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void syscallNumberFollowsTheArchitecture() {
        assertThat(LinuxFutex.syscallNumber("amd64")).isEqualTo(202);
        assertThat(LinuxFutex.syscallNumber("x86_64")).isEqualTo(202);
        assertThat(LinuxFutex.syscallNumber("aarch64")).isEqualTo(98);
        assertThat(LinuxFutex.syscallNumber("riscv64")).isEqualTo(-1);
        assertThat(LinuxFutex.syscallNumber("")).isEqualTo(-1);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxGetsTheKernelFutex() {
        assertThat(Futex.forPlatform()).isInstanceOf(LinuxFutex.class);
        assertThat(Futex.forPlatform().blocksInKernel()).isTrue();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void changeAndWakeReachAWaiterInAnotherProcess() throws IOException {
        Path file = wordFile();
        try (ChildJvm waiter = ChildJvm.start(FutexWaiterMain.class, file.toString(), "100");
                SharedWord word = SharedWord.map(file)) {
            waiter.awaitLine("WAITING");
            word.set(1);
            Futex.forPlatform().wake(word.segment, 0, Integer.MAX_VALUE);
            assertThat(waiter.awaitLine(line -> line.startsWith("WOKE"), WELL_BEFORE_THE_SLICE))
                    .isEqualTo("WOKE value=1");
            assertThat(waiter.waitFor(WELL_BEFORE_THE_SLICE)).isZero();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void futexWakeFromAnotherProcessEndsAWaitLongBeforeItsTimeout() throws IOException {
        // With a 30 s slice and the word left at 0, only FUTEX_WAKE can end the wait within seconds.
        // Wakes are repeated because one sent before the child enters the kernel is lost (correctly).
        Path file = wordFile();
        Futex futex = Futex.forPlatform();
        try (ChildJvm waiter =
                        ChildJvm.start(FutexWaiterMain.class, file.toString(), Long.toString(LONG_SLICE_MILLIS));
                SharedWord word = SharedWord.map(file)) {
            waiter.awaitLine("WAITING");
            long start = System.nanoTime();
            await().atMost(WELL_BEFORE_THE_SLICE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        futex.wake(word.segment, 0, Integer.MAX_VALUE);
                        return waiter.lines().contains("RETURNED");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(LONG_SLICE_MILLIS));
            word.set(7);
            futex.wake(word.segment, 0, Integer.MAX_VALUE);
            assertThat(waiter.awaitLine(line -> line.startsWith("WOKE"), WELL_BEFORE_THE_SLICE))
                    .isEqualTo("WOKE value=7");
        }
    }

    static Stream<Futex> futexes() {
        return System.getProperty("os.name", "").startsWith("Linux")
                ? Stream.of(Futex.forPlatform(), new PollingFutex())
                : Stream.of(new PollingFutex());
    }

    @ParameterizedTest
    @MethodSource("futexes")
    void waiterThreadSeesTheChangeAndWake(Futex futex) throws InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            CountDownLatch waiting = new CountDownLatch(1);
            CountDownLatch woke = new CountDownLatch(1);
            Thread waiter = Thread.ofPlatform().start(() -> {
                waiting.countDown();
                while ((int) INT.getVolatile(word, 0L) == 0) {
                    futex.await(word, 0, 0, TimeUnit.MILLISECONDS.toNanos(LONG_SLICE_MILLIS));
                }
                woke.countDown();
            });
            assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
            INT.setVolatile(word, 0L, 1);
            futex.wake(word, 0, 1);
            assertThat(woke.await(WELL_BEFORE_THE_SLICE.toMillis(), TimeUnit.MILLISECONDS))
                    .isTrue();
            waiter.join();
        }
    }

    @ParameterizedTest
    @MethodSource("futexes")
    void awaitReturnsAtOnceWhenTheWordDoesNotHoldTheExpectedValue(Futex futex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            INT.setVolatile(word, 0L, 5);
            long start = System.nanoTime();
            futex.await(word, 0, 4, TimeUnit.MILLISECONDS.toNanos(LONG_SLICE_MILLIS));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WELL_BEFORE_THE_SLICE);
        }
    }

    @ParameterizedTest
    @MethodSource("futexes")
    void timedAwaitReturnsAfterItsTimeout(Futex futex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            Duration timeout = Duration.ofMillis(200);
            long start = System.nanoTime();
            futex.await(word, 0, 0, timeout.toNanos());
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            // Spurious early returns are allowed by the contract but do not happen on an idle word.
            assertThat(waited).isGreaterThanOrEqualTo(timeout.minusMillis(10)).isLessThan(WELL_BEFORE_THE_SLICE);
        }
    }

    private Path wordFile() throws IOException {
        Path file = dir.resolve("shmipc-test-futex-word");
        Files.write(file, new byte[4096]);
        return file;
    }

    /** This test's mapping of the shared word file. */
    private record SharedWord(Arena arena, MemorySegment segment) implements AutoCloseable {
        static SharedWord map(Path file) throws IOException {
            Arena arena = Arena.ofShared();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return new SharedWord(arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, Integer.BYTES, arena));
            }
        }

        void set(int value) {
            INT.setVolatile(segment, 0L, value);
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
