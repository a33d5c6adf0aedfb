package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.testing.TestServerMain;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hung server (SIGSTOP): its process exists, so only the silent heartbeat tells. Waiting calls fail
 * within the liveness timeout, each saying whether the request may have run; after SIGCONT the same
 * clients are served again and the abandoned slot comes back.
 */
class HungServerTest {

    /** Scheduling slack on a loaded 2-core machine: two JVMs, GC, the reaction takes up to one liveness interval more. */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void callsWaitingOnAStoppedServerFailWithinTheLivenessTimeoutAndServiceResumesAfterSigcont() throws Exception {
        String name = uniqueName();
        ShmConfig config = config(dir).build();
        try (ChildJvm server = ChildJvm.start(TestServerMain.class, name, dir.toString(), "4", "4096", "HYBRID");
                ShmClient client = new ShmClient(name, config)) {
            server.awaitLine("READY");
            assertThat(text(client.call("echo", utf8("warm"), LONG))).isEqualTo("warm");

            CompletableFuture<byte[]> started = callInBackground(client, "slow", "started");
            server.awaitLine("SLOW-STARTED");
            server.suspend();
            long stoppedAt = System.nanoTime();
            // The one dispatch thread is in "slow" (and stopped): this one stays queued in REQUEST.
            CompletableFuture<byte[]> queued = callInBackground(client, "echo", "queued");

            assertThatThrownBy(() -> started.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ShmServerUnavailableException.class)
                    .matches(e -> ((ShmServerUnavailableException) e).isOutcomeUnknown(), "outcome unknown");
            assertThatThrownBy(() -> queued.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ShmServerUnavailableException.class)
                    .matches(e -> !((ShmServerUnavailableException) e).isOutcomeUnknown(), "not executed");
            assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt))
                    .as("within the liveness timeout, not the 60 s call timeout")
                    .isLessThan(LIVENESS_TIMEOUT.plus(MARGIN));
            assertThatThrownBy(() -> client.call("echo", utf8("while hung"), LONG))
                    .isInstanceOf(ShmServerUnavailableException.class)
                    .hasMessageContaining("not alive");

            server.resume();
            server.send("release"); // the stopped handler finishes; its reply is dropped, the slot freed
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> text(client.call("echo", utf8("again"), LONG)).equals("again"));
            await().atMost(Duration.ofSeconds(30)).until(() -> client.info().slotsInUse() == 0);
            server.send("stop");
            assertThat(server.awaitLine("STOPPED")).isEqualTo("STOPPED served=0 duplicates=0");
        }
    }
}
