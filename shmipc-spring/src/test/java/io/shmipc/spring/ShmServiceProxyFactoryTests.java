package io.shmipc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmServer;
import io.shmipc.testing.TestPayloads.Order;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import tools.jackson.databind.json.JsonMapper;

/** Declarative clients through the real engine (server in this JVM), and their mapping errors. */
class ShmServiceProxyFactoryTests {

    /** A client of the echo server below. */
    public interface EchoClient {

        @ShmExchange("echo")
        Order order(Order order);

        @ShmExchange(value = "echo", timeout = "3s")
        List<Order> orders(List<Order> orders);

        @ShmExchange("echo")
        String text(String text, @Header("tenant") String tenant, @Header(name = "opt", required = false) String opt);

        @ShmExchange("headers")
        String headersOf(@Header("tenant") String tenant, @Header(name = "level", defaultValue = "low") String level);

        @ShmExchange("echo")
        Optional<Order> maybe(Order order);

        @ShmExchange("echo")
        ShmResponseEntity<String> entity(String text, @Header("k") String k);

        @ShmExchange("echo")
        CompletableFuture<List<Order>> async(List<Order> orders);

        @ShmExchange("echo")
        CompletableFuture<Optional<String>> asyncMaybe(String text);

        @ShmExchange("echo")
        void fire(String text);

        @ShmExchange("fail")
        String fail(String text);

        default String shout(String text) {
            return text(text, "t", null).toUpperCase();
        }
    }

    interface TwoPayloads {
        @ShmExchange("x")
        String call(Order a, Order b);
    }

    interface BadReturn {
        @ShmExchange("x")
        Future<String> call(String text);
    }

    interface Unannotated {
        String call(String text);
    }

    interface RawOptional {
        @SuppressWarnings("rawtypes")
        @ShmExchange("x")
        Optional call(String text);
    }

    interface BadTimeout {
        @ShmExchange(value = "x", timeout = "soon")
        String call(String text);
    }

    @TempDir
    Path directory;

    private final String name = "shmipc-proxy-" + UUID.randomUUID();
    private final AtomicInteger served = new AtomicInteger();
    private ShmServer server;
    private ShmClient client;
    private ShmTemplate template;

    @BeforeEach
    void start() {
        ShmConfig config = ShmConfig.builder().directory(directory).build();
        server = ShmServer.start(name, config, (request, response) -> {
            served.incrementAndGet();
            switch (request.route()) {
                case "fail" -> throw new IllegalArgumentException("no " + new String(request.payloadBytes()));
                case "headers" ->
                    response.write(new java.util.TreeMap<>(request.headers())
                            .toString()
                            .getBytes(StandardCharsets.UTF_8));
                default -> {
                    Map<String, String> echoed = request.headers();
                    byte[] payload = request.payloadBytes();
                    response.headers(echoed);
                    response.write(payload);
                }
            }
        });
        client = new ShmClient(name, config);
        template = ShmTemplate.builder(client)
                .codec(new JacksonShmCodec(JsonMapper.shared()))
                .build();
    }

    @AfterEach
    void stop() {
        template.close();
        client.close();
        server.close();
    }

