package io.shmipc.bench.front;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Issue 12's front scenario with real processes: a Spring MVC front (virtual or platform request
 * threads) calls an agent through shmipc; the agent's handler sleeps 20 ms. 50 closed-loop HTTP
 * clients call {@code /call}; at the same time one client calls {@code /ping}, an endpoint of the
 * front that makes no shmipc call, every 10 ms. Reported: {@code /call} requests per second and the
 * {@code /ping} latency percentiles. Timing goals are reported here, never asserted.
 *
 * <pre>
 * shmipc-benchmarks/run.sh front [--threads virtual|platform|both] [--clients 50] [--sleep-ms 20]
 *                                [--seconds 10] [--agent-concurrency 64|default] [--out DIR]
 * </pre>
 *
 * Roles, in child JVMs started from the same jar: {@code front-agent NAME SLEEP_MS CONCURRENCY} and
 * {@code front-web NAME PORT VIRTUAL}; each prints {@code READY} and runs until its stdin closes.
 */
public final class FrontScenario {

    private static final long PING_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private FrontScenario() {}

    /** Child role: the agent. */
    public static void agentMain(String[] args) throws IOException {
        try (var context = FrontApplications.agent(args[0], Long.parseLong(args[1]), Integer.parseInt(args[2]))) {
            serveUntilStdinCloses();
        }
        System.exit(0);
    }

    /** Child role: the front. */
    public static void webMain(String[] args) throws IOException {
        try (var context = FrontApplications.front(args[0], Integer.parseInt(args[1]), Boolean.parseBoolean(args[2]))) {
            serveUntilStdinCloses();
        }
        System.exit(0);
    }

    private static void serveUntilStdinCloses() throws IOException {
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        while (stdin.readLine() != null) {
            // only the end of stdin stops the process
        }
    }

