package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.spring.ShmHandler;
import io.shmipc.testing.ShmTestRegion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Closing the server's context drains it: in-flight requests finish, new ones are refused at once,
 * and a handler that outlives {@code spring.lifecycle.timeout-per-shutdown-phase} does not hold the
 * shutdown up past it.
 */
class ShmServerShutdownTests {

    private static final Duration LONG = Duration.ofSeconds(60);

    @RegisterExtension
    final ShmTestRegion region = new ShmTestRegion();

    private final ApplicationContextRunner runner =
            ShmTestRunners.forRegion(region, ShmAutoConfiguration.class).withUserConfiguration(HoldingConfig.class);

    @Test
    void runWhenContextClosesShouldFinishInFlightRequestsAndRefuseNewOnes() {
        runner.run(context -> {
            HoldingHandler handler = context.getBean(HoldingHandler.class);
            try (ShmClient client = client()) {
                CompletableFuture<byte[]> inFlight = callInBackground(client, "hold");
                assertThat(handler.entered.await(30, TimeUnit.SECONDS)).isTrue();

                CompletableFuture<Void> closing = CompletableFuture.runAsync(
                        context::close, runnable -> Thread.ofPlatform().start(runnable));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.info() != null
                                && "DRAINING".equals(client.info().serverState()));
                assertThatThrownBy(() -> client.call("hold", new byte[1], LONG))
                        .isInstanceOf(ShmServerUnavailableException.class)
                        .hasMessageContaining("shutting down");

                handler.release.countDown();
                assertThat(new String(inFlight.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8))
                        .isEqualTo("hold");
                closing.get(60, TimeUnit.SECONDS);
                assertThat(region.directory().resolve(region.name())).doesNotExist();
            }
        });
    }

    @Test
    void runWhenAHandlerOutlivesTheShutdownPhaseShouldStopWithinThePhaseTimeout() {
        runner.withPropertyValues(
                        "spring.lifecycle.timeout-per-shutdown-phase=500ms", "shmipc.server.shutdown-grace=60s")
                .run(context -> {
                    HoldingHandler handler = context.getBean(HoldingHandler.class);
                    try (ShmClient client = client()) {
                        CompletableFuture<byte[]> inFlight = callInBackground(client, "hold");
                        assertThat(handler.entered.await(30, TimeUnit.SECONDS)).isTrue();

                        long start = System.nanoTime();
                        context.close();
                        assertThat(System.nanoTime() - start)
                                .as("bounded by the phase timeout, not the 60 s grace")
                                .isLessThan(Duration.ofSeconds(20).toNanos());
                        assertThatThrownBy(() -> inFlight.get(60, TimeUnit.SECONDS))
                                .isInstanceOf(ExecutionException.class)
                                .cause()
                                .isInstanceOf(ShmServerUnavailableException.class)
                                .matches(e -> ((ShmServerUnavailableException) e).isOutcomeUnknown());
                    } finally {
                        handler.release.countDown();
                    }
                });
    }

    /** @return an engine client of the test's region, as another process would use it */
    private ShmClient client() {
        return new ShmClient(
                region.name(), ShmConfig.builder().directory(region.directory()).build());
    }

    private static CompletableFuture<byte[]> callInBackground(ShmClient client, String payload) {
        return CompletableFuture.supplyAsync(
                () -> client.call("hold", payload.getBytes(StandardCharsets.UTF_8), LONG),
                runnable -> Thread.ofPlatform().start(runnable));
    }

    @Configuration(proxyBeanMethods = false)
    static class HoldingConfig {

        @Bean
        HoldingHandler holdingHandler() {
            return new HoldingHandler();
        }
    }

    static class HoldingHandler {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @ShmHandler("hold")
        byte[] hold(byte[] payload) throws InterruptedException {
            entered.countDown();
            release.await(60, TimeUnit.SECONDS);
            return payload;
        }
    }
}
