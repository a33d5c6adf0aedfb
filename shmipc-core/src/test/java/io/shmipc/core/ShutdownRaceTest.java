package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding 8 (a) of issue 10: close() while a handler's payload buffer is inside a blocked NIO call. */
class ShutdownRaceTest {

    @TempDir
    Path dir;

    @Test
    void closeReleasesTheLockEvenWhenAHandlerStillHoldsThePayloadBufferInAnNioCall() throws Exception {
        String name = uniqueName();
        ShmConfig config = config(dir).slotCount(1).slotCapacity(1 << 20).build();
        Pipe pipe = Pipe.open();
        CountDownLatch writing = new CountDownLatch(1);
        // The handler writes its request buffer into a pipe nobody reads: the write blocks once the pipe is
        // full, holding the mapping's memory session acquired.
        ShmRequestHandler stuck = (request, response) -> {
            writing.countDown();
            ByteBuffer payload = request.payloadBuffer();
            while (payload.hasRemaining()) {
                pipe.sink().write(payload);
            }
        };
        try {
            ShmServer server = ShmServer.start(name, config, stuck);
            try (ShmClient client = new ShmClient(name, config)) {
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                client.call("stuck", new byte[1 << 20], Duration.ofSeconds(30));
                            } catch (ShmException expected) {
                                // the server closes under it
                            }
                        },
                        command -> Thread.ofPlatform().daemon().start(command));
                assertThat(writing.await(60, TimeUnit.SECONDS)).isTrue();
                // Before the fix close() threw IllegalStateException from the unmap and never released the lock.
                server.close(Duration.ZERO);
            }
            try (ShmServer next = ShmServer.start(name, config, (request, response) -> {})) {
                assertThat(next.isRunning()).isTrue();
            }
        } finally {
            pipe.source().close(); // ends the stuck write
            pipe.sink().close();
        }
    }
}
