package io.shmipc.bench.report;

import io.shmipc.bench.harness.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** results.json: one entry per transport and scenario, with a "not_run" reason where there is no figure. */
final class ResultsJson {

    private ResultsJson() {}

    static String render(RunResults results, MachineInfo machine, String date, String command) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String transport : results.transports()) {
            double idleCpu = results.idleCpuPercent(transport);
            for (Scenario scenario : results.scenarios()) {
                String label = scenario.label();
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("transport", transport);
                e.put("scenario", label);
                e.put("payload_bytes", scenario.payloadBytes());
                e.put("threads", scenario.callerThreads());
                Figures f = scenario.kind() == Scenario.Kind.IDLE
                        ? results.idle(transport)
                        : results.figures(transport, label);
                if (f == null) {
                    e.put("not_run", results.notRunReason(transport, label));
                } else {
                    if (scenario.kind() != Scenario.Kind.IDLE) {
                        e.put("p50_ns", f.p50Nanos());
                        e.put("p90_ns", f.p90Nanos());
                        e.put("p99_ns", f.p99Nanos());
                        e.put("p999_ns", f.p999Nanos());
                        e.put("max_ns", f.maxNanos());
                        e.put("rps", Math.round(f.requestsPerSecond()));
                        e.put("cpu_s_per_million", finite(f.cpuSecondsPerMillion()));
                        e.put("calls", f.calls());
                        e.put("rounds", f.rounds());
                        e.put("round_p50_ns", f.roundMedians());
                        // Rounds whose call shape had not levelled off, or whose latency fell during the window.
                        e.put("still_warming", f.stillWarming());
                        e.put("round_still_warming", f.roundsStillWarming());
                        e.put("uds_p50_over_p50", finite(results.udsOverP50(transport, label)));
                        e.put("p50_over_floor_p50", finite(results.p50OverFloor(transport, label)));
                        if (!f.notes().isEmpty()) {
                            e.put("placement", List.copyOf(f.notes()));
                        }
                    } else {
                        e.put("idle_server_cpu_pct", finite(f.serverCpuPercent()));
                        e.put("idle_client_cpu_pct", finite(f.clientCpuPercent()));
                    }
                }
                e.put("idle_cpu_pct", finite(idleCpu));
                entries.add(e);
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", date);
        root.put("command", command);
        root.put(
                "machine",
                Map.of(
                        "vcpus",
                        machine.vcpus(),
                        "cpu_model",
                        machine.cpuModel(),
                        "jdk",
                        machine.jdk(),
                        "kernel",
                        machine.kernel()));
        root.put("results", entries);
        return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static @Nullable Object finite(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null;
    }
}
