package io.shmipc.core.testing;

import io.shmipc.core.internal.signal.Futex;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A process that sleeps on word 0 of a shared file with the platform futex, expecting 0, in slices of
 * {@code sliceMillis}. Args: file sliceMillis. Prints {@code WAITING} before the first wait,
 * {@code RETURNED} whenever a wait returns while the word still holds 0 (a wake-up without a change),
 * and {@code WOKE value=N} once the word changed, then exits.
 */
public final class FutexWaiterMain {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    public static void main(String[] args) throws Exception {
        long sliceNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
        Futex futex = Futex.forPlatform();
        try (Arena arena = Arena.ofConfined();
                FileChannel channel =
                        FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment word = channel.map(FileChannel.MapMode.READ_WRITE, 0, Integer.BYTES, arena);
            ChildMains.say("WAITING");
            int value;
            while ((value = (int) INT.getVolatile(word, 0L)) == 0) {
                futex.await(word, 0, 0, sliceNanos);
                if ((int) INT.getVolatile(word, 0L) == 0) {
                    ChildMains.say("RETURNED");
                }
            }
            ChildMains.say("WOKE value=" + value);
        }
    }
}
