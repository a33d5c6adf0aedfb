package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.spring.TestHandlers;
import io.shmipc.testing.ChildJvm;
import io.shmipc.testing.ShmTestRegion;
import io.shmipc.testing.TestPayloads;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A server context and a client context in separate JVMs, talking through the real engine. */
class ShmCrossProcessTests {

    @RegisterExtension
    final ShmTestRegion region = new ShmTestRegion();

    @Test
    void clientInAnotherJvmShouldCallThroughShmTemplate() throws Exception {
        ChildJvm server = region.startServerApplication(CrossProcessServerApp.class, CrossProcessServerApp.READY);
        TestObservationRegistry observations = TestObservationRegistry.create();
        observations.observationConfig().observationHandler(new HeaderWriter());
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ShmAutoConfiguration.class))
                .withPropertyValues(region.properties("shmipc.role=client", "shmipc.client.fail-fast=true"))
                .withBean(ObservationRegistry.class, () -> observations)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ShmTemplate template = context.getBean(ShmTemplate.class);
                    assertThat(template.call("orders.place", new Order("o-1", 3), Receipt.class))
                            .isEqualTo(TestPayloads.receiptFor(new Order("o-1", 3)));
                    assertThat(template.call("pid", null, Long.class))
                            .isEqualTo(server.pid())
                            .isNotEqualTo(ProcessHandle.current().pid());
                    assertThat(template.call("echo.bytes", new byte[] {1, 2, 3, 4}))
                            .containsExactly(4, 3, 2, 1);
                    assertThat(template.call("upper", "héllo wörld", String.class))
                            .isEqualTo("HÉLLO WÖRLD");
                    assertThat(template.callAsync("upper", "async", String.class)
                                    .get(10, TimeUnit.SECONDS))
                            .isEqualTo("ASYNC");
                    // The trace header written by the client's observation reaches the other process.
                    assertThat(template.call("header", null, String.class))
                            .isEqualTo("t-42@" + ProcessHandle.current().pid());
                    assertThatExceptionOfType(ShmRemoteException.class)
                            .isThrownBy(() -> template.call("fail", "fly", String.class))
                            .satisfies(ex -> {
                                assertThat(ex.getRemoteType()).isEqualTo(IllegalStateException.class.getName());
                                assertThat(ex.getRemoteMessage()).isEqualTo("broken: fly");
                            });

                    // A graceful stop of the server process: it drains, exits and removes its region.
                    server.closeInput();
                    server.awaitLine(line -> line.contains(CrossProcessServerApp.STOPPED), Duration.ofSeconds(60));
                    assertThat(server.waitFor(Duration.ofSeconds(60))).isZero();
                    assertThat(region.directory().resolve(region.name())).doesNotExist();
                    await().atMost(Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThatExceptionOfType(ShmServerUnavailableException.class)
                                    .isThrownBy(() -> template.call("upper", "x", String.class)));
                });
    }

    /** Writes a fixed trace header, as a tracing handler's propagator would. */
    static final class HeaderWriter implements ObservationHandler<Observation.Context> {

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            if (context instanceof SenderContext<?> sender) {
                ((SenderContext<Object>) sender)
                        .getSetter()
                        .set(sender.getCarrier(), TestHandlers.TRACE_HEADER, "t-42");
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof SenderContext<?>;
        }
    }
}
