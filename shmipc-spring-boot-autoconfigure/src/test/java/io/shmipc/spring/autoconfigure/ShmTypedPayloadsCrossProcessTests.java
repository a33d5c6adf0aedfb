package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.spring.JacksonShmCodec;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.spring.autoconfigure.TypedPayloadHandlers.Confirmation;
import io.shmipc.spring.autoconfigure.TypedPayloadHandlers.Line;
import io.shmipc.spring.autoconfigure.TypedPayloadHandlers.Order;
import io.shmipc.spring.autoconfigure.TypedPayloadHandlers.Status;
import io.shmipc.testing.ChildJvm;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Records through the default codec in the shapes applications send, between a client JVM and a server
 * JVM on the real engine, in every encoding {@code shmipc.codec} offers: the path users run, not only
 * {@code byte[]}. Also the zero-copy {@link java.nio.ByteBuffer} path of {@link ShmTemplate}.
 */
class ShmTypedPayloadsCrossProcessTests {

    @TempDir
    Path directory;

    private final String name = "shmipc-test-typed-" + UUID.randomUUID();
    private ChildJvm server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Records through the codec in the shapes applications send, from a client JVM to a server JVM, in every
     * encoding the {@code shmipc.codec} property offers: the path users run, not only byte[].
     */
    @ParameterizedTest
    @ValueSource(strings = {"json", "cbor", "smile"})
    void recordsShouldTravelBetweenJvmsInEveryCodec(String codec) throws Exception {
        startServer(codec);
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
            assertThat(template.call("orders.maybe", null, Order.class)).isNull();

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

    /** @return a client context of the server this test started */
    private ApplicationContextRunner clientRunner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ShmAutoConfiguration.class))
                .withPropertyValues("shmipc.name=" + name, "shmipc.directory=" + directory, "shmipc.role=client");
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

    /** @return a map that keeps the order its keys were given in */
    private static Map<String, String> tags(String... keysAndValues) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tags.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return tags;
    }

    private void startServer(String codec) {
        server = ChildJvm.main(
                        CrossProcessServerApp.class,
                        "--shmipc.name=" + name,
                        "--shmipc.directory=" + directory,
                        "--shmipc.role=server",
                        "--shmipc.codec=" + codec,
                        "--spring.main.banner-mode=off")
                .label("typed-payloads-server-" + codec)
                .removeOnClose(directory.resolve(name))
                .start();
        server.awaitLine(line -> line.contains(CrossProcessServerApp.READY), Duration.ofSeconds(120));
    }
}
