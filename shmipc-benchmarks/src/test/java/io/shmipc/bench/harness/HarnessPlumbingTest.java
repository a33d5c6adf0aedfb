package io.shmipc.bench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shmipc.bench.report.ReportWriter;
import io.shmipc.bench.transport.Caller;
import io.shmipc.bench.transport.Transport;
import io.shmipc.bench.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the harness wiring, not any timing: results cross the process boundary and reports get written. */
class HarnessPlumbingTest {

    @Test
    void resultLineSurvivesTheTripBetweenProcesses() {
        Histogram histogram = ScenarioResult.newHistogram();
        histogram.recordValue(1234);
        histogram.recordValue(98765);
        ScenarioResult sent = new ScenarioResult(
                new Scenario(Scenario.Kind.THREADS, 3), 2, 1_000_000, 10, 20, histogram, "client@vcpu1,server@vcpu0");

        ScenarioResult received = ScenarioResult.parse(sent.toLine());

        assertEquals(sent.scenario(), received.scenario());
        assertEquals(2, received.histogram().getTotalCount());
        assertEquals(histogram.getMaxValue(), received.histogram().getMaxValue());
        assertEquals("client@vcpu1,server@vcpu0", received.note());
        assertEquals(sent.serverCpuNanos(), received.serverCpuNanos());
    }

    @Test
    void unixDomainSocketEchoes(@TempDir Path dir) throws Exception {
        Transport uds = Transports.byId("uds");
        String endpoint = dir.resolve("echo.sock").toString();
        try (AutoCloseable server = uds.startServer(endpoint);
                Caller caller = uds.connect(endpoint)) {
            byte[] request = new byte[100_000];
            request[99_999] = 7;
            assertArrayEquals(request, caller.call(request));
        }
    }

    @Test
    void reportsAreWrittenWithOneJsonEntryPerTransportAndScenario(@TempDir Path out) throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"--quick", "--out", out.toString()});
        ResultStore store = new ResultStore(List.of("uds", "bare-spin"));
        Histogram histogram = ScenarioResult.newHistogram();
        histogram.recordValue(30_000);
        Scenario echo = new Scenario(Scenario.Kind.ECHO, 64);
        store.add("uds", echo, List.of(new ScenarioResult(echo, 1, 1_000_000_000L, 5, 5, histogram, "-")));
        store.notRun("bare-spin", "*", "not here");
        List<Scenario> scenarios = List.of(echo, new Scenario(Scenario.Kind.IDLE, 2000));

        new ReportWriter(options, scenarios, store, 1, "0 0 0").writeAll();

        String json = Files.readString(out.resolve("results.json"));
        for (String key : List.of(
                "\"transport\"",
                "\"scenario\"",
                "\"p50_ns\"",
                "\"p99_ns\"",
                "\"p999_ns\"",
                "\"rps\"",
                "\"idle_cpu_pct\"",
                "\"not_run\" : \"not here\"")) {
            assertTrue(json.contains(key), key + " missing from " + json);
        }
        assertTrue(Files.readString(out.resolve("latency.svg")).startsWith("<svg"));
        assertTrue(Files.readString(out.resolve("results.md")).contains("| uds | 30.0 |"));
    }
}
