package io.shmipc.bench;

import io.shmipc.bench.harness.BenchOptions;
import io.shmipc.bench.harness.ClientProcess;
import io.shmipc.bench.harness.Orchestrator;
import io.shmipc.bench.harness.ResultStore;
import io.shmipc.bench.harness.ServerProcess;
import io.shmipc.bench.report.ReportWriter;
import java.util.Arrays;

/**
 * One jar, four roles: the orchestrator (default), the server and client JVMs it starts, and JMH.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar shmipc-benchmarks.jar [--quick | --full] [options]
 * java --enable-native-access=ALL-UNNAMED -jar shmipc-benchmarks.jar jmh [JMH options]
 * java --enable-native-access=ALL-UNNAMED -jar shmipc-benchmarks.jar front [options]   (see FrontScenario)
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String role = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (role) {
            case "server" -> ServerProcess.main(rest);
            case "client" -> ClientProcess.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "front" -> io.shmipc.bench.front.FrontScenario.main(rest);
            case "front-agent" -> io.shmipc.bench.front.FrontScenario.agentMain(rest);
            case "front-web" -> io.shmipc.bench.front.FrontScenario.webMain(rest);
            default -> orchestrate(BenchOptions.parse(args));
        }
    }

    private static void orchestrate(BenchOptions options) throws Exception {
        long start = System.nanoTime();
        String loadBefore = ReportWriter.loadAverageNow();
        Orchestrator orchestrator = new Orchestrator(options);
        ResultStore store = orchestrator.run();
        new ReportWriter(
                        options,
                        orchestrator.plannedScenarios(),
                        store,
                        (System.nanoTime() - start) / 1_000_000_000L,
                        loadBefore)
                .writeAll();
    }
}
