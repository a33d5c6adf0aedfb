package io.shmipc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handlers that leave the dispatch thread, and remote errors that carry an application error code. */
class HandlerExecutionTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final String name = "shmipc-exec-" + UUID.randomUUID();

    @Test
    void offloadedHandlersServeWhileAnotherBlocks() throws Exception {
        ShmConfig config = ShmConfig.builder().directory(dir).slotCount(4).build();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        ShmRequestHandler handler = new ShmRequestHandler() {
            @Override
            public void handle(ShmRequest request, ShmResponse response) throws Exception {
                if (request.route().equals("block")) {
                    release.await(10, TimeUnit.SECONDS);
                }
                response.write(request.route().getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public java.util.concurrent.Executor executorFor(ShmRequest request) {
                return request.route().equals("block") ? handlers : null;
            }
        };
        try (ShmServer server = ShmServer.start(name, config, handler);
                ShmClient client = new ShmClient(name, config);
                ExecutorService callers = Executors.newFixedThreadPool(2)) {
            Future<byte[]> blocked = callers.submit(() -> client.call("block", new byte[0], LONG));
            // The dispatch thread is free: an inline route answers while "block" still waits.
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                replies.add(new String(client.call("fast", new byte[0], LONG), StandardCharsets.UTF_8));
            }
            assertThat(replies).containsOnly("fast");
            assertThat(blocked).isNotDone();
            release.countDown();
            assertThat(new String(blocked.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                    .isEqualTo("block");
        } finally {
            handlers.close();
        }
    }

    @Test
    void remoteExceptionThrownByHandlerTravelsWithItsErrorCode() {
        ShmConfig config = ShmConfig.builder().directory(dir).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
                    throw new ShmRemoteException(
                            request.route(), "com.example.OrderNotFound", "no order 42", "ORDER_NOT_FOUND");
                });
                ShmClient client = new ShmClient(name, config)) {
            ShmRemoteException e = catchThrowableOfType(
                    ShmRemoteException.class,
                    () -> client.call("orders.get", Map.of("trace", "t-1"), new byte[1], LONG));
            assertThat(e.getRemoteType()).isEqualTo("com.example.OrderNotFound");
            assertThat(e.getRemoteMessage()).isEqualTo("no order 42");
            assertThat(e.errorCode()).isEqualTo("ORDER_NOT_FOUND");
        }
    }

    @Test
    void plainHandlerErrorHasNoErrorCodeEvenWhenTheRequestHadHeaders() {
        ShmConfig config = ShmConfig.builder().directory(dir).build();
        try (ShmServer server = ShmServer.start(name, config, (request, response) -> {
                    throw new IllegalArgumentException("bad");
                });
                ShmClient client = new ShmClient(name, config)) {
            // The request's own headers must not be read back as reply headers.
            ShmRemoteException e = catchThrowableOfType(
                    ShmRemoteException.class,
                    () -> client.call("x", Map.of("shmipc-error-code", "FORGED"), new byte[1], LONG));
            assertThat(e.getRemoteType()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(e.errorCode()).isNull();
        }
    }
}
