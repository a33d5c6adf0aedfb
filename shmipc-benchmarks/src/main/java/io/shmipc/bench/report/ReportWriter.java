package io.shmipc.bench.report;

import io.shmipc.bench.harness.BenchOptions;
import io.shmipc.bench.harness.ResultStore;
import io.shmipc.bench.harness.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Writes results.json, results.md and latency.svg into the output folder and echoes the markdown. */
public final class ReportWriter {

    private final BenchOptions options;
    private final RunResults results;
    private final long seconds;
    private final String loadBefore;

    public ReportWriter(
            BenchOptions options, List<Scenario> scenarios, ResultStore store, long seconds, String loadBefore) {
        this.options = options;
        this.results = new RunResults(store, scenarios);
        this.seconds = seconds;
        this.loadBefore = loadBefore;
    }

    /** @return the 1, 5 and 15 minute load averages now, to record before a run starts */
    public static String loadAverageNow() {
        return MachineInfo.currentLoadAverage();
    }

    public void writeAll() throws IOException {
        MachineInfo machine = MachineInfo.current();
        String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        Path out = options.outputDir();
        Files.createDirectories(out);
        String markdown = MarkdownReport.render(results, machine, date, options.commandLine(), loadBefore, seconds);
        Files.writeString(
                out.resolve("results.json"), ResultsJson.render(results, machine, date, options.commandLine()));
        Files.writeString(out.resolve("results.md"), markdown);
        Files.writeString(out.resolve("latency.svg"), LatencySvgPlot.render(results, RunResults.ECHO_64));
        Files.writeString(out.resolve("scaling.svg"), ScalingReport.svg(results));
        System.out.println();
        System.out.println(markdown);
        System.out.println("Wrote " + out.resolve("results.json") + ", results.md, latency.svg and scaling.svg");
    }
}
