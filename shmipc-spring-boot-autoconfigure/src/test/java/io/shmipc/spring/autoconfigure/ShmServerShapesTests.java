package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.spring.ShmError;
import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmHandlerAdvice;
import io.shmipc.spring.ShmRole;
import io.shmipc.spring.ShmRoleDecider;
import io.shmipc.spring.ShmServerLifecycle;
import io.shmipc.spring.ShmServerStartedEvent;
import io.shmipc.spring.ShmServerStoppedEvent;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.testing.ShmTestRegion;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * The server in the shapes users run, through the auto-configuration and the real engine: handlers that
 * block or answer later, errors with codes and validation failures reaching a {@link ShmTemplate},
 * server events, and observations switched off.
 */
class ShmServerShapesTests {

    private static final int SLOTS = 4;

    @RegisterExtension
    final ShmTestRegion region = new ShmTestRegion("shmipc-test-shapes");

    private final ApplicationContextRunner runner = ShmTestRunners.forRegion(region, ShmAutoConfiguration.class)
            .withBean("handlers", Handlers.class)
            .withBean(Advice.class)
            .withBean(LocalValidatorFactoryBean.class)
            .withPropertyValues("shmipc.server.slots=" + SLOTS, "shmipc.client.timeout=30s");

    /** A payload with a constraint. */
    record Amount(@Positive int value) {}

    /** Mapped to an error code by {@link Advice}. */
    static class LimitExceededException extends RuntimeException {
        LimitExceededException(String message) {
            super(message);
        }
    }

    static class Handlers {

        /** All {@link #SLOTS} calls must be inside the handler at once for any of them to pass. */
        final CyclicBarrier together = new CyclicBarrier(SLOTS);

        final AtomicInteger blockingCalls = new AtomicInteger();
        final AtomicInteger debited = new AtomicInteger();
        final AtomicReference<CompletableFuture<String>> pending = new AtomicReference<>();

        @ShmHandler("blocking")
        String blocking(String text) throws Exception {
            if (blockingCalls.incrementAndGet() <= 2) {
                // Two slow calls in a row: what adaptive execution takes as a handler that blocks.
                Thread.sleep(20);
            } else {
                together.await(20, TimeUnit.SECONDS);
            }
            return text;
        }

        final AtomicInteger warmingCalls = new AtomicInteger();
        final AtomicReference<Boolean> warmingRanOnVirtualThread = new AtomicReference<>();

        @ShmHandler("warming")
        String warming(String text) throws InterruptedException {
            if (warmingCalls.incrementAndGet() <= 2) {
                // Slow only at first, as a handler is while its code is cold.
                Thread.sleep(20);
            }
            warmingRanOnVirtualThread.set(Thread.currentThread().isVirtual());
            return text;
        }

        @ShmHandler("later")
        CompletableFuture<String> later(String text) {
            CompletableFuture<String> future = new CompletableFuture<>();
            pending.set(future);
            return future.thenApply(value -> value + "/" + text);
        }

        @ShmHandler("quick")
        String quick(String text) {
            return text.toUpperCase();
        }

        @ShmHandler("debit")
        int debit(@Valid Amount amount, @Header("account") String account) {
            if (amount.value() > 100) {
                throw new LimitExceededException(account + " may not debit " + amount.value());
            }
            return debited.addAndGet(amount.value());
        }
    }

    @ShmHandlerAdvice
    static class Advice {

        @MessageExceptionHandler
        ShmError limit(LimitExceededException ex) {
            return new ShmError("LIMIT_EXCEEDED", ex.getMessage());
        }
    }

    static class Events implements ApplicationListener<ApplicationEvent> {

