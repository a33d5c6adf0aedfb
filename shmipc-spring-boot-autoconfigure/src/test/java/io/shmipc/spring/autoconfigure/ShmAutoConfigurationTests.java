package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServerAlreadyRunningException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.core.ShmTimeoutException;
import io.shmipc.spring.DefaultShmClientObservationConvention;
import io.shmipc.spring.DefaultShmServerObservationConvention;
import io.shmipc.spring.JacksonShmCodec;
import io.shmipc.spring.ShmCodec;
import io.shmipc.spring.ShmObservationKeys;
import io.shmipc.spring.ShmServerLifecycle;
import io.shmipc.spring.ShmServerObservationDocumentation;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.spring.TestHandlers;
import io.shmipc.testing.ShmTestRegion;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/** The auto-configuration's conditions and back-offs, and a server and client in one JVM on the real engine. */
class ShmAutoConfigurationTests {

    @RegisterExtension
    final ShmTestRegion region = new ShmTestRegion();

    private final ApplicationContextRunner runner = ShmTestRunners.forRegion(
                    region,
                    ShmAutoConfiguration.class,
                    ShmHealthAutoConfiguration.class,
                    ShmMetricsAutoConfiguration.class)
            .withPropertyValues("shmipc.server.slots=4");

    @Test
    void runWhenNameSetShouldProvideClientTemplateLifecycleAndJsonCodec() {
        runner.run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(ShmClient.class)
                    .hasSingleBean(ShmTemplate.class)
                    .hasSingleBean(ShmServerLifecycle.class)
                    .hasSingleBean(JacksonShmCodec.class)
                    .hasSingleBean(ShmConfig.class);
            assertThat(context.getBean(ShmClient.class).name()).isEqualTo(region.name());
            // No handlers under role auto: a client, so no region is created.
            assertThat(context.getBean(ShmServerLifecycle.class).isRunning()).isFalse();
            assertThat(region.directory().resolve(region.name())).doesNotExist();
        });
    }

    @Test
    void runWhenNameMissingShouldFailWithAnalysis() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ShmAutoConfiguration.class))
                .run(context -> assertThat(new ShmFailureAnalyzer()
                                .analyze(context.getStartupFailure())
                                .getDescription())
                        .contains("shmipc.name is not set"));
    }

    @Test
    void runWhenUserDefinesShmTemplateShouldBackOff() {
        runner.withBean(
                        "myTemplate",
                        ShmTemplate.class,
                        () -> new ShmTemplate(
                                new ShmClient(region.name(), ShmConfig.defaults()), null, Duration.ofSeconds(1)))
                .run(context ->
                        assertThat(context).hasSingleBean(ShmTemplate.class).hasBean("myTemplate"));
    }

    @Test
    void runWhenUserDefinesShmClientShouldBackOff() {
        runner.withBean("myClient", ShmClient.class, () -> new ShmClient(region.name(), ShmConfig.defaults()))
                .run(context ->
                        assertThat(context).hasSingleBean(ShmClient.class).hasBean("myClient"));
    }

    @Test
    void runWhenUserDefinesShmConfigShouldUseIt() {
        ShmConfig mine =
                ShmConfig.builder().directory(region.directory()).slotCount(2).build();
        runner.withBean(ShmConfig.class, () -> mine)
                .run(context -> assertThat(context.getBean(ShmConfig.class)).isSameAs(mine));
    }

    @Test
    void runWhenUserDefinesShmCodecShouldReplaceJson() {
        runner.withBean(ShmCodec.class, () -> new ShmCodec() {
                    @Override
                    public byte[] encode(Object value) {
                        return new byte[0];
                    }

                    @Override
                    public Object decode(byte[] data, java.lang.reflect.Type type) {
                        return null;
                    }
                })
                .run(context ->
                        assertThat(context).hasSingleBean(ShmCodec.class).doesNotHaveBean(JacksonShmCodec.class));
    }

    @Test
    void runWhenCodecIsCborShouldUseBootsCborMapperAndServeRecords() {
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withPropertyValues("shmipc.codec=cbor")
                .withUserConfiguration(TestHandlers.Config.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(CBORMapper.class);
                    JacksonShmCodec codec = context.getBean(JacksonShmCodec.class);
                    assertThat(codec.getMapper()).isSameAs(context.getBean(CBORMapper.class));
                    ShmTemplate template = context.getBean(ShmTemplate.class);
                    assertThat(template.call("orders.place", new Order("o-7", 4), Receipt.class))
                            .isEqualTo(new Receipt("o-7", 40));
                });
    }

    @Test
    void runWhenCodecIsSmileShouldEncodeInSmile() {
        runner.withPropertyValues("shmipc.codec=smile")
                .withUserConfiguration(TestHandlers.Config.class)
                .run(context -> {
                    JacksonShmCodec codec = context.getBean(JacksonShmCodec.class);
                    assertThat(codec.getMapper()).isInstanceOf(SmileMapper.class);
                    // Smile's header, ":)\n", starts every payload.
                    assertThat(codec.encode(new Order("o-1", 1))).startsWith(':', ')', '\n');
                    Order[] orders = context.getBean(ShmTemplate.class)
                            .call("orders.list", List.of(new Order("a", 1), new Order("b", 2)), Order[].class);
                    assertThat(orders).containsExactly(new Order("a", 1), new Order("b", 2));
                });
    }

    @Test
    void runWhenCodecDataformatMissingShouldFailNamingTheDependency() {
        runner.withPropertyValues("shmipc.codec=smile")
                .withClassLoader(new FilteredClassLoader(SmileMapper.class))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(new ShmFailureAnalyzer()
                                    .analyze(context.getStartupFailure())
                                    .getDescription())
                            .contains("shmipc.codec=smile")
                            .contains("tools.jackson.dataformat:jackson-dataformat-smile");
                });
    }

    @Test
    void runWhenJacksonAbsentShouldHaveNoCodecButStillWork() {
        runner.withClassLoader(new FilteredClassLoader(JsonMapper.class)).run(context -> assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(ShmCodec.class)
                .hasSingleBean(ShmTemplate.class));
    }

    @Test
    void runWhenJacksonAbsentAndHandlerNeedsCodecShouldFailNamingTheMethod() {
        runner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
                .withUserConfiguration(TestHandlers.Config.class)
                .run(context -> assertThat(new ShmFailureAnalyzer()
                                .analyze(context.getStartupFailure())
                                .getDescription())
                        .contains("testHandlers.")
                        .contains("no ShmCodec"));
    }

    @Test
    void runWhenMeterRegistryPresentShouldRegisterMetersUpFront() {
        runner.withBean(SimpleMeterRegistry.class).run(context -> {
            assertThat(context).hasSingleBean(ShmMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(ShmMetrics.CLIENT_TIMEOUTS)
                            .tag(ShmObservationKeys.NAME, region.name())
                            .counter()
                            .count())
                    .isZero();
            assertThat(registry.get(ShmMetrics.SERVER_UP).gauge().value()).isZero();
            assertThat(registry.get(ShmMetrics.SLOTS_MAX).gauge().value()).isNaN();
        });
    }

    @Test
    void runWhenMicrometerAbsentShouldNotConfigureMetrics() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ShmMetrics.class));
    }

    @Test
    void runWhenNoMeterRegistryShouldNotConfigureMetrics() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ShmMetrics.class));
    }

    @Test
    void runWhenHealthDisabledShouldNotCreateIndicator() {
        runner.withPropertyValues("management.health.shmipc.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ShmHealthIndicator.class));
    }

    @Test
    void runWhenSpringBootHealthAbsentShouldNotCreateIndicator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ShmHealthIndicator.class));
    }

    @Test
    void runWhenClientWithoutServerShouldReportDown() {
        runner.run(context -> {
            Health health = context.getBean("shmipcHealthIndicator", HealthIndicator.class)
                    .health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("role", "client").containsEntry("name", region.name());
        });
    }

    @Test
    void runWhenHandlersPresentShouldServeEveryPayloadKind() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            assertThat(context.getBean(ShmServerLifecycle.class).isRunning()).isTrue();
            ShmTemplate template = context.getBean(ShmTemplate.class);
            assertThat(template.call("orders.place", new Order("o-1", 3), Receipt.class))
                    .isEqualTo(new Receipt("o-1", 30));
            assertThat(template.call("orders.list", List.of(new Order("a", 1)), Order[].class))
                    .containsExactly(new Order("a", 1));
            assertThat(template.call("upper", "abc", String.class, Duration.ofSeconds(2)))
                    .isEqualTo("ABC");
            assertThat(template.call("echo.bytes", new byte[] {1, 2, 3})).containsExactly(3, 2, 1);
            assertThat(template.call("fire", "x", Void.class)).isNull();
            assertThat(template.callAsync("upper", "async", String.class).get(5, TimeUnit.SECONDS))
                    .isEqualTo("ASYNC");
        });
    }

    @Test
    void runWhenHandlerThrowsOrRouteUnknownShouldRaiseTypedErrors() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            ShmTemplate template = context.getBean(ShmTemplate.class);
            assertThatExceptionOfType(ShmRemoteException.class)
                    .isThrownBy(() -> template.call("fail", "x", String.class))
                    .satisfies(ex -> {
                        assertThat(ex.getRemoteType()).isEqualTo(IllegalStateException.class.getName());
                        assertThat(ex.getRemoteMessage()).isEqualTo("broken: x");
                    });
            assertThatExceptionOfType(ShmNoHandlerException.class)
                    .isThrownBy(() -> template.call("nope", "x", String.class));
            // The server carries on after both.
            assertThat(template.call("upper", "ok", String.class)).isEqualTo("OK");
        });
    }

    @Test
    void runWhenCallTimesOutShouldThrowAndCountIt() {
        runner.withUserConfiguration(TestHandlers.Config.class)
                .withBean(SimpleMeterRegistry.class)
                .run(context -> {
                    ShmTemplate template = context.getBean(ShmTemplate.class);
                    TestHandlers handlers = context.getBean(TestHandlers.class);
                    try {
                        assertThatExceptionOfType(ShmTimeoutException.class)
                                .isThrownBy(() -> template.call("slow", "x", String.class, Duration.ofMillis(200)));
                    } finally {
                        handlers.release.countDown();
                    }
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get(ShmMetrics.CLIENT_TIMEOUTS)
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.get(ShmMetrics.SERVER_UP).gauge().value())
                            .isEqualTo(1);
                    assertThat(registry.get(ShmMetrics.SLOTS_MAX).gauge().value())
                            .isEqualTo(4);
                    assertThat(registry.get(ShmMetrics.SLOT_CAPACITY).gauge().value())
                            .isEqualTo(64 * 1024);
                });
    }

    @Test
    void runWhenObservationRegistryPresentShouldObserveBothSidesAndCarryHeaders() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        AtomicReference<String> received = new AtomicReference<>();
        observations.observationConfig().observationHandler(new PropagatingHandler(received));
        runner.withUserConfiguration(TestHandlers.Config.class)
                .withBean(ObservationRegistry.class, () -> observations)
                .run(context -> {
                    ShmTemplate template = context.getBean(ShmTemplate.class);
                    template.call("upper", "a", String.class);
                    assertThatExceptionOfType(ShmNoHandlerException.class)
                            .isThrownBy(() -> template.call("missing", "a", String.class));
                    assertThat(received).hasValue("t-123");
                    assertThat(context.getBean(TestHandlers.class).seenHeader).hasValue("t-123");
                    TestObservationRegistryAssert.assertThat(observations)
                            .hasHandledContextsThatSatisfy(
                                    contexts -> assertThat(contexts).hasSize(4));
                    TestObservationRegistryAssert.assertThat(observations)
                            .hasObservationWithNameEqualToIgnoringCase(DefaultShmClientObservationConvention.NAME)
                            .that()
                            .hasLowCardinalityKeyValue(ShmObservationKeys.NAME, region.name())
                            .hasLowCardinalityKeyValue(ShmObservationKeys.ROUTE, "upper")
                            .hasLowCardinalityKeyValue(ShmObservationKeys.OUTCOME, "SUCCESS");
                    TestObservationRegistryAssert.assertThat(observations)
                            .hasObservationWithNameEqualTo(DefaultShmServerObservationConvention.NAME)
                            .that()
                            .hasLowCardinalityKeyValue(
                                    ShmServerObservationDocumentation.LowCardinalityKeyNames.RPC_METHOD.asString(),
                                    "upper");
                    TestObservationRegistryAssert.assertThat(observations)
                            .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts)
                                    .filteredOn(c -> "NO_HANDLER"
                                            .equals(c.getLowCardinalityKeyValue(ShmObservationKeys.OUTCOME)
                                                    .getValue()))
                                    .hasSize(2));
                });
    }

    /** Stands in for a tracing handler: writes a header on send, reads it on receive. */
    record PropagatingHandler(AtomicReference<String> received) implements ObservationHandler<Observation.Context> {

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            if (context instanceof SenderContext<?> sender) {
                ((SenderContext<Object>) sender).getSetter().set(sender.getCarrier(), "test-trace", "t-123");
            } else if (context instanceof ReceiverContext<?> receiver) {
                String value =
                        ((ReceiverContext<Object>) receiver).getGetter().get(receiver.getCarrier(), "test-trace");
                if (value != null) {
                    received.set(value);
                }
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    @Test
    void runWhenServerRunsShouldReportHealthUpWithDetails() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            Health health = context.getBean("shmipcHealthIndicator", HealthIndicator.class)
                    .health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("role", "server")
                    .containsEntry("name", region.name())
                    .containsEntry("serverPid", ProcessHandle.current().pid())
                    .containsEntry("slots", 4)
                    .containsKeys("path", "epoch", "slotsInUse");
            // A client of the same name sees the server as well.
            runner.run(client -> {
                Health clientHealth = client.getBean("shmipcHealthIndicator", HealthIndicator.class)
                        .health();
                assertThat(clientHealth.getStatus()).isEqualTo(Status.UP);
                assertThat(clientHealth.getDetails())
                        .containsEntry("role", "client")
                        .containsEntry("serverPid", ProcessHandle.current().pid());
            });
        });
    }

    @Test
    void runWhenSecondAutoInstanceStartsShouldBecomeClientOfTheFirst() {
        runner.withUserConfiguration(TestHandlers.Config.class).run(first -> {
            assertThat(first.getBean(ShmServerLifecycle.class).isRunning()).isTrue();
            runner.withUserConfiguration(TestHandlers.Config.class).run(second -> {
                assertThat(second).hasNotFailed();
                assertThat(second.getBean(ShmServerLifecycle.class).isRunning()).isFalse();
                assertThat(second.getBean(ShmTemplate.class).call("upper", "b", String.class))
                        .isEqualTo("B");
                assertThat(first.getBean(TestHandlers.class).seenHeader).hasValue(null);
            });
        });
    }

    @Test
    void runWhenSecondServerRoleStartsShouldFailWithAnalysis() {
        runner.withUserConfiguration(TestHandlers.Config.class)
                .run(first -> runner.withPropertyValues("shmipc.role=server").run(second -> {
                    assertThat(second).hasFailed();
                    assertThat(second.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(ShmServerAlreadyRunningException.class);
                    FailureAnalysis analysis = new ShmFailureAnalyzer().analyze(second.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains(region.name())
                            .contains("already running");
                }));
    }

    @Test
    void runWhenRoleServerWithoutHandlersShouldServeNoHandler() {
        runner.withPropertyValues("shmipc.role=server").run(context -> {
            assertThat(context.getBean(ShmServerLifecycle.class).isRunning()).isTrue();
            assertThatExceptionOfType(ShmNoHandlerException.class)
                    .isThrownBy(() -> context.getBean(ShmTemplate.class).call("any", "x", String.class));
        });
    }

    @Test
    void runWhenRoleClientShouldNotServeItsHandlers() {
        runner.withUserConfiguration(TestHandlers.Config.class)
                .withPropertyValues("shmipc.role=client")
                .run(context -> {
                    assertThat(context.getBean(ShmServerLifecycle.class).isRunning())
                            .isFalse();
                    assertThat(region.directory().resolve(region.name())).doesNotExist();
                });
    }

    @Test
    void runWhenFailFastAndNoServerShouldFailWithAnalysis() {
        runner.withPropertyValues("shmipc.client.fail-fast=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ShmServerUnavailableException.class);
            assertThat(new ShmFailureAnalyzer()
                            .analyze(context.getStartupFailure())
                            .getAction())
                    .contains("shmipc.client.fail-fast=false");
        });
    }

    @Test
    void runWhenFailFastAndServerRunningShouldStart() {
        runner.withUserConfiguration(TestHandlers.Config.class)
                .run(server -> runner.withPropertyValues("shmipc.client.fail-fast=true", "shmipc.role=client")
                        .run(client -> assertThat(client).hasNotFailed()));
    }

    @Test
    void closeShouldStopTheServerAndRemoveItsRegion() {
        AtomicReference<Path> region = new AtomicReference<>();
        runner.withUserConfiguration(TestHandlers.Config.class).run(context -> {
            region.set(context.getBean(ShmServerLifecycle.class).info().path());
            assertThat(region.get()).exists();
        });
        assertThat(Files.exists(region.get())).isFalse();
    }

    @Test
    void runWhenNoObservationRegistryShouldStillCall() {
        runner.withUserConfiguration(TestHandlers.Config.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.micrometer"))
                .run(context -> assertThat(context.getBean(ShmTemplate.class).call("upper", "n", String.class))
                        .isEqualTo("N"));
    }
}
