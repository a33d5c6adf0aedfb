package io.shmipc.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.shmipc.core.ShmRemoteException;
import io.shmipc.spring.ShmOperations;
import io.shmipc.spring.ShmResponseEntity;
import io.shmipc.testing.TestPayloads.Order;
import io.shmipc.testing.TestPayloads.Receipt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client scenario, run unchanged against a real server in another JVM and against
 * {@link MockShmServer}: whatever passes on the mock must pass on the real thing.
 */
final class ClientScenario {

    private ClientScenario() {}

    static void run(ShmOperations operations, OrderClient orders) throws Exception {
        // The fluent spec: a request header reaches the handler, its reply header comes back.
        ShmResponseEntity<Receipt> placed = operations
                .route("orders.place")
                .header("tenant", "t1")
                .timeout(Duration.ofSeconds(5))
                .body(new Order("o-1", 2))
                .toEntity(Receipt.class);
        assertThat(placed.body()).isEqualTo(new Receipt("o-1", 20));
        assertThat(placed.headers()).containsEntry("tenant-seen", "t1");

        // The declarative client, every return shape.
        assertThat(orders.place(new Order("o-2", 3), "t2")).isEqualTo(new Receipt("o-2", 30));
        assertThat(orders.placeWithHeaders(new Order("o-3", 1), "t3").headers()).containsEntry("tenant-seen", "t3");
        assertThat(orders.find("o-4")).contains(new Order("o-4", 1));
        assertThat(orders.find("none")).isEmpty();
        assertThat(orders.reverse(List.of(new Order("a", 1), new Order("b", 2))).get(10, TimeUnit.SECONDS))
                .containsExactly(new Order("b", 2), new Order("a", 1));
        orders.cancel("pending");
        assertThatExceptionOfType(ShmRemoteException.class)
                .isThrownBy(() -> orders.cancel("shipped"))
                .satisfies(ex -> {
                    assertThat(ex.getRemoteType()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(ex.getRemoteMessage()).isEqualTo("cannot cancel shipped");
                });
    }
}