        final List<ApplicationEvent> received = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof ShmServerStartedEvent || event instanceof ShmServerStoppedEvent) {
                received.add(event);
            }
        }
    }

    @Test
    void runWhenHandlerBlocksShouldServeRequestsConcurrentlyWithDefaultSettings() {
        runner.run(context -> {
            ShmTemplate template = context.getBean(ShmTemplate.class);
            assertThat(template.call("blocking", "a", String.class)).isEqualTo("a");
            assertThat(template.call("blocking", "b", String.class)).isEqualTo("b");
            // Now on virtual threads: the barrier opens only when every slot's request runs at once.
            try (ExecutorService callers = Executors.newFixedThreadPool(SLOTS)) {
                List<Future<String>> replies = new java.util.ArrayList<>();
                for (int i = 0; i < SLOTS; i++) {
                    String text = "c" + i;
                    replies.add(callers.submit(() -> template.call("blocking", text, String.class)));
                }
                for (int i = 0; i < SLOTS; i++) {
                    assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("c" + i);
                }
            }
        });
    }

    @Test
    void runWhenHandlerWasSlowOnlyWhileColdShouldReturnToTheDispatchThread() {
        runner.run(context -> {
            ShmTemplate template = context.getBean(ShmTemplate.class);
            Handlers handlers = context.getBean(Handlers.class);
            template.call("warming", "cold", String.class);
            template.call("warming", "cold", String.class);
            template.call("warming", "judged", String.class);
            assertThat(handlers.warmingRanOnVirtualThread.get())
                    .as("two slow calls in a row move the handler to virtual threads")
                    .isTrue();
            // 256 fast calls in a row (ShmHandlerMethod.FAST_CALLS_TO_UNBLOCK) bring it back; a slow one (a GC
            // pause on a busy machine) starts the count again, so keep calling until it is back.
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .pollInterval(java.time.Duration.ZERO)
                    .until(() -> {
                        template.call("warming", "fast", String.class);
                        return !handlers.warmingRanOnVirtualThread.get();
                    });
            assertThat(handlers.warmingCalls.get())
                    .as("not before the fast calls in a row were counted")
                    .isGreaterThan(2 + 256);
        });
    }

    @Test
    void runWhenExecutionIsDispatchThreadShouldNotUseVirtualThreads() {
        runner.withPropertyValues("shmipc.server.execution=dispatch-thread").run(context -> {
            ShmTemplate template = context.getBean(ShmTemplate.class);
            assertThat(template.call("quick", "x", String.class)).isEqualTo("X");
            assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(thread -> thread.getName().startsWith("shmipc-handler-" + region.name()));
        });
    }

    @Test
    void runWhenHandlerReturnsFutureShouldReplyWhenItCompletesWithoutHoldingOthers() {
        runner.run(context -> {
            ShmTemplate template = context.getBean(ShmTemplate.class);
            Handlers handlers = context.getBean(Handlers.class);
            CompletableFuture<String> reply = template.callAsync("later", "x", String.class);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> handlers.pending.get() != null);
            // The dispatch thread is free while the future is pending.
            assertThat(template.call("quick", "y", String.class)).isEqualTo("Y");
            assertThat(reply).isNotDone();
            handlers.pending.get().complete("done");
            assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("done/x");
        });
    }

    @Test
    void runWhenAdviceMapsErrorShouldReachTheClientWithItsCode() {
        runner.run(context -> {
            ShmTemplate template = context.getBean(ShmTemplate.class);
            assertThat(template.route("debit")
                            .header("account", "acc-1")
                            .body(new Amount(5))
                            .retrieve(Integer.class))
                    .isEqualTo(5);
            assertThatExceptionOfType(ShmRemoteException.class)
                    .isThrownBy(() -> template.route("debit")
                            .header("account", "acc-1")
                            .body(new Amount(500))
                            .retrieve(Integer.class))
                    .satisfies(ex -> {
                        assertThat(ex.errorCode()).isEqualTo("LIMIT_EXCEEDED");
                        assertThat(ex.getRemoteMessage()).isEqualTo("acc-1 may not debit 500");
                        assertThat(ex.getRemoteType()).isEqualTo(LimitExceededException.class.getName());
                    });
        });
    }

    @Test
    void runWhenPayloadInvalidOrHeaderMissingShouldTellTheClientAndNeverRunTheHandler() {
        runner.run(context -> {
            ShmTemplate template = context.getBean(ShmTemplate.class);
            assertThatExceptionOfType(ShmRemoteException.class)
                    .isThrownBy(() -> template.route("debit")
                            .header("account", "acc-1")
                            .body(new Amount(-1))
                            .retrieve(Integer.class))
                    .satisfies(ex ->
                            assertThat(ex.getRemoteMessage()).contains("value must be greater than 0 (Positive)"));
            assertThatExceptionOfType(ShmRemoteException.class)
                    .isThrownBy(() -> template.call("debit", new Amount(1), Integer.class))
                    .satisfies(ex -> assertThat(ex.getRemoteMessage()).contains("Missing header 'account'"));
            assertThat(context.getBean(Handlers.class).debited).hasValue(0);
        });
    }

    @Test
    void runWhenServerStartsAndStopsShouldPublishEvents() {
        Events events = new Events();
        runner.withBean(Events.class, () -> events).run(context -> {
            assertThat(context.getBean(ShmServerLifecycle.class).isRunning()).isTrue();
            assertThat(context.getBean(ShmRoleDecider.class).decidedRole()).isEqualTo(ShmRole.SERVER);
            assertThat(events.received).singleElement().isInstanceOfSatisfying(ShmServerStartedEvent.class, started -> {
                assertThat(started.getName()).isEqualTo(region.name());
                assertThat(started.getPath()).isEqualTo(region.directory().resolve(region.name()));
                assertThat(started.getEpoch()).isEqualTo(1);
                assertThat(started.getRoutes()).contains("blocking", "later", "quick", "debit");
            });
        });
        assertThat(events.received).hasSize(2);
        assertThat(events.received.get(1))
                .isInstanceOfSatisfying(ShmServerStoppedEvent.class, stopped -> assertThat(stopped.getName())
                        .isEqualTo(region.name()));
        assertThat(region.directory().resolve(region.name())).doesNotExist();
    }

    @Test
    void runWhenObservationDisabledShouldNotObserveServedRequests() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        runner.withBean(TestObservationRegistry.class, () -> observations)
                .withPropertyValues("shmipc.server.observation-enabled=false")
                .run(context -> {
                    context.getBean(ShmTemplate.class).call("quick", "x", String.class);
                    // The client side still observes its call; the server side adds nothing.
                    TestObservationRegistryAssert.assertThat(observations)
                            .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts)
                                    .noneMatch(c -> c instanceof io.shmipc.spring.ShmServerObservationContext));
                });
    }

    @Test
    void runWhenBlockingThresholdNotPositiveShouldFailNamingTheProperty() {
        runner.withPropertyValues("shmipc.server.blocking-threshold=0ms").run(context -> assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageContaining("shmipc.server.blocking-threshold"));
    }
}
