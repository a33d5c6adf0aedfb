package io.shmipc.bench.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Measurements and "not run" reasons, per transport and scenario label, in the order first seen. */
public final class ResultStore {

    private final Map<String, Map<String, Aggregate>> measured = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> notRun = new LinkedHashMap<>();
    private final List<String> transportOrder;

    public ResultStore(List<String> transportOrder) {
        this.transportOrder = List.copyOf(transportOrder);
    }

    void add(String transport, Scenario scenario, List<ScenarioResult> concurrent) {
        measured.computeIfAbsent(transport, t -> new LinkedHashMap<>())
                .computeIfAbsent(scenario.label(), s -> new Aggregate())
                .addRound(concurrent);
    }

    /** Records why a transport (label "*") or one of its scenarios was not run; the first reason stays. */
    void notRun(String transport, String label, String reason) {
        notRun.computeIfAbsent(transport, t -> new LinkedHashMap<>()).putIfAbsent(label, reason);
    }

    boolean transportFailed(String transport) {
        return notRun.getOrDefault(transport, Map.of()).containsKey("*");
    }

    public List<String> transports() {
        return transportOrder;
    }

    /** @return the aggregate, or null when that transport did not run that scenario */
    public @Nullable Aggregate get(String transport, String label) {
        return measured.getOrDefault(transport, Map.of()).get(label);
    }

    /** @return why it was not run, or null when it was (or nobody said) */
    public @Nullable String notRunReason(String transport, String label) {
        Map<String, String> reasons = notRun.getOrDefault(transport, Map.of());
        return reasons.getOrDefault("*", reasons.get(label));
    }

    public Map<String, Map<String, String>> notRun() {
        return notRun;
    }
}
