package io.shmipc.spring.test;

import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmResponseEntity;
import io.shmipc.spring.autoconfigure.ShmAutoConfiguration;
import io.shmipc.testing.TestPayloads;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

/**
 * The server the client tests call: run in its own JVM by {@link ClientAgainstServerProcessTests}, and in
 * the test's own context by {@link AutoConfigureShmTests}. Prints {@link #READY} once it serves; stops when
 * its standard input closes.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({JacksonAutoConfiguration.class, ShmAutoConfiguration.class})
public class OrderServerApp {

    static final String READY = "ORDER-SERVER-READY";

    /** What {@link OrderClient} calls. */
    static class OrderHandlers {

        @ShmHandler("orders.place")
        ShmResponseEntity<Receipt> place(Order order, @Header("tenant") String tenant) {
            return ShmResponseEntity.of(TestPayloads.receiptFor(order)).withHeader("tenant-seen", tenant);
        }

        @ShmHandler("orders.find")
        Order find(String id) {
            return id.equals("none") ? null : new Order(id, 1);
        }

        @ShmHandler("orders.reverse")
        List<Order> reverse(List<Order> orders) {
            List<Order> reversed = new ArrayList<>(orders);
            Collections.reverse(reversed);
            return reversed;
        }

        @ShmHandler("orders.cancel")
        void cancel(String id) {
            if (id.equals("shipped")) {
                throw new IllegalStateException("cannot cancel shipped");
            }
        }
    }

    @Bean
    OrderHandlers orderHandlers() {
        return new OrderHandlers();
    }

    public static void main(String[] args) throws IOException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OrderServerApp.class)
                .web(WebApplicationType.NONE)
                .run(args);
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() >= 0) {
            // Serve until the test closes our standard input.
        }
        context.close();
    }
}
