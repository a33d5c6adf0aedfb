package io.shmipc.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A handler for tests that need a request stuck in the server: route {@code hold} waits inside the
 * handler until {@link #release()}; every route echoes its payload. Records what ran.
 */
final class HoldingEcho implements ShmRequestHandler {

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> executed = new CopyOnWriteArrayList<>();

    @Override
    public void handle(ShmRequest request, ShmResponse response) throws Exception {
        executed.add(EngineTestSupport.text(request.payloadBytes()));
        if (request.route().equals("hold")) {
            entered.countDown();
            release.await();
        }
        response.write(request.payloadBytes());
    }

    /** Waits until a {@code hold} request is inside the handler. */
    void awaitEntered() throws InterruptedException {
        assertThat(entered.await(60, TimeUnit.SECONDS))
                .as("a held request reached the handler")
                .isTrue();
    }

    boolean hasEntered() {
        return entered.getCount() == 0;
    }

    /** Lets held requests finish. */
    void release() {
        release.countDown();
    }

    /** @return the payloads of every request the handler ran, in order */
    List<String> executed() {
        return executed;
    }
}
