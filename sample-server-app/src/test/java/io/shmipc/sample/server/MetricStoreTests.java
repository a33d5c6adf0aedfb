package io.shmipc.sample.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricStoreTests {

    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void aggregatesTheSamplesInTheWindow() {
        MetricStore store = new MetricStore(8, 1000, now::get);
        for (int value = 1; value <= 100; value++) {
            store.record(new MetricSample("host-a", "cpu", value, now.get() - 100 + value));
        }
        store.record(new MetricSample("host-a", "cpu", 1e9, now.get() - 60_001));

        MetricAggregate aggregate = store.aggregate(new MetricQuery("host-a", "cpu", null));

        assertThat(aggregate).isEqualTo(new MetricAggregate("host-a", "cpu", 60_000, 100, 1.0, 100.0, 50.5, 99.0));
    }

    @Test
    void narrowWindowSeesOnlyRecentSamples() {
        MetricStore store = new MetricStore(8, 1000, now::get);
        store.record(new MetricSample("host-a", "cpu", 5, now.get() - 5_000));
        store.record(new MetricSample("host-a", "cpu", 7, null));

        assertThat(store.aggregate(new MetricQuery("host-a", "cpu", 1_000L)).count())
                .isEqualTo(1);
        assertThat(store.aggregate(new MetricQuery("host-a", "cpu", 1_000L)).max())
                .isEqualTo(7.0);
    }

    @Test
    void unknownSeriesHasEmptyStatistics() {
        MetricStore store = new MetricStore(8, 16, now::get);

        MetricAggregate aggregate = store.aggregate(new MetricQuery("nobody", "cpu", 10L));

        assertThat(aggregate.count()).isZero();
        assertThat(aggregate.mean()).isNull();
        assertThat(aggregate.p99()).isNull();
    }

    @Test
    void seriesKeepsOnlyItsLatestSamples() {
        MetricStore store = new MetricStore(8, 4, now::get);
        int retained = 0;
        for (int value = 1; value <= 10; value++) {
            retained = store.record(new MetricSample("host-a", "cpu", value, null));
        }

        assertThat(retained).isEqualTo(4);
        MetricAggregate aggregate = store.aggregate(new MetricQuery("host-a", "cpu", null));
        assertThat(aggregate.min()).isEqualTo(7.0);
        assertThat(aggregate.max()).isEqualTo(10.0);
    }

    @Test
    void refusesSeriesBeyondTheLimit() {
        MetricStore store = new MetricStore(2, 4, now::get);
        store.record(new MetricSample("a", "cpu", 1, null));
        store.record(new MetricSample("b", "cpu", 1, null));

        assertThatIllegalStateException()
                .isThrownBy(() -> store.record(new MetricSample("c", "cpu", 1, null)))
                .withMessageContaining("agent.max-series");
        store.record(new MetricSample("a", "cpu", 2, null));
        assertThat(store.seriesCount()).isEqualTo(2);
    }

    @Test
    void refusesBadSamples() {
        MetricStore store = new MetricStore(2, 4, now::get);

        assertThatIllegalArgumentException().isThrownBy(() -> store.record(new MetricSample(" ", "cpu", 1, null)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.record(new MetricSample("a", "cpu", Double.NaN, null)));
        assertThat(store.seriesCount()).isZero();
    }
}
