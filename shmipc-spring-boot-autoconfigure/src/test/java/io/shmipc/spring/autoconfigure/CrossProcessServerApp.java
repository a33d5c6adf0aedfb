package io.shmipc.spring.autoconfigure;

import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmRequestContext;
import io.shmipc.spring.TestPayloads;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server side of {@link ShmCrossProcessTests}, run in its own JVM. Prints {@link #READY} once it
 * serves, and stops gracefully when its standard input closes, so it never outlives the test.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({JacksonAutoConfiguration.class, ShmAutoConfiguration.class})
public class CrossProcessServerApp {

    static final String READY = "SHMIPC-SERVER-READY";
    static final String STOPPED = "SHMIPC-SERVER-STOPPED";

    /** A JSON request. */
    public record Person(String name, int age) {}

    /** A JSON reply. */
    public record Greeting(String text, long serverPid) {}

    /** Where an order stands: an enum field. */
    public enum Status {
        NEW,
        SHIPPED
    }

    /** A nested record with a decimal. */
    public record Line(String sku, int quantity, BigDecimal price) {}

    /**
     * A request shaped like real ones: nested records, a list, a map, an instant, an enum, a nullable
     * field, an optional one and binary data.
     */
    public record Order(
            UUID id,
            String customer,
            List<Line> lines,
            Map<String, String> tags,
            Instant placedAt,
            Status status,
            String note,
            Optional<String> coupon,
            byte[] attachment) {}

    /** What the server makes of an {@link Order}. */
    public record Confirmation(UUID orderId, BigDecimal total, Status status, int attachmentBytes, String note) {}

    static class Handlers {

        @ShmHandler("orders.confirm")
        Confirmation confirm(Order order) {
            BigDecimal total = order.lines().stream()
                    .map(line -> line.price().multiply(BigDecimal.valueOf(line.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            return new Confirmation(
                    order.id(),
                    total,
                    Status.SHIPPED,
                    order.attachment().length,
                    order.note() + "|" + order.coupon().orElse("-") + "|" + order.tags() + "|" + order.placedAt());
        }

        @ShmHandler("orders.echo")
        Order echoOrder(Order order) {
            return order;
        }

        @ShmHandler("orders.lines")
        List<Line> lines(List<Order> orders) {
            return orders.stream().flatMap(order -> order.lines().stream()).toList();
        }

        @ShmHandler("orders.nothing")
        Order nothing(Order order) {
            return order == null ? null : order;
        }

        @ShmHandler("blob.in-place")
        ByteBuffer inPlace(ByteBuffer blob) {
            return blob;
        }

        @ShmHandler("greet")
        Greeting greet(Person person) {
            return new Greeting(
                    "Hello " + person.name() + ", " + person.age(),
                    ProcessHandle.current().pid());
        }

        @ShmHandler("reverse")
        byte[] reverse(byte[] bytes) {
            return TestPayloads.reverse(bytes);
        }

        @ShmHandler("upper")
        String upper(String text) {
            return text.toUpperCase();
        }

        @ShmHandler("header")
        String header(ShmRequestContext context) {
            return context.headers().getOrDefault("test-trace", "none") + "@" + context.clientPid();
        }

        @ShmHandler("boom")
        String boom(String text) {
            throw new UnsupportedOperationException("cannot " + text);
        }
    }

    @Bean
    Handlers handlers() {
        return new Handlers();
    }

    public static void main(String[] args) throws IOException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CrossProcessServerApp.class)
                .web(WebApplicationType.NONE)
                .run(args);
        System.out.println(READY);
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // Wait for the test to close our standard input.
        }
        context.close();
        System.out.println(STOPPED);
        System.out.flush();
    }
}