    public static void main(String[] args) throws Exception {
        String threads = "both";
        int clients = 50;
        long sleepMillis = 20;
        long seconds = 10;
        int agentConcurrency = 64;
        Path out = Path.of("shmipc-benchmarks", "target");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = args[++i];
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--sleep-ms" -> sleepMillis = Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "--agent-concurrency" -> {
                    String value = args[++i];
                    agentConcurrency = "default".equals(value) ? 0 : Integer.parseInt(value);
                }
                case "--out" -> out = Path.of(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + "; use [--threads virtual|platform|both] [--clients N] [--sleep-ms N] [--seconds N]"
                            + " [--agent-concurrency N|default] [--out DIR]");
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("Front scenario: " + clients + " HTTP clients on /call (agent handler sleeps " + sleepMillis
                + " ms, agent "
                + (agentConcurrency > 0
                        ? "shmipc.server.concurrency=" + agentConcurrency + " and 64 slots"
                        : "with shmipc's default concurrency and slots")
                + "), /ping every 10 ms; " + seconds
                + " s per variant; load average before: " + loadAverage());
        lines.add("");
        lines.add("| front request threads | /call req/s | /call p50 ms | /call p99 ms | /ping p50 ms | /ping p99 ms"
                + " | /ping max ms |");
        lines.add("|---|--:|--:|--:|--:|--:|--:|");
        for (boolean virtual :
                threads.equals("both") ? new boolean[] {true, false} : new boolean[] {threads.equals("virtual")}) {
            lines.add(run(virtual, clients, sleepMillis, seconds, agentConcurrency, out));
        }
        lines.add("");
        lines.add("Load average after: " + loadAverage());
        String report = String.join("\n", lines) + "\n";
        Files.createDirectories(out);
        Files.writeString(out.resolve("front-results.md"), report);
        System.out.print(report);
        System.exit(0);
    }

    private static String run(
            boolean virtual, int clients, long sleepMillis, long seconds, int agentConcurrency, Path out)
            throws Exception {
        String name = "shmipc-front-" + UUID.randomUUID().toString().substring(0, 8);
        int port = freePort();
        Path logs = out.resolve("bench-logs");
        Files.createDirectories(logs);
        try (Child agent = Child.start(
                        logs.resolve("front-agent.log"),
                        "front-agent",
                        name,
                        Long.toString(sleepMillis),
                        Integer.toString(agentConcurrency));
                Child front = Child.start(
                        logs.resolve("front-web.log"),
                        "front-web",
                        name,
                        Integer.toString(port),
                        Boolean.toString(virtual))) {
            agent.awaitReady();
            front.awaitReady();
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            URI call = URI.create("http://127.0.0.1:" + port + "/call");
            URI ping = URI.create("http://127.0.0.1:" + port + "/ping");
            // Warm-up: both endpoints, a few seconds, unrecorded.
            drive(http, call, ping, clients, TimeUnit.SECONDS.toNanos(Math.max(2, seconds / 3)), null, null);
            Histogram calls = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
            Histogram pings = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
            long elapsed = drive(http, call, ping, clients, TimeUnit.SECONDS.toNanos(seconds), calls, pings);
            double rps = calls.getTotalCount() * 1e9 / elapsed;
            return String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %.1f | %.1f | %.2f | %.2f | %.2f |",
                    virtual ? "virtual (spring.threads.virtual.enabled=true)" : "platform (Tomcat's pool)",
                    rps,
                    calls.getValueAtPercentile(50) / 1e6,
                    calls.getValueAtPercentile(99) / 1e6,
                    pings.getValueAtPercentile(50) / 1e6,
                    pings.getValueAtPercentile(99) / 1e6,
                    pings.getMaxValue() / 1e6);
        } finally {
            Files.deleteIfExists(Path.of("/dev/shm", name));
            Files.deleteIfExists(Path.of("/dev/shm", name + ".lock"));
        }
    }

    /** @return the window's length in nanoseconds; records into the histograms when they are not null */
    private static long drive(
            HttpClient http,
            URI call,
            URI ping,
            int clients,
            long windowNanos,
            @Nullable Histogram calls,
            @Nullable Histogram pings)
            throws Exception {
        long start = System.nanoTime();
        long end = start + windowNanos;
        AtomicLong failures = new AtomicLong();
        HttpRequest callRequest = HttpRequest.newBuilder(call).GET().build();
        HttpRequest pingRequest = HttpRequest.newBuilder(ping).GET().build();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Histogram>> callers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                callers.add(pool.submit(() -> loop(http, callRequest, end, 0, failures)));
            }
            Future<Histogram> pinger = pool.submit(() -> loop(http, pingRequest, end, PING_EVERY_NANOS, failures));
            for (Future<Histogram> f : callers) {
                Histogram h = f.get();
                if (calls != null) {
                    calls.add(h);
                }
            }
            if (pings != null) {
                pings.add(pinger.get());
            }
        }
        if (failures.get() > 0) {
            System.err.println(failures.get() + " HTTP requests failed");
        }
        return System.nanoTime() - start;
    }

    private static Histogram loop(HttpClient http, HttpRequest request, long end, long pauseNanos, AtomicLong failures)
            throws InterruptedException {
        Histogram histogram = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        while (true) {
            long start = System.nanoTime();
            if (start >= end) {
                return histogram;
            }
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    failures.incrementAndGet();
                }
            } catch (IOException e) {
                failures.incrementAndGet();
            }
            histogram.recordValue(Math.min(System.nanoTime() - start, histogram.getHighestTrackableValue()));
            if (pauseNanos > 0) {
                LockSupport.parkNanos(pauseNanos);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A child JVM of this jar in one role; its stdout and stderr go to a log, READY is awaited. */
    private record Child(Process process, Path log) implements AutoCloseable {
        static Child start(Path log, String... roleAndArgs) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED",
                    "-Xmx512m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    io.shmipc.bench.BenchMain.class.getName()));
            command.addAll(List.of(roleAndArgs));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .start();
            return new Child(process, log);
        }

        void awaitReady() throws IOException {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
            List<String> seen = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY")) {
                    // Drain the rest into the log in the background.
                    Thread.ofPlatform().daemon().start(() -> copy(out));
                    Files.write(log, seen);
                    return;
                }
                seen.add(line);
            }
            Files.write(log, seen);
            throw new IOException("child ended before READY; see " + log);
        }

        private void copy(BufferedReader out) {
            try (var writer = Files.newBufferedWriter(log, java.nio.file.StandardOpenOption.APPEND)) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    writer.write(line);
                    writer.write('\n');
                    writer.flush();
                }
            } catch (IOException ignored) {
                // the child ended
            }
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
