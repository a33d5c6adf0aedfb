package io.shmipc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.shmipc.core.ShmRemoteException;
import io.shmipc.spring.ImportShmServices;
import io.shmipc.spring.ShmClientInterceptor;
import io.shmipc.spring.ShmExchange;
import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmOperations;
import io.shmipc.spring.ShmResponseEntity;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.spring.ShmTemplateBuilder;
import io.shmipc.spring.ShmTemplateCustomizer;
import io.shmipc.testing.TestPayloads;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

/** The client side of the auto-configuration: builder, customizers, interceptors, declarative clients. */
class ShmTemplateAutoConfigurationTests {

    @TempDir
    Path directory;

    private final String name = "shmipc-client-" + UUID.randomUUID();

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ShmAutoConfiguration.class))
                .withPropertyValues("shmipc.name=" + name, "shmipc.directory=" + directory, "shmipc.server.slots=4");
    }

    /** Served in the same context (role auto with handlers: this context is the server). */
    static class Handlers {

        @ShmHandler("orders.place")
        ShmResponseEntity<Receipt> place(
                Order order, @Header("tenant") String tenant, @Header(name = "trail", required = false) String trail) {
            return ShmResponseEntity.of(TestPayloads.receiptFor(order))
                    .withHeader("tenant-seen", tenant)
                    .withHeader("trail-seen", String.valueOf(trail));
        }

        @ShmHandler("orders.find")
        Order find(String id) {
            return id.equals("none") ? null : new Order(id, 1);
        }

        @ShmHandler("orders.fail")
        String fail(String text) {
            throw new IllegalStateException("cannot " + text);
        }
    }

    /** A declarative client of {@link Handlers}. */
    public interface OrderClient {

        @ShmExchange("orders.place")
        Receipt place(Order order, @Header("tenant") String tenant);

        @ShmExchange("orders.place")
        ShmResponseEntity<Receipt> placeWithHeaders(Order order, @Header("tenant") String tenant);

        @ShmExchange(value = "orders.find", timeout = "2s")
        Optional<Order> find(String id);

        @ShmExchange("orders.find")
        CompletableFuture<Order> findAsync(String id);

        @ShmExchange("orders.fail")
        void fail(String text);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportShmServices(OrderClient.class)
    static class ServerAndClient {

        @Bean
        Handlers handlers() {
            return new Handlers();
        }
    }

    /** Records the order interceptors ran in; the second adds a header the handler echoes. */
    @Configuration(proxyBeanMethods = false)
    static class Interceptors {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        @org.springframework.core.annotation.Order(2)
        ShmClientInterceptor second() {
            return (request, execution) -> {
                calls.add("second " + request.route());
                return execution.execute(request.header("trail", "second"));
            };
        }

        @Bean
        @org.springframework.core.annotation.Order(1)
        ShmClientInterceptor first() {
            return (request, execution) -> {
                calls.add("first " + request.route());
                return execution.execute(request);
            };
        }
    }

    @Test
    void runWhenShmipcConfiguredShouldProvidePrototypeBuilderAndTemplateAsOperations() {
        runner().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ShmTemplate.class).hasSingleBean(ShmOperations.class);
            ShmTemplateBuilder one = context.getBean(ShmTemplateBuilder.class);
            ShmTemplateBuilder two = context.getBean(ShmTemplateBuilder.class);
            assertThat(one).isNotSameAs(two);
            // Changing one injection point's builder leaves the others alone.
            one.defaultTimeout(Duration.ofMillis(123));
            assertThat(two.build().getDefaultTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(one.build().getDefaultTimeout()).isEqualTo(Duration.ofMillis(123));
            assertThat(context.getBean(ShmTemplate.class).getCodec()).isNotNull();
        });
    }

    @Test
    void runWhenCustomizersPresentShouldApplyThemInOrder() {
        runner().withPropertyValues("shmipc.client.timeout=3s")
                .withBean("late", ShmTemplateCustomizer.class, () -> new OrderedCustomizer(2, Duration.ofSeconds(9)))
                .withBean("early", ShmTemplateCustomizer.class, () -> new OrderedCustomizer(1, Duration.ofSeconds(7)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    // Properties first, then customizers in order: the last one wins.
                    assertThat(context.getBean(ShmTemplate.class).getDefaultTimeout())
                            .isEqualTo(Duration.ofSeconds(9));
                    assertThat(context.getBean(ShmTemplateBuilder.class).build().getDefaultTimeout())
                            .isEqualTo(Duration.ofSeconds(9));
                });
    }

    @Test
    void runWhenUserDefinesTemplateBuilderShouldBackOff() {
        runner().withBean("myBuilder", ShmTemplateBuilder.class, () -> new ShmTemplateBuilder(
                                new io.shmipc.core.ShmClient(name, io.shmipc.core.ShmConfig.defaults()))
                        .defaultTimeout(Duration.ofSeconds(1)))
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(ShmTemplateBuilder.class)
                            .hasBean("myBuilder");
                    assertThat(context.getBean(ShmTemplate.class).getDefaultTimeout())
                            .isEqualTo(Duration.ofSeconds(1));
                });
    }

    @Test
    void runWhenInterceptorBeansPresentShouldRunThemInOrderAroundEveryCall() {
        runner().withUserConfiguration(ServerAndClient.class, Interceptors.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ShmTemplate template = context.getBean(ShmTemplate.class);
                    ShmResponseEntity<Receipt> reply = template.route("orders.place")
                            .header("tenant", "t1")
                            .body(new Order("o-1", 2))
                            .toEntity(Receipt.class);
                    assertThat(reply.body()).isEqualTo(new Receipt("o-1", 20));
                    assertThat(reply.headers())
                            .containsEntry("tenant-seen", "t1")
                            .containsEntry("trail-seen", "second");
                    assertThat(context.getBean(Interceptors.class).calls)
                            .containsExactly("first orders.place", "second orders.place");
                });
    }

    @Test
    void runWhenServicesImportedShouldCallHandlersThroughTheTemplate() {
        runner().withUserConfiguration(ServerAndClient.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(OrderClient.class);
            OrderClient orders = context.getBean(OrderClient.class);
            assertThat(orders.place(new Order("o-2", 3), "t2")).isEqualTo(new Receipt("o-2", 30));
            assertThat(orders.placeWithHeaders(new Order("o-3", 1), "t3").headers())
                    .containsEntry("tenant-seen", "t3")
                    .containsEntry("trail-seen", "null");
            assertThat(orders.find("o-4")).contains(new Order("o-4", 1));
            assertThat(orders.find("none")).isEmpty();
            assertThat(orders.findAsync("o-5").get(10, TimeUnit.SECONDS)).isEqualTo(new Order("o-5", 1));
            org.assertj.core.api.Assertions.assertThatExceptionOfType(ShmRemoteException.class)
                    .isThrownBy(() -> orders.fail("fly"))
                    .satisfies(ex -> assertThat(ex.getRemoteMessage()).isEqualTo("cannot fly"));
        });
    }

    /** A customizer with an explicit order that sets the default timeout. */
    record OrderedCustomizer(int order, Duration timeout)
            implements ShmTemplateCustomizer, org.springframework.core.Ordered {

        @Override
        public void customize(ShmTemplateBuilder builder) {
            builder.defaultTimeout(timeout);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }
}
