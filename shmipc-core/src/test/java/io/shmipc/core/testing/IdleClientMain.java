package io.shmipc.core.testing;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.WaitMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A client process that makes a few {@code echo} calls, prints {@code IDLE}, and then does nothing
 * while keeping its connection, until stdin closes. Args: name directory waitMode.
 */
public final class IdleClientMain {

    public static void main(String[] args) {
        ShmConfig config = ShmConfig.builder()
                .directory(Path.of(args[1]))
                .waitMode(WaitMode.valueOf(args[2]))
                .livenessInterval(Duration.ofMillis(50))
                .livenessTimeout(Duration.ofMillis(500))
                .build();
        try (ShmClient client = new ShmClient(args[0], config)) {
            for (int i = 0; i < 10; i++) {
                byte[] request = ("warm-up " + i).getBytes(StandardCharsets.UTF_8);
                if (!Arrays.equals(client.call("echo", request, Duration.ofSeconds(10)), request)) {
                    ChildMains.say("MISMATCH " + i);
                    System.exit(1);
                }
            }
            ChildMains.say("IDLE");
            ChildMains.serveCommands(command -> ChildMains.say("UNKNOWN " + command));
        }
    }
}
