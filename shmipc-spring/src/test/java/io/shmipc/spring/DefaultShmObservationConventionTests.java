package io.shmipc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.shmipc.core.ShmNoHandlerException;
import io.shmipc.core.ShmTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default conventions build their key values once per distinct call shape; the values must not change. */
class DefaultShmObservationConventionTests {

    private final DefaultShmClientObservationConvention client = new DefaultShmClientObservationConvention();
    private final DefaultShmServerObservationConvention server = new DefaultShmServerObservationConvention();

    @Test
    void clientKeyValuesFollowTheOutcomeOfEachCall() {
        ShmClientObservationContext ok = new ShmClientObservationContext("agent", "orders.place");
        ShmClientObservationContext timedOut = new ShmClientObservationContext("agent", "orders.place");
        timedOut.setError(new ShmTimeoutException("no reply", false));

        assertThat(client.getLowCardinalityKeyValues(ok))
                .containsExactlyInAnyOrder(
                        KeyValue.of("shmipc.name", "agent"),
                        KeyValue.of("shmipc.route", "orders.place"),
                        KeyValue.of("outcome", "SUCCESS"),
                        KeyValue.of("shmipc.transport", "shm"));
        assertThat(client.getLowCardinalityKeyValues(timedOut)).contains(KeyValue.of("outcome", "TIMEOUT"));
        assertThat(client.getLowCardinalityKeyValues(ok)).contains(KeyValue.of("outcome", "SUCCESS"));
        assertThat(client.getContextualName(ok)).isEqualTo("shmipc call orders.place");
    }

    @Test
    void clientKeyValuesFollowTheTransport() {
        ShmClientObservationContext remote = new ShmClientObservationContext("agent", "orders.place");
        remote.setTransport("grpc");
        assertThat(client.getLowCardinalityKeyValues(new ShmClientObservationContext("agent", "orders.place")))
                .contains(KeyValue.of("shmipc.transport", "shm"));
        assertThat(client.getLowCardinalityKeyValues(remote)).contains(KeyValue.of("shmipc.transport", "grpc"));
    }

    @Test
    void serverKeyValuesNameUnknownRoutesUnknown() {
        ShmServerObservationContext served = new ShmServerObservationContext("agent", "orders.place", Map.of(), 42);
        ShmServerObservationContext unknown = new ShmServerObservationContext("agent", "no.such", Map.of(), 42);
        unknown.setError(new ShmNoHandlerException("no.such"));

        assertThat(server.getLowCardinalityKeyValues(served))
                .containsExactlyInAnyOrder(
                        KeyValue.of("rpc.system", "shmipc"),
                        KeyValue.of("rpc.method", "orders.place"),
                        KeyValue.of("shmipc.name", "agent"),
                        KeyValue.of("outcome", "SUCCESS"),
                        KeyValue.of("shmipc.transport", "shm"));
        assertThat(server.getLowCardinalityKeyValues(unknown))
                .contains(KeyValue.of("rpc.method", "UNKNOWN"), KeyValue.of("outcome", "NO_HANDLER"));
        assertThat(server.getContextualName(served)).isEqualTo("shmipc serve orders.place");
    }

    @Test
    void moreDistinctRoutesThanTheCacheHoldsStillGetTheirOwnValues() {
        int routes = ObservationValueCache.MAX_ENTRIES * 2;
        for (int i = 0; i < routes; i++) {
            ShmServerObservationContext context = new ShmServerObservationContext("agent", "route-" + i, Map.of(), 1);
            KeyValues values = server.getLowCardinalityKeyValues(context);
            assertThat(values).contains(KeyValue.of("rpc.method", "route-" + i));
            assertThat(server.getContextualName(context)).isEqualTo("shmipc serve route-" + i);
        }
    }

    @Test
    void aKeySeenBeforeGetsTheValueBuiltTheFirstTime() {
        int[] built = new int[1];
        ObservationValueCache<String, String> cache = new ObservationValueCache<>(key -> {
            built[0]++;
            return "value of " + key;
        });
        assertThat(cache.get("a")).isEqualTo("value of a").isSameAs(cache.get("a"));
        assertThat(built[0]).isEqualTo(1);
    }
}
