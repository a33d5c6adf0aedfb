package io.shmipc.spring.test;

import io.shmipc.spring.ShmExchange;
import io.shmipc.spring.ShmResponseEntity;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.messaging.handler.annotation.Header;

/** The declarative client the tests call {@link OrderServerApp}'s handlers (or a mock of them) with. */
public interface OrderClient {

    @ShmExchange("orders.place")
    Receipt place(Order order, @Header("tenant") String tenant);

    @ShmExchange("orders.place")
    ShmResponseEntity<Receipt> placeWithHeaders(Order order, @Header("tenant") String tenant);

    @ShmExchange(value = "orders.find", timeout = "5s")
    Optional<Order> find(String id);

    @ShmExchange("orders.reverse")
    CompletableFuture<List<Order>> reverse(List<Order> orders);

    @ShmExchange("orders.cancel")
    void cancel(String id);
}
