package io.shmipc.cli;

import io.shmipc.core.ShmClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shmipc call NAME ROUTE [PAYLOAD]}: one call, or N with a latency summary. */
@Command(
        name = "call",
        mixinStandardHelpOptions = true,
        description = {
            "Call a route as a client would.",
            "%nThe reply goes to stdout as it came (bytes); errors go to stderr as one line, with a distinct "
                    + "exit code per kind. With --count N the call is repeated and a latency summary goes to "
                    + "stderr (or stdout with --json)."
        },
        footer = {"", ExitCodes.HELP_TABLE})
final class CallCommand extends RegionSubcommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "1", paramLabel = "ROUTE", description = "The route, as in @ShmHandler(\"route\").")
    String route;

    @Parameters(
            index = "2",
            arity = "0..1",
            paramLabel = "PAYLOAD",
            description =
                    "The request: text (sent as UTF-8), @FILE for a file's bytes, or - for stdin. " + "Default: empty.")
    @Nullable
    String payload;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "KEY=VALUE",
            description = "A request header; repeat for more.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long to wait for each reply. Default: ${DEFAULT-VALUE}.")
    Duration timeout = Duration.ofSeconds(5);

    @Option(
            names = {"-n", "--count"},
            paramLabel = "N",
            description = "Calls to make; with more than one, a latency summary is printed. Default: 1.")
    int count = 1;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1, was " + count);
        }
        byte[] request = request();
        try (ShmClient client = new ShmClient(name, options.config())) {
            byte[] reply = new byte[0]; // count is at least 1, so the loop replaces it
            long[] nanos = new long[count];
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                reply = client.call(route, headers, request, timeout);
                nanos[i] = System.nanoTime() - start;
            }
            if (count == 1 && !options.json) {
                root.out.write(reply, 0, reply.length);
                root.out.flush();
                return ExitCodes.OK;
            }
            Map<String, Object> summary = summary(nanos);
            if (options.json) {
                Map<String, Object> result = new LinkedHashMap<>(summary);
                result.put("reply", new String(reply, StandardCharsets.UTF_8));
                root.out.println(Json.write(result));
            } else {
                root.out.write(reply, 0, reply.length);
                root.out.flush();
                root.err.println(String.format(
                        java.util.Locale.ROOT,
                        "%d calls: min %.1f µs, p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f µs, %.0f calls/s",
                        count,
                        (Double) summary.get("minMicros"),
                        (Double) summary.get("p50Micros"),
                        (Double) summary.get("p90Micros"),
                        (Double) summary.get("p99Micros"),
                        (Double) summary.get("maxMicros"),
                        (Double) summary.get("callsPerSecond")));
            }
            return ExitCodes.OK;
        }
    }

    private byte[] request() {
        if (payload == null) {
            return new byte[0];
        }
        try {
            if (payload.equals("-")) {
                return root.in.readAllBytes();
            }
            if (payload.startsWith("@")) {
                Path file = Path.of(payload.substring(1));
                if (!Files.isRegularFile(file)) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            "payload file " + file.toAbsolutePath() + " does not exist or is not a file;"
                                    + " write @FILE for a file, or the text itself");
                }
                return Files.readAllBytes(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the payload: " + e.getMessage(), e);
        }
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> summary(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long total = Arrays.stream(nanos).sum();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("calls", nanos.length);
        summary.put("minMicros", sorted[0] / 1e3);
        summary.put("p50Micros", percentile(sorted, 0.50) / 1e3);
        summary.put("p90Micros", percentile(sorted, 0.90) / 1e3);
        summary.put("p99Micros", percentile(sorted, 0.99) / 1e3);
        summary.put("maxMicros", sorted[sorted.length - 1] / 1e3);
        summary.put("callsPerSecond", total == 0 ? 0.0 : nanos.length * 1e9 / total);
        return summary;
    }

    private static long percentile(long[] sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
