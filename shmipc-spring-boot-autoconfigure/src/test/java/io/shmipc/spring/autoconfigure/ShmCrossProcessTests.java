package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.spring.JacksonShmCodec;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.spring.autoconfigure.CrossProcessServerApp.Confirmation;
import io.shmipc.spring.autoconfigure.CrossProcessServerApp.Greeting;
import io.shmipc.spring.autoconfigure.CrossProcessServerApp.Line;
import io.shmipc.spring.autoconfigure.CrossProcessServerApp.Order;
import io.shmipc.spring.autoconfigure.CrossProcessServerApp.Person;
import io.shmipc.spring.autoconfigure.CrossProcessServerApp.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
        clientRunner()
                .withPropertyValues("shmipc.client.fail-fast=true")
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

    /**
     * Records through the codec in the shapes applications send, from a client JVM to a server JVM, in every
     * encoding the {@code shmipc.codec} property offers: the path users run, not only byte[].
     */
    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor", "smile"})
    void recordsShouldTravelBetweenJvmsInEveryCodec(String codec) throws Exception {
        startServer("--shmipc.codec=" + codec);
        clientRunner().withPropertyValues("shmipc.codec=" + codec).run(context -> {
            assertThat(context).hasNotFailed();
            ShmTemplate template = context.getBean(ShmTemplate.class);
            Order order = sampleOrder(1_000);

            Confirmation confirmation = template.call("orders.confirm", order, Confirmation.class);
            assertThat(confirmation.orderId()).isEqualTo(order.id());
            assertThat(confirmation.total()).isEqualByComparingTo("31.47");
            assertThat(confirmation.status()).isEqualTo(Status.SHIPPED);
            assertThat(confirmation.attachmentBytes()).isEqualTo(1_000);
            assertThat(confirmation.note())
                    .isEqualTo("ünïcödé ✓|SAVE10|{region=eu, channel=web}|2026-11-29T21:00:00.123456789Z");

            assertThat(template.call("orders.echo", order, Order.class))
                    .usingRecursiveComparison()
                    .isEqualTo(order);
            Order sparse = new Order(
                    order.id(),
                    "c",
                    List.of(),
                    Map.of(),
                    order.placedAt(),
                    Status.NEW,
                    null,
                    Optional.empty(),
                    new byte[0]);
            assertThat(template.call("orders.echo", sparse, Order.class))
                    .usingRecursiveComparison()
                    .isEqualTo(sparse);

            // A generic parameter (List<Order>) on the server; an array on the client.
            assertThat(template.call("orders.lines", List.of(order, order), Line[].class))
                    .hasSize(4)
                    .containsOnly(order.lines().toArray(Line[]::new));

            // null travels both ways as an empty payload.
            assertThat(template.call("orders.nothing", null, Order.class)).isNull();

            // Larger than the default 64KB slot: refused before sending, naming the exact size.
            Order tooLarge = sampleOrder(100_000);
            long encodedSize = context.getBean(JacksonShmCodec.class).encode(tooLarge).length;
            assertThatExceptionOfType(ShmPayloadTooLargeException.class)
                    .isThrownBy(() -> template.call("orders.echo", tooLarge, Order.class))
                    .satisfies(ex -> assertThat(ex.getSize()).isEqualTo(encodedSize));
            // The refused call left nothing behind: the next one goes through.
            assertThat(template.call("orders.confirm", order, Confirmation.class)
                            .orderId())
                    .isEqualTo(order.id());

            // A direct buffer in, the reply read in place, and an in-place echo on the server.
            ByteBuffer blob = ByteBuffer.allocateDirect(50_000);
            for (int i = 0; i < blob.capacity(); i++) {
                blob.put(i, (byte) (i * 31));
            }
            blob.position(10);
            long checksum = template.call("blob.in-place", blob, reply -> {
                assertThat(reply.isReadOnly()).isTrue();
                long sum = reply.remaining();
                for (int i = 0; i < reply.remaining(); i++) {
                    sum = sum * 31 + reply.get(i);
                }
                return sum;
            });
            long expected = blob.remaining();
            for (int i = blob.position(); i < blob.limit(); i++) {
                expected = expected * 31 + blob.get(i);
            }
            assertThat(checksum).isEqualTo(expected);
            assertThat(blob.position())
                    .as("the caller's buffer is left as it was")
                    .isEqualTo(10);
        });
    }

    private static Order sampleOrder(int attachmentBytes) {
        byte[] attachment = new byte[attachmentBytes];
        for (int i = 0; i < attachment.length; i++) {
            attachment[i] = (byte) i;
        }
        return new Order(
                UUID.fromString("6f1c2a7e-1d2b-4c3d-9e8f-0a1b2c3d4e5f"),
                "Ada",
                List.of(new Line("sku-1", 3, new BigDecimal("9.99")), new Line("sku-2", 1, new BigDecimal("1.50"))),
                tags("region", "eu", "channel", "web"),
                Instant.parse("2026-11-29T21:00:00.123456789Z"),
                Status.NEW,
                "ünïcödé ✓",
                Optional.of("SAVE10"),
                attachment);
    }

    /** @return a client context of the server this test started */
    private ApplicationContextRunner clientRunner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ShmAutoConfiguration.class))
                .withPropertyValues("shmipc.name=" + name, "shmipc.directory=" + directory, "shmipc.role=client");
    }

    /** @return a map that keeps the order its keys were given in */
    private static Map<String, String> tags(String... keysAndValues) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tags.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return tags;
    }

    private void startServer(String... extraArgs) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CrossProcessServerApp.class.getName(),
                "--shmipc.name=" + name,
                "--shmipc.directory=" + directory,
                "--shmipc.role=server",
                "--spring.main.banner-mode=off"));
        command.addAll(List.of(extraArgs));
        server = new ProcessBuilder(command).redirectErrorStream(true).start();
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
