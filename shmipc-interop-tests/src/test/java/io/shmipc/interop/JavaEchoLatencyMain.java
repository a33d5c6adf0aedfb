package io.shmipc.interop;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Java side of clients/c/bench/echo-c-vs-java.sh: the same loop as {@code shmipc-call -n N -w W -s
 * SIZE NAME echo}, timed the same way (a monotonic clock read around each call), printing the tool's
 * summary fields, so the C and Java clients' figures compare directly. Args: name directory calls warmup size.
 */
public final class JavaEchoLatencyMain {

    private JavaEchoLatencyMain() {}

    public static void main(String[] args) {
        String name = args[0];
        int calls = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        byte[] payload = new byte[Integer.parseInt(args[4])];
        Arrays.fill(payload, (byte) 'x');
        long[] latencies = new long[calls];
        Duration timeout = Duration.ofSeconds(5);
        try (ShmClient client = new ShmClient(
                name, ShmConfig.builder().directory(Path.of(args[1])).build())) {
            for (int i = 0; i < warmup; i++) {
                client.call("echo", payload, timeout);
            }
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long before = System.nanoTime();
                client.call("echo", payload, timeout);
                latencies[i] = System.nanoTime() - before;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            System.out.println(String.format(
                    Locale.ROOT,
                    "calls=%d ok=%d failed=0 mismatched=0 threads=1 payload_bytes=%d seconds=%.3f calls_per_s=%.0f"
                            + " p50_us=%.2f p90_us=%.2f p99_us=%.2f p999_us=%.2f max_us=%.2f",
                    calls,
                    calls,
                    payload.length,
                    seconds,
                    calls / seconds,
                    percentileMicros(latencies, 50),
                    percentileMicros(latencies, 90),
                    percentileMicros(latencies, 99),
                    percentileMicros(latencies, 99.9),
                    percentileMicros(latencies, 100)));
        }
    }

    /** Nearest rank, as shmipc-call computes it. */
    private static double percentileMicros(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] / 1000.0;
    }
}
