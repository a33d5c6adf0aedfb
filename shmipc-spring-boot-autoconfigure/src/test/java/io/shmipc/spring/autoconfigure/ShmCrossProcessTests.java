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
import io.shmipc.spring.autoconfigure.CrossProcessServerApp.Greeting;
import io.shmipc.spring.autoconfigure.CrossProcessServerApp.Person;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A server context and a client context in separate JVMs, talking through the real engine. */
class ShmCrossProcessTests {

    @TempDir
    Path directory;

    private final String name = "shmipc-test-" + UUID.randomUUID();
    private final List<String> serverOutput = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Process server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void clientInAnotherJvmShouldCallThroughShmTemplate() throws Exception {
        startServer();
        TestObservationRegistry observations = TestObservationRegistry.create();
        observations.observationConfig().observationHandler(new HeaderWriter());
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ShmAutoConfiguration.class))
                .withPropertyValues(
                        "shmipc.name=" + name,
                        "shmipc.directory=" + directory,
                        "shmipc.role=client",
                        "shmipc.client.fail-fast=true")
                .withBean(ObservationRegistry.class, () -> observations)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ShmTemplate template = context.getBean(ShmTemplate.class);
                    Greeting greeting = template.call("greet", new Person("Ada", 36), Greeting.class);
                    assertThat(greeting.text()).isEqualTo("Hello Ada, 36");
                    assertThat(greeting.serverPid())
                            .isEqualTo(server.pid())
                            .isNotEqualTo(ProcessHandle.current().pid());
                    assertThat(template.call("reverse", new byte[] {1, 2, 3, 4}))
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
                            .isThrownBy(() -> template.call("boom", "fly", String.class))
                            .satisfies(ex -> {
                                assertThat(ex.getRemoteType()).isEqualTo(UnsupportedOperationException.class.getName());
                                assertThat(ex.getRemoteMessage()).isEqualTo("cannot fly");
                            });

                    // A graceful stop of the server process: it drains, exits and removes its region.
                    server.getOutputStream().close();
                    assertThat(stopped.await(60, TimeUnit.SECONDS))
                            .as("server stopped; output: %s", serverOutput)
                            .isTrue();
                    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(server.exitValue()).isZero();
                    assertThat(directory.resolve(name)).doesNotExist();
                    await().atMost(Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThatExceptionOfType(ShmServerUnavailableException.class)
                                    .isThrownBy(() -> template.call("upper", "x", String.class)));
                });
    }

    private void startServer() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        server = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrossProcessServerApp.class.getName(),
                        "--shmipc.name=" + name,
                        "--shmipc.directory=" + directory,
                        "--shmipc.role=server",
                        "--spring.main.banner-mode=off")
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            synchronized (serverOutput) {
                                serverOutput.add(line);
                            }
                            if (line.contains(CrossProcessServerApp.READY)) {
                                ready.countDown();
                            } else if (line.contains(CrossProcessServerApp.STOPPED)) {
                                stopped.countDown();
                            }
                        }
                    } catch (IOException ignored) {
                        // The process ended.
                    }
                },
                "server-output");
        reader.setDaemon(true);
        reader.start();
        assertThat(ready.await(120, TimeUnit.SECONDS))
                .as("server ready; output: %s", serverOutput)
                .isTrue();
    }

    /** Writes a fixed trace header, as a tracing handler's propagator would. */
    static final class HeaderWriter implements ObservationHandler<Observation.Context> {

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            if (context instanceof SenderContext<?> sender) {
                ((SenderContext<Object>) sender).getSetter().set(sender.getCarrier(), "test-trace", "t-42");
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof SenderContext<?>;
        }
    }
}