    @Test
    void clientShouldMapPayloadHeadersAndEveryReturnShape() throws Exception {
        EchoClient echo = new ShmServiceProxyFactory(template).createClient(EchoClient.class);
        assertThat(echo.order(new Order("a", 1))).isEqualTo(new Order("a", 1));
        assertThat(echo.orders(List.of(new Order("b", 2)))).containsExactly(new Order("b", 2));
        assertThat(echo.text("hi", "t1", null)).isEqualTo("hi");
        assertThat(echo.headersOf("t1", null)).isEqualTo("{level=low, tenant=t1}");
        assertThat(echo.headersOf("t1", "high")).isEqualTo("{level=high, tenant=t1}");
        assertThat(echo.maybe(new Order("c", 3))).contains(new Order("c", 3));
        assertThat(echo.maybe(null)).isEmpty();
        ShmResponseEntity<String> entity = echo.entity("body", "v");
        assertThat(entity.body()).isEqualTo("body");
        assertThat(entity.headers()).containsEntry("k", "v");
        assertThat(echo.async(List.of(new Order("d", 4))).get(10, TimeUnit.SECONDS))
                .containsExactly(new Order("d", 4));
        assertThat(echo.asyncMaybe("x").get(10, TimeUnit.SECONDS)).contains("x");
        echo.fire("ignored");
        assertThat(echo.shout("loud")).isEqualTo("LOUD");
        assertThat(echo.toString()).contains(EchoClient.class.getName());
        assertThat(echo).isEqualTo(echo).hasSameHashCodeAs(echo);
        assertThatExceptionOfType(ShmRemoteException.class)
                .isThrownBy(() -> echo.fail("way"))
                .satisfies(ex -> assertThat(ex.getRemoteMessage()).isEqualTo("no way"));
    }

    @Test
    void missingRequiredHeaderShouldBeRefusedBeforeSending() {
        EchoClient echo = new ShmServiceProxyFactory(template).createClient(EchoClient.class);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> echo.text("hi", null, null))
                .withMessageContaining("header 'tenant' is required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> echo.text("hi", "bad \uDBFF", null))
                .withMessageContaining("surrogate");
        assertThat(served).hasValue(0);
    }

    @Test
    void unmappableMethodsShouldFailNamingInterfaceAndMethod() {
        ShmServiceProxyFactory factory = new ShmServiceProxyFactory(template);
        assertThatExceptionOfType(ShmServiceDefinitionException.class)
                .isThrownBy(() -> factory.createClient(TwoPayloads.class))
                .withMessageStartingWith(TwoPayloads.class.getName() + ".call(Order, Order)")
                .withMessageContaining("more than one payload parameter");
        assertThatExceptionOfType(ShmServiceDefinitionException.class)
                .isThrownBy(() -> factory.createClient(BadReturn.class))
                .withMessageStartingWith(BadReturn.class.getName() + ".call(String)")
                .withMessageContaining("returns Future");
        assertThatExceptionOfType(ShmServiceDefinitionException.class)
                .isThrownBy(() -> factory.createClient(Unannotated.class))
                .withMessageContaining("has no @ShmExchange");
        assertThatExceptionOfType(ShmServiceDefinitionException.class)
                .isThrownBy(() -> factory.createClient(RawOptional.class))
                .withMessageContaining("raw or unresolvable Optional");
        assertThatExceptionOfType(ShmServiceDefinitionException.class)
                .isThrownBy(() -> factory.createClient(BadTimeout.class))
                .withMessageContaining("timeout 'soon'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> factory.createClient(String.class))
                .withMessageContaining("is not an interface");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportShmServices(EchoClient.class)
    static class ClientConfig {}

    @Configuration(proxyBeanMethods = false)
    @ImportShmServices({EchoClient.class, TwoPayloads.class})
    static class BadClientConfig {}

    @Test
    void runWhenServicesImportedShouldRegisterClientBeans() {
        new ApplicationContextRunner()
                .withBean(ShmOperations.class, () -> template)
                .withUserConfiguration(ClientConfig.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(EchoClient.class);
                    assertThat(context.getBean(EchoClient.class).text("ctx", "t", null))
                            .isEqualTo("ctx");
                });
    }

    @Test
    void runWhenImportedServiceCannotBeMappedShouldFailNamingInterfaceAndMethod() {
        new ApplicationContextRunner()
                .withBean(ShmOperations.class, () -> template)
                .withUserConfiguration(BadClientConfig.class)
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .isInstanceOf(ShmServiceDefinitionException.class)
                        .hasMessageContaining(TwoPayloads.class.getName() + ".call(Order, Order)"));
    }
}
