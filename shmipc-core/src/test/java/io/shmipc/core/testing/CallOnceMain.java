package io.shmipc.core.testing;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Makes one call and prints {@code REPLY text} or {@code ERROR exception}. Args: name directory route payload timeoutMillis. */
public final class CallOnceMain {

    public static void main(String[] args) {
        ShmConfig config = ShmConfig.builder().directory(Path.of(args[1])).build();
        try (ShmClient client = new ShmClient(args[0], config)) {
            ChildMains.say("CALLING");
            byte[] reply = client.call(
                    args[2], args[3].getBytes(StandardCharsets.UTF_8), Duration.ofMillis(Long.parseLong(args[4])));
            ChildMains.say("REPLY " + new String(reply, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            ChildMains.say("ERROR " + e);
        }
    }
}
