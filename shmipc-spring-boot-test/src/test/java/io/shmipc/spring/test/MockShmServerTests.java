package io.shmipc.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRemoteException;
import io.shmipc.core.ShmTimeoutException;
import io.shmipc.spring.ImportShmServices;
import io.shmipc.spring.JacksonShmCodec;
import io.shmipc.spring.ShmOperations;
import io.shmipc.spring.ShmResponseEntity;
import io.shmipc.spring.ShmServiceProxyFactory;
import io.shmipc.spring.ShmTemplate;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import io.shmipc.testing.TestPayloads;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@link MockShmServer}: the same client scenario as against a real server, and its own failure reports. */
class MockShmServerTests {

    @Configuration(proxyBeanMethods = false)
    @ImportShmServices(OrderClient.class)
    static class ClientConfig {}

    /** A template whose engine client never connects: only the mock answers. */
    private static ShmTemplate template() {
        ShmClient client = new ShmClient("shmipc-mock-" + UUID.randomUUID(), ShmConfig.defaults());
        return ShmTemplate.builder(client)
                .codec(new JacksonShmCodec(JsonMapper.shared()))
                .build();
    }

    /** Answers as {@link OrderServerApp}'s handlers do. */
    private static void expectScenario(MockShmServer server) {
        server.expect("orders.place")
                .withHeader("tenant", "t1")
                .withPayload(new Order("o-1", 2))
                .andRespond(ShmResponseEntity.of(new Receipt("o-1", 20)).withHeader("tenant-seen", "t1"));
        server.expect("orders.place")
                .withHeader("tenant", "t2")
                .andRespond(Order.class, (Order order) -> TestPayloads.receiptFor(order));
        server.expect("orders.place")
                .withHeader("tenant", "t3")
                .andRespond(ShmResponseEntity.of(new Receipt("o-3", 10)).withHeader("tenant-seen", "t3"));
        server.expect("orders.find").withPayload("o-4").andRespond(new Order("o-4", 1));
        server.expect("orders.find").withPayload("none").andRespond(null);
        server.expect("orders.reverse")
                .withPayload(new ParameterizedTypeReference<List<Order>>() {}, orders -> assertThat(orders)
                        .hasSize(2))
                .andRespond(new ParameterizedTypeReference<List<Order>>() {}.getType(), (List<Order> orders) -> {
                    List<Order> reversed = new ArrayList<>(orders);
                    Collections.reverse(reversed);
                    return reversed;
                });
        server.expect("orders.cancel").withPayload("pending").andRespond(null);
        server.expect("orders.cancel")
                .withPayload("shipped")
                .andRespondWithError(new IllegalStateException("cannot cancel shipped"));
    }

    @Test
    void runWhenMockBoundToTheTemplateBeanShouldPassTheClientScenario() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ShmAutoConfiguration.class))
                .withPropertyValues("shmipc.name=shmipc-mock-" + UUID.randomUUID(), "shmipc.role=client")
                .withUserConfiguration(ClientConfig.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MockShmServer server = MockShmServer.bindTo(context.getBean(ShmTemplate.class));
                    expectScenario(server);
                    ClientScenario.run(context.getBean(ShmOperations.class), context.getBean(OrderClient.class));
                    server.verify();
                });
    }

    @Test
    void verifyShouldReportCallsThatNeverCame() {
        MockShmServer server = MockShmServer.bindTo(template());
        server.expect("orders.find").andRespond(null);
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(server::verify)
                .withMessageContaining("expected a call of route 'orders.find', none came");
        server.reset();
        server.verify();
    }

    @Test
    void mismatchedCallsShouldFailTheCallAndVerify() {
        ShmTemplate template = template();
        MockShmServer server = MockShmServer.bindTo(template);
        OrderClient orders = new ShmServiceProxyFactory(template).createClient(OrderClient.class);
        server.expect("orders.place").withHeader("tenant", "t1").andRespond(null);
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> orders.place(new Order("o", 1), "t9"))
                .withMessageContaining("expected header tenant=t1, got tenant=t9");
        server.expect("orders.find").withPayload("a").andRespond(null);
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> orders.find("b"))
                .withMessageContaining("expected payload a, got b");
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> orders.cancel("x"))
                .withMessageContaining("no further calls expected");
        assertThatExceptionOfType(AssertionError.class).isThrownBy(server::verify);
    }

    @Test
    void failuresShouldBeTheEngineExceptionTypes() {
        ShmTemplate template = template();
        AtomicInteger timeouts = new AtomicInteger();
        template.addTimeoutListener((route, ex) -> timeouts.incrementAndGet());
        MockShmServer server = MockShmServer.bindTo(template).capacity(128);
        server.expect("a").andRespondNoHandler();
        server.expect("b").andRespondTimeout();
        server.expect("c").andRespondWithError("com.example.OrderNotFound", "no order 7", "ORDER_NOT_FOUND");
        server.expect("d").andRespond("x".repeat(200));
        assertThatExceptionOfType(ShmNoHandlerException.class).isThrownBy(() -> template.call("a", "", String.class));
        assertThatExceptionOfType(ShmTimeoutException.class).isThrownBy(() -> template.call("b", "", String.class));
        assertThat(timeouts).hasValue(1);
        assertThatExceptionOfType(ShmRemoteException.class)
                .isThrownBy(() -> template.call("c", "", String.class))
                .satisfies(ex -> assertThat(ex.errorCode()).isEqualTo("ORDER_NOT_FOUND"));
        assertThatExceptionOfType(ShmPayloadTooLargeException.class)
                .isThrownBy(() -> template.call("d", "", String.class));
        assertThatExceptionOfType(ShmPayloadTooLargeException.class)
                .isThrownBy(() -> template.call("e", "y".repeat(200), String.class));
        server.verify();
    }

    @Test
    void unbindShouldRestoreTheEngineTransport() {
        ShmTemplate template = template();
        var engine = template.getTransport();
        MockShmServer.bindTo(template).unbind();
        assertThat(template.getTransport()).isSameAs(engine);
    }
}
