package io.shmipc.sample.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.LongSupplier;
import org.springframework.web.client.RestClient;

/**
 * The JIT compile time so far of one JVM, so the warm-up can tell a JVM that still compiles from a quiet
 * one: a reading that changed between two slices means a compile finished in between. Readings are
 * milliseconds, as HotSpot reports them; only equality of two readings of one clock matters.
 */
interface CompileClock {

    /** Returned by {@link #millis()} when the JVM could not be asked; it never counts as compiling. */
    long UNKNOWN = -1;

    /** @return what this clock watches, for printing: "client" or "agent" */
    String name();

    /** @return compile time so far in milliseconds, or {@link #UNKNOWN} */
    long millis();

    /** @return this JVM's own compile time, from its {@link CompilationMXBean} */
    static CompileClock client() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean supported = jit != null && jit.isCompilationTimeMonitoringSupported();
        return of("client", () -> supported ? jit.getTotalCompilationTime() : UNKNOWN);
    }

    /**
     * The agent's compile time, from its Actuator meter {@code jvm.compilation.time} (Boot's JVM metrics
     * register it; the agent exposes the {@code metrics} endpoint). One GET per slice, between slices, so
     * it never falls inside a timed call; the agent's code that answers it compiles early and then stays quiet.
     *
     * @param agent a client whose base URL is the agent's Actuator host, e.g. {@code http://localhost:8081}
     */
    static CompileClock agent(RestClient agent) {
        return of("agent", () -> {
            try {
                Meter meter = agent.get()
                        .uri("/actuator/metrics/jvm.compilation.time")
                        .retrieve()
                        .body(Meter.class);
                if (meter == null || meter.measurements().isEmpty()) {
                    return UNKNOWN;
                }
                return (long) meter.measurements().getFirst().value();
            } catch (RuntimeException e) {
                // Not exposed, or the agent is busy: latency alone judges the agent then.
                return UNKNOWN;
            }
        });
    }

    /** @return a clock named {@code name} that reads {@code millis} */
    static CompileClock of(String name, LongSupplier millis) {
        return new CompileClock() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long millis() {
                return millis.getAsLong();
            }
        };
    }

    /**
     * The part of an Actuator meter this reads.
     *
     * @param measurements the meter's statistics; a function counter has one, its count
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Meter(List<Measurement> measurements) {}

    /**
     * One statistic of an Actuator meter.
     *
     * @param value its value
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Measurement(double value) {}
}
