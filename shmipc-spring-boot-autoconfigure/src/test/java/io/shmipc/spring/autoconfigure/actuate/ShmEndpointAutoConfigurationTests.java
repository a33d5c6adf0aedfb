package io.shmipc.spring.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.spring.TestHandlers;
import io.shmipc.spring.autoconfigure.CrossProcessServerApp;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import io.shmipc.spring.autoconfigure.actuate.ShmEndpoint.ShmDescriptor;
import io.shmipc.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The {@code shmipc} Actuator endpoint: wiring, and what it reports about real servers. */
class ShmEndpointAutoConfigurationTests {

    @TempDir
    Path directory;

    private String name;
    private ApplicationContextRunner runner;

    @BeforeEach
    void setUp() {
        name = "shmipc-test-" + UUID.randomUUID();
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        JacksonAutoConfiguration.class, ShmAutoConfiguration.class, ShmEndpointAutoConfiguration.class))
                .withPropertyValues(
                        "shmipc.name=" + name,
                        "shmipc.directory=" + directory,
                        "shmipc.wait.mode=block",
                        "shmipc.server.slots=4");
    }

    @Test
    void runWhenNotExposedShouldNotProvideTheEndpoint() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ShmEndpoint.class));
    }

    @Test
    void runWhenExposedShouldProvideTheEndpoint() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=shmipc")
                .run(context -> assertThat(context).hasSingleBean(ShmEndpoint.class));
        runner.withPropertyValues("management.endpoints.jmx.exposure.include=shmipc", "spring.jmx.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(ShmEndpoint.class));
    }

    @Test
    void runWhenActuatorIsAbsentShouldNotProvideTheEndpoint() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .withPropertyValues("management.endpoints.web.exposure.include=shmipc")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ShmEndpoint.class));
    }

    @Test
    void runWhenExposedButAccessNoneShouldNotProvideTheEndpoint() {
        runner.withPropertyValues(
                        "management.endpoints.web.exposure.include=shmipc", "management.endpoint.shmipc.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(ShmEndpoint.class));
    }

    /** @return the runner with a meter registry fed by observations, as Boot's metrics wiring does */
    private ApplicationContextRunner withMeters() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return runner.withBean(MeterRegistry.class, () -> meters)
                .withBean(ObservationRegistry.class, () -> observations);
    }

    @Test
    void runWhenServingShouldDescribeRoleRoutesHandlersSlotsClientsAndCallMeters() {
        withMeters()
                .withUserConfiguration(TestHandlers.Config.class)
                .withPropertyValues("shmipc.role=server", "management.endpoints.web.exposure.include=shmipc")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ShmTemplate template = context.getBean(ShmTemplate.class);
                    assertThat(template.call("upper", "a", String.class)).isEqualTo("A");
                    assertThat(template.call("upper", "b", String.class)).isEqualTo("B");

                    ShmDescriptor descriptor =
                            context.getBean(ShmEndpoint.class).shmipc();

                    long self = ProcessHandle.current().pid();
                    assertThat(descriptor.role()).isEqualTo("SERVER");
                    assertThat(descriptor.name()).isEqualTo(name);
                    assertThat(descriptor.path())
                            .isEqualTo(directory.resolve(name).toString());
                    assertThat(descriptor.server().state()).isEqualTo("RUNNING");
                    assertThat(descriptor.server().pid()).isEqualTo(self);
                    assertThat(descriptor.server().epoch()).isEqualTo(1);
                    assertThat(descriptor.slots().count()).isEqualTo(4);
                    assertThat(descriptor.slots().byState()).containsEntry("FREE", 4);
                    assertThat(descriptor.clients())
                            .extracting(ShmEndpoint.ClientDescriptor::pid)
                            .containsExactly(self);
                    ShmEndpoint.RouteDescriptor upper = descriptor.routes().get("upper");
                    assertThat(upper.handler()).isEqualTo("testHandlers.upper(String, ShmRequestContext)");
                    assertThat(upper.served().count()).isEqualTo(2);
                    assertThat(upper.served().outcomes()).containsEntry("SUCCESS", 2L);
                    assertThat(upper.called().count()).isEqualTo(2);
                    assertThat(upper.called().meanMillis()).isPositive();
                    assertThat(descriptor.routes().get("orders.place").handler())
                            .startsWith("testHandlers.place(");
                    assertThat(descriptor.routes().get("orders.place").served()).isNull();
                });
    }

    @Test
    void runWhenACallHoldsASlotShouldShowTheOldestSlotAge() {
        runner.withUserConfiguration(HoldingHandler.class)
                .withPropertyValues(
                        "shmipc.role=server",
                        "shmipc.server.execution=virtual-threads",
                        "management.endpoints.web.exposure.include=shmipc")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HoldingHandler handler = context.getBean(HoldingHandler.class);
                    ShmEndpoint endpoint = context.getBean(ShmEndpoint.class);
                    assertThat(endpoint.shmipc().slots().oldestAgeMillis()).isNull();

                    long beforeCall = System.currentTimeMillis();
                    CompletableFuture<@Nullable String> held = context.getBean(ShmTemplate.class)
                            .callAsync("hold", "x", String.class, Duration.ofMinutes(2));
                    assertThat(handler.entered.await(2, TimeUnit.MINUTES)).isTrue();
                    ShmEndpoint.SlotsDescriptor slots = endpoint.shmipc().slots();
                    long sinceCall = System.currentTimeMillis() - beforeCall;

                    assertThat(slots.inUse()).isEqualTo(1);
                    assertThat(slots.oldestAgeMillis()).isNotNull().isBetween(0.0, (double) sinceCall + 1);
                    handler.release.countDown();
                    assertThat(held.get(2, TimeUnit.MINUTES)).isEqualTo("held x");
                });
    }

    /** A handler that holds its slot until released. */
    @Configuration(proxyBeanMethods = false)
    static class HoldingHandler {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @ShmHandler("hold")
        String hold(String request) throws InterruptedException {
            entered.countDown();
            release.await();
            return "held " + request;
        }
    }

    @Test
    void runWhenClientOfAServerInAnotherProcessShouldJudgeItAsClientsDo() {
        try (ChildJvm server = ChildJvm.main(
                        CrossProcessServerApp.class,
                        "--shmipc.name=" + name,
                        "--shmipc.directory=" + directory,
                        "--shmipc.role=server",
                        "--spring.main.banner-mode=off")
                .label("endpoint-server")
                .removeOnClose(directory.resolve(name))
                .removeOnClose(directory.resolve(name + ".lock"))
                .start()) {
            server.awaitLine(line -> line.contains("SHMIPC-SERVER-READY"), Duration.ofSeconds(120));
            withMeters()
                    .withPropertyValues(
                            "shmipc.role=client",
                            "shmipc.liveness.interval=50ms",
                            "shmipc.liveness.timeout=500ms",
                            "management.endpoints.web.exposure.include=shmipc")
                    .run(context -> {
                        ShmEndpoint endpoint = context.getBean(ShmEndpoint.class);
                        assertThat(context.getBean(ShmTemplate.class).call("upper", "x", String.class))
                                .isEqualTo("X");

                        ShmDescriptor live = endpoint.shmipc();
                        assertThat(live.role()).isEqualTo("CLIENT");
                        assertThat(live.server().state()).isEqualTo("RUNNING");
                        assertThat(live.server().pid()).isEqualTo(server.pid());
                        assertThat(live.server().process()).isEqualTo("alive");
                        assertThat(live.clients())
                                .extracting(ShmEndpoint.ClientDescriptor::pid)
                                .containsExactly(ProcessHandle.current().pid());
                        assertThat(live.routes().get("upper").handler()).isNull();
                        assertThat(live.routes().get("upper").served()).isNull();
                        assertThat(live.routes().get("upper").called().count()).isEqualTo(1);

                        server.kill();
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> endpoint.shmipc().server().state(), "DEAD"::equals);
                    });
        }
    }

    @Test
    void runWhenNoRegionShouldReportTheServerAbsent() {
        runner.withPropertyValues("shmipc.role=client", "management.endpoints.web.exposure.include=shmipc")
                .run(context -> {
                    ShmDescriptor descriptor =
                            context.getBean(ShmEndpoint.class).shmipc();
                    assertThat(descriptor.server().state()).isEqualTo("ABSENT");
                    assertThat(descriptor.server().problem()).contains("no region");
                    assertThat(descriptor.slots()).isNull();
                    assertThat(descriptor.clients()).isEmpty();
                });
    }
}
