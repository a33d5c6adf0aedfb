package io.shmipc.core.testing;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.internal.ClientConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A client that stalls right after claiming a slot, before writing its request: the window of a GC
 * pause or a frozen cgroup. Prints {@code STALLED} there and waits for the {@code go} command, then
 * finishes the call and prints {@code REPLY text} or {@code ERROR exception}.
 * Args: name directory route payload timeoutMillis.
 */
public final class StalledClaimMain {

    public static void main(String[] args) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Thread.ofPlatform()
                .daemon()
                .start(() -> ChildMains.serveCommands(command -> {
                    if (command.equals("go")) {
                        go.countDown();
                    }
                }));
        ClientConnection.afterClaimForTesting(() -> {
            ClientConnection.afterClaimForTesting(null);
            ChildMains.say("STALLED");
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ShmConfig config = ShmConfig.builder()
                .directory(Path.of(args[1]))
                .livenessInterval(Duration.ofMillis(50))
                .livenessTimeout(Duration.ofMillis(500))
                .build();
        try (ShmClient client = new ShmClient(args[0], config)) {
            byte[] reply = client.call(
                    args[2], args[3].getBytes(StandardCharsets.UTF_8), Duration.ofMillis(Long.parseLong(args[4])));
            ChildMains.say("REPLY " + new String(reply, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            ChildMains.say("ERROR " + e);
        }
    }
}
