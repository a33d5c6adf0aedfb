package io.shmipc.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** Names and settings shared by the engine tests. */
final class EngineTestSupport {

    /** Short liveness settings so failure tests run fast; generous enough for a loaded 2-core CI machine. */
    static final Duration LIVENESS_INTERVAL = Duration.ofMillis(50);

    static final Duration LIVENESS_TIMEOUT = Duration.ofMillis(500);
    static final Duration LONG = Duration.ofSeconds(60);

    private EngineTestSupport() {}

    static String uniqueName() {
        return "shmipc-test-" + UUID.randomUUID();
    }

    static ShmConfig.Builder config(Path directory) {
        return ShmConfig.builder()
                .directory(directory)
                .livenessInterval(LIVENESS_INTERVAL)
                .livenessTimeout(LIVENESS_TIMEOUT);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return the reply of a call made on a new platform thread, so the test can act while it waits */
    static java.util.concurrent.CompletableFuture<byte[]> callInBackground(
            ShmClient client, String route, String payload) {
        return java.util.concurrent.CompletableFuture.supplyAsync(
                () -> client.call(route, utf8(payload), LONG),
                command -> Thread.ofPlatform().start(command));
    }

    /** @return true while any live thread's name starts with the prefix */
    static boolean threadsAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
    }
}
