package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.WaitMode;
import io.shmipc.spring.ShmRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** Binding and validation of {@code shmipc.*}, without shared memory. */
class ShmPropertiesTests {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(PropertiesConfig.class);

    /** With the auto-configuration, which checks for moved properties; a client that never connects. */
    private final ApplicationContextRunner autoConfigured =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ShmAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ShmProperties.class)
    static class PropertiesConfig {}

    @Test
    void runWhenOnlyNameSetShouldUseDocumentedDefaults() {
        runner.withPropertyValues("shmipc.name=orders").run(context -> {
            ShmProperties properties = context.getBean(ShmProperties.class);
            assertThat(properties.role()).isEqualTo(ShmRole.AUTO);
            assertThat(properties.directory()).isNull();
            assertThat(properties.server().slots()).isEqualTo(16);
            assertThat(properties.server().slotSize()).isEqualTo(DataSize.ofKilobytes(64));
            assertThat(properties.server().fileMode()).isEqualTo("0600");
            assertThat(properties.client().timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.client().failFast()).isFalse();
            assertThat(properties.waiting().mode()).isEqualTo(WaitMode.HYBRID);
            assertThat(properties.waiting().spin()).isEqualTo(Duration.ofNanos(100_000));
            assertThat(properties.server().concurrency()).isEqualTo(1);
            assertThat(properties.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.liveness().interval()).isEqualTo(Duration.ofMillis(250));
            assertThat(properties.liveness().timeout()).isEqualTo(Duration.ofSeconds(1));
            // The defaults must be the engine's own, or the two documented defaults would disagree.
            assertThat(properties.toShmConfig()).isEqualTo(ShmConfig.defaults());
        });
    }

    @Test
    void runWhenEveryPropertySetShouldMapToShmConfig() {
        runner.withPropertyValues(
                        "shmipc.name=orders.v2_x-y",
                        "shmipc.role=server",
                        "shmipc.directory=/tmp/shm-x",
                        "shmipc.server.slots=4",
                        "shmipc.server.slot-size=1MB",
                        "shmipc.server.file-mode=0660",
                        "shmipc.client.timeout=250ms",
                        "shmipc.client.fail-fast=true",
                        "shmipc.wait.mode=spin",
                        "shmipc.wait.spin=20us",
                        "shmipc.server.concurrency=3",
                        "shmipc.server.shutdown-grace=2s",
                        "shmipc.liveness.interval=50ms",
                        "shmipc.liveness.timeout=500ms")
                .run(context -> {
                    ShmProperties properties = context.getBean(ShmProperties.class);
                    assertThat(properties.name()).isEqualTo("orders.v2_x-y");
                    assertThat(properties.role()).isEqualTo(ShmRole.SERVER);
                    assertThat(properties.client().timeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(properties.client().failFast()).isTrue();
                    ShmConfig config = properties.toShmConfig();
                    assertThat(config.directory()).isEqualTo(Path.of("/tmp/shm-x"));
                    assertThat(config.slotCount()).isEqualTo(4);
                    assertThat(config.slotCapacity()).isEqualTo(1024 * 1024);
                    assertThat(config.fileMode()).isEqualTo(0660);
                    assertThat(config.waitMode()).isEqualTo(WaitMode.SPIN);
                    assertThat(config.spinTime()).isEqualTo(Duration.ofNanos(20_000));
                    assertThat(config.serverConcurrency()).isEqualTo(3);
                    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(config.livenessInterval()).isEqualTo(Duration.ofMillis(50));
                    assertThat(config.livenessTimeout()).isEqualTo(Duration.ofMillis(500));
                });
    }

    @Test
    void runWhenNameMissingShouldFailAndSayHowToSetIt() {
        runner.run(context -> assertThat(analysis(context.getStartupFailure())).satisfies(analysis -> {
            assertThat(analysis.getDescription()).contains("shmipc.name is not set");
            assertThat(analysis.getAction()).contains("Update shmipc.name");
        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", ".hidden", "a b", "a/b", "naïve", "orders.lock"})
    void runWhenNameInvalidShouldFailNamingTheRule(String name) {
        runner.withPropertyValues("shmipc.name=" + name)
                .run(context -> assertThat(analysis(context.getStartupFailure()).getDescription())
                        .contains("'" + name + "'")
                        .contains("not starting with a dot")
                        .contains("shmipc.name '" + name + "' is an invalid shmipc name"));
    }

    @Test
    void runWhenNameTooLongShouldFail() {
        runner.withPropertyValues("shmipc.name=" + "a".repeat(101))
                .run(context -> assertThat(analysis(context.getStartupFailure()).getDescription())
                        .contains("1 to 100 characters"));
    }

    @Test
    void runWhenNameHasMaximumLengthShouldBind() {
        runner.withPropertyValues("shmipc.name=" + "a".repeat(100))
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void runWhenSlotsZeroShouldFailNamingTheProperty() {
        runner.withPropertyValues("shmipc.name=x", "shmipc.server.slots=0").run(context -> {
            FailureAnalysis analysis = analysis(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("shmipc.server.slots")
                    .contains("was 0");
            assertThat(analysis.getAction()).contains("Update shmipc.server.slots");
        });
    }

    @Test
    void runWhenFileModeNotOctalShouldFail() {
        // What YAML makes of an unquoted 0600: the decimal 384, which is not octal.
        runner.withPropertyValues("shmipc.name=x", "shmipc.server.file-mode=384")
                .run(context -> assertThat(analysis(context.getStartupFailure()).getAction())
                        .contains("shmipc.server.file-mode"));
    }

    @Test
    void runWhenLivenessTimeoutTooShortShouldFail() {
        runner.withPropertyValues("shmipc.name=x", "shmipc.liveness.interval=1s", "shmipc.liveness.timeout=1s")
                .run(context -> assertThat(analysis(context.getStartupFailure()).getAction())
                        .contains("shmipc.liveness.timeout"));
    }

    @Test
    void runWhenTimeoutNotPositiveShouldFail() {
        runner.withPropertyValues("shmipc.name=x", "shmipc.client.timeout=0s")
                .run(context -> assertThat(analysis(context.getStartupFailure()).getDescription())
                        .contains("shmipc.client.timeout must be positive"));
    }

    @Test
    void runWhenSlotSizeTooLargeShouldFail() {
        runner.withPropertyValues("shmipc.name=x", "shmipc.server.slot-size=4GB")
                .run(context -> assertThat(analysis(context.getStartupFailure()).getDescription())
                        .contains("shmipc.server.slot-size"));
    }

    @ParameterizedTest
    @CsvSource({
        "shmipc.slots=4, shmipc.slots, shmipc.server.slots",
        "shmipc.slot-size=1MB, shmipc.slot-size, shmipc.server.slot-size",
        "shmipc.slotSize=1MB, shmipc.slot-size, shmipc.server.slot-size",
        "shmipc.file-mode=0660, shmipc.file-mode, shmipc.server.file-mode"
    })
    void runWhenOldServerPropertySetShouldFailNamingNewPath(String setting, String old, String moved) {
        autoConfigured
                .withPropertyValues("shmipc.name=x" + UUID.randomUUID(), "shmipc.role=client", setting)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOfSatisfying(
                                    InvalidConfigurationPropertyValueException.class,
                                    ex -> assertThat(ex.getName()).isEqualTo(old))
                            .hasMessageContaining(old + " moved to " + moved)
                            .hasMessageContaining("rename it to " + moved);
                });
    }

    @Test
    void runWhenOldSlotsPropertySetShouldFailNamingNewPath() {
        autoConfigured
                .withPropertyValues("shmipc.name=x" + UUID.randomUUID(), "shmipc.role=client", "shmipc.slots=4")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("Property shmipc.slots with value '4' is invalid")
                        .hasMessageContaining("shmipc.server.slots"));
    }

    @Test
    void runWhenOnlyNewServerPathsSetShouldStart() {
        autoConfigured
                .withPropertyValues(
                        "shmipc.name=x" + UUID.randomUUID(),
                        "shmipc.role=client",
                        "shmipc.server.slots=4",
                        "shmipc.server.slot-size=1MB",
                        "shmipc.server.file-mode=0660")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ShmConfig.class));
    }

    private static FailureAnalysis analysis(Throwable failure) {
        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new ShmFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }
}
