package io.shmipc.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.internal.region.RegionMapper;
import io.shmipc.core.internal.region.RegionPaths;
import io.shmipc.core.internal.signal.Futex;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Dispatcher#stop()} landing between the idle dispatcher's last check of {@code running} and
 * its FUTEX_WAIT must still end the thread at once, not after a whole sleep slice.
 */
class DispatcherStopTest {

    @TempDir
    Path dir;

    @Test
    void stopBetweenTheRunningCheckAndTheFutexWaitEndsTheDispatcherAtOnce() throws Exception {
        // A sleep slice far longer than the join below: a lost stop shows as a thread still alive.
        ShmConfig config = ShmConfig.builder()
                .directory(dir)
                .slotCount(1)
                .waitMode(io.shmipc.core.WaitMode.BLOCK)
                .livenessInterval(Duration.ofSeconds(60))
                .livenessTimeout(Duration.ofMinutes(10))
                .build();
        RegionPaths paths = RegionPaths.of(dir, "dispatcher-stop-" + UUID.randomUUID());
        RegionMapper.Mapping mapping = RegionMapper.create(paths, config, region -> {});
        try {
            AtomicReference<Dispatcher> dispatcher = new AtomicReference<>();
            Futex real = Futex.forPlatform();
            // The real futex, except that stop() is called right before the first wait: the exact interleaving
            // of a close() that runs after idle() saw running == true.
            Futex stopFirst = new Futex() {
                private boolean stopped;

                @Override
                public void await(MemorySegment segment, long offset, int expected, long timeoutNanos) {
                    if (!stopped) {
                        stopped = true;
                        dispatcher.get().stop();
                    }
                    real.await(segment, offset, expected, timeoutNanos);
                }

                @Override
                public void wake(MemorySegment segment, long offset, int waiters) {
                    real.wake(segment, offset, waiters);
                }

                @Override
                public boolean blocksInKernel() {
                    return real.blocksInKernel();
                }
            };
            dispatcher.set(new Dispatcher(
                    paths.name(),
                    mapping.region(),
                    new RegionSignals(mapping.region(), stopFirst),
                    (request, response) -> {},
                    config,
                    null,
                    ServerFaults.LOG_ONLY));
            Thread thread = Thread.ofPlatform().start(dispatcher.get());
            // Before the fix the dispatcher slept the whole 10-minute slice here.
            thread.join(Duration.ofSeconds(60));
            assertThat(thread.isAlive()).as("dispatcher thread ended").isFalse();
        } finally {
            mapping.close();
        }
    }
}
