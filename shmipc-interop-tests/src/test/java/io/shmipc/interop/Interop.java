package io.shmipc.interop;

import io.shmipc.core.ShmConfig;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** Names, settings and the Java server shared by the C client interop tests. */
final class Interop {

    /** Slot capacity of every test server. */
    static final int CAPACITY = 4096;

    private Interop() {}

    /** @return a name no other test (or parallel build) uses; CI sweeps /dev/shm/shmipc-test-* */
    static String uniqueName() {
        return "shmipc-test-c-" + UUID.randomUUID();
    }

    /** @return the Java server in a child JVM, once it serves */
    static ChildJvm startServer(String name, Path directory, int slots) {
        ChildJvm server = ChildJvm.start(
                InteropServerMain.class,
                name,
                directory.toString(),
                Integer.toString(slots),
                Integer.toString(CAPACITY));
        server.awaitLine("READY");
        return server;
    }

    /** @return settings for a Java client in the test JVM, with the server's short liveness settings */
    static ShmConfig javaClientConfig(Path directory) {
        return ShmConfig.builder()
                .directory(directory)
                .livenessInterval(Duration.ofMillis(50))
                .livenessTimeout(Duration.ofMillis(500))
                .build();
    }
}
