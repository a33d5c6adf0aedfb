package io.shmipc.bench.jmh;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.shmipc.spring.DefaultShmClientObservationConvention;
import io.shmipc.spring.ShmClientObservationContext;
import io.shmipc.spring.ShmClientObservationConvention;
import io.shmipc.spring.ShmOutcome;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observing one call costs on one side, in process: a {@code shmipc.client.requests} observation
 * around a call that does nothing, with the meter handler Boot's Actuator registers ({@code boot-default}: a
 * timer and a long-task timer per observation), without the long-task timer ({@code no-long-task-timer}:
 * {@code management.metrics.observations.ignored-meters=long-task-timer}), and with nothing observing
 * ({@code noop}). {@code defaultConvention} uses shmipc's convention (key values built once per distinct call
 * shape); {@code keyValuesPerCall} one that builds them on every call, as it did before the fifth round.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObservationBenchmark {

    @Param({"boot-default", "no-long-task-timer", "noop"})
    public String handler;

    private ObservationRegistry registry;
    private final ShmClientObservationConvention defaultConvention = new DefaultShmClientObservationConvention();
    private final ShmClientObservationConvention keyValuesPerCall = new KeyValuesPerCall();

    @Setup
    public void setUp() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        registry = switch (handler) {
            case "boot-default" -> observedBy(new DefaultMeterObservationHandler(meters));
            case "no-long-task-timer" ->
                observedBy(new DefaultMeterObservationHandler(
                        meters, DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER));
            case "noop" -> ObservationRegistry.NOOP;
            default -> throw new IllegalArgumentException("unknown handler " + handler);
        };
    }

    private static ObservationRegistry observedBy(DefaultMeterObservationHandler meterHandler) {
        ObservationRegistry observed = ObservationRegistry.create();
        observed.observationConfig().observationHandler(meterHandler);
        return observed;
    }

    @Benchmark
    public int defaultConvention() {
        return observe(defaultConvention);
    }

    @Benchmark
    public int keyValuesPerCall() {
        return observe(keyValuesPerCall);
    }

    private int observe(ShmClientObservationConvention convention) {
        ShmClientObservationContext context = new ShmClientObservationContext("agent", "orders.place");
        return Observation.createNotStarted(null, convention, () -> context, registry)
                .observe(() -> 1);
    }

    /** The default convention as it was: key values and contextual name built on every call. */
    private static final class KeyValuesPerCall extends DefaultShmClientObservationConvention {
        @Override
        public String getContextualName(ShmClientObservationContext context) {
            return "shmipc call " + context.getRoute();
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(ShmClientObservationContext context) {
            return KeyValues.of(
                            "shmipc.name",
                            context.getShmName(),
                            "shmipc.route",
                            context.getRoute(),
                            "outcome",
                            ShmOutcome.of(context.getError()).name())
                    .and("shmipc.transport", context.getTransport());
        }
    }
}
