package io.shmipc.spring.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmRegionInfo;
import io.shmipc.core.ShmTimeoutException;
import io.shmipc.spring.ShmObservationKeys;
import io.shmipc.spring.ShmServerLifecycle;
import io.shmipc.spring.ShmTimeoutListener;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The shmipc meters besides the observation timers: {@code shmipc.client.timeouts}, and gauges of the
 * region ({@code shmipc.slots.active}, {@code shmipc.slots.max}, {@code shmipc.slot.capacity},
 * {@code shmipc.server.up}). All are registered when the bean is created: Spring Boot closes the
 * registry before lifecycle beans stop, so a meter made later would be lost.
 */
public class ShmMetrics implements ShmTimeoutListener {

    /** Counter of timed-out {@link io.shmipc.spring.ShmTemplate} calls. */
    public static final String CLIENT_TIMEOUTS = "shmipc.client.timeouts";
    /** Gauge of slots not free. */
    public static final String SLOTS_ACTIVE = "shmipc.slots.active";
    /** Gauge of slots in the region. */
    public static final String SLOTS_MAX = "shmipc.slots.max";
    /** Gauge of payload bytes per slot. */
    public static final String SLOT_CAPACITY = "shmipc.slot.capacity";
    /** Gauge: 1 while a live server serves the name, else 0. */
    public static final String SERVER_UP = "shmipc.server.up";

    private final Counter timeouts;

    /**
     * @param registry where the meters go
     * @param lifecycle the server lifecycle, when the application has one
     * @param client the engine client
     */
    public ShmMetrics(MeterRegistry registry, ObjectProvider<ShmServerLifecycle> lifecycle, ShmClient client) {
        Tags tags = Tags.of(ShmObservationKeys.NAME, client.name());
        ShmRegionView view = new ShmRegionView(lifecycle, client);
        this.timeouts = Counter.builder(CLIENT_TIMEOUTS)
                .tags(tags)
                .description("ShmTemplate calls that got no reply in time")
                .register(registry);
        gauge(registry, SLOTS_ACTIVE, "Slots holding a request or reply", tags, null, view, ShmRegionInfo::slotsInUse);
        gauge(registry, SLOTS_MAX, "Slots in the region", tags, null, view, ShmRegionInfo::slotCount);
        gauge(
                registry,
                SLOT_CAPACITY,
                "Payload capacity of one slot",
                tags,
                "bytes",
                view,
                ShmRegionInfo::slotCapacity);
        Gauge.builder(SERVER_UP, view, v -> v.serverUp() ? 1 : 0)
                .tags(tags)
                .strongReference(true)
                .description("1 while a live server serves the name")
                .register(registry);
    }

    private static void gauge(
            MeterRegistry registry,
            String name,
            String description,
            Tags tags,
            @Nullable String unit,
            ShmRegionView view,
            ToDoubleFunction<ShmRegionInfo> value) {
        // Strong reference: nothing else holds the view, and a collected gauge silently reads NaN.
        Gauge.builder(name, view, v -> {
                    ShmRegionInfo info = v.info();
                    return info == null ? Double.NaN : value.applyAsDouble(info);
                })
                .tags(tags)
                .baseUnit(unit)
                .description(description)
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void onTimeout(String route, ShmTimeoutException timeout) {
        timeouts.increment();
    }
}
