package io.shmipc.core;

import static io.shmipc.core.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever a handler throws, and whatever building the error reply throws in turn, the slot is
 * completed and the server keeps serving: no dispatch thread dies, no slot stays in flight.
 */
class ServeFailureTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "server concurrency {0}")
    @ValueSource(ints = {1, 2})
    void exceptionWhoseMessageThrowsIsAnsweredAndTheServerKeepsServing(int concurrency) {
        String name = uniqueName();
        ShmConfig config =
                config(dir).slotCount(1).serverConcurrency(concurrency).build();
        ShmRequestHandler handler = (request, response) -> {
            if (request.route().equals("poison")) {
                throw new PoisonException();
            }
            response.write(request.payloadBytes());
        };
        try (ShmServer server = ShmServer.start(name, config, handler);
                ShmClient client = new ShmClient(name, config)) {
            // Before the fix the error path threw again, the slot was never completed and this call timed out.
            ShmRemoteException e = catchThrowableOfType(
                    ShmRemoteException.class, () -> client.call("poison", utf8("x"), Duration.ofSeconds(30)));
            assertThat(e.getRemoteType()).isEqualTo(PoisonException.class.getName());
            assertThat(text(client.call("echo", utf8("still serving"), Duration.ofSeconds(30))))
                    .isEqualTo("still serving");
            assertThat(server.info().slotsInUse()).isZero();
        }
    }

    /** An exception whose message cannot be built, as a handler's own exception type may do. */
    private static final class PoisonException extends RuntimeException {
        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage() itself fails");
        }
    }
}
