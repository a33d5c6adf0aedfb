package io.shmipc.sample.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Batch mode: warms up until latency levels off (at most {@code sample.warmup}), then sends
 * {@code sample.requests} requests from {@code sample.threads} threads, prints a few replies and one
 * summary line of steady-state figures. With {@code sample.http-url} set, it then does the same over
 * HTTP to the same agent and prints both side by side. The exit code is 1 when any request failed.
 */
@Component
@ConditionalOnProperty(name = "sample.mode", havingValue = "batch", matchIfMissing = true)
public class BatchRun implements ApplicationRunner, ExitCodeGenerator {

    /** Errors printed in full; the rest are only counted. */
    private static final int ERRORS_PRINTED = 5;

    private final AgentCalls calls;
    private final SampleClientProperties properties;
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, AtomicInteger> repliesPrinted = new ConcurrentHashMap<>();
    private volatile boolean completed;

    /**
     * @param calls the request mix
     * @param properties how many requests from how many threads, and where HTTP goes
     */
    public BatchRun(AgentCalls calls, SampleClientProperties properties) {
        this.calls = calls;
        this.properties = properties;
    }

    /**
     * The figures of one channel's measured run.
     *
     * @param latencies every timed request
     * @param errors requests that failed
     * @param throughput requests per second, all threads together
     */
    record Run(Latencies latencies, long errors, double throughput, boolean steady) {}

    /** The latencies of a measured run: all, by route, and by half (to check afterwards that it was steady). */
    static final class Latencies {

        private final Histogram all = new Histogram(3);
        private final Histogram firstHalf = new Histogram(3);
        private final Histogram secondHalf = new Histogram(3);
        /** Sorted by route, so the printed order is stable. */
        private final Map<String, Histogram> byRoute = new TreeMap<>();

        void record(String route, long nanos, boolean inFirstHalf) {
            all.recordValue(nanos);
            (inFirstHalf ? firstHalf : secondHalf).recordValue(nanos);
            byRoute.computeIfAbsent(route, r -> new Histogram(3)).recordValue(nanos);
        }

        void add(Latencies other) {
            all.add(other.all);
            firstHalf.add(other.firstHalf);
            secondHalf.add(other.secondHalf);
            other.byRoute.forEach((route, histogram) ->
                    byRoute.computeIfAbsent(route, r -> new Histogram(3)).add(histogram));
        }

        Histogram all() {
            return all;
        }

        Histogram firstHalf() {
            return firstHalf;
        }

        Histogram secondHalf() {
            return secondHalf;
        }

        Map<String, Histogram> byRoute() {
            return byRoute;
        }
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        System.out.println("batch: " + properties.requests() + " requests from " + properties.threads()
                + " threads, after a warm-up until latency levels off (at most " + properties.warmup() + ")");
        CompileClock client = CompileClock.client();
        if (properties.httpUrl().isBlank()) {
            // Without the agent's address its JIT cannot be asked; round-trip latency still shows it warming.
            print("summary:", "shmipc", measure(calls.shm(), 0, List.of(client)));
            completed = true;
            return;
        }
        RestClient agent = RestClient.builder().baseUrl(properties.httpUrl()).build();
        List<CompileClock> jits = List.of(client, CompileClock.agent(agent));
        Run shm = measure(calls.shm(), 0, jits);
        print("summary:", "shmipc", shm);
        Run overHttp = measure(AgentChannel.http(agent), 1L << 40, jits);
        print("http:   ", "HTTP", overHttp);
        Histogram shmAll = shm.latencies().all();
        Histogram httpAll = overHttp.latencies().all();
        System.out.printf(
                "%s, same request mix, same agent, %d thread(s): shmipc p50 %.1f us, HTTP p50 %.1f us"
                        + " (%.0fx); p99 %.1f us against %.1f us%n",
                shm.steady() && overHttp.steady()
                        ? "steady state"
                        : "NOT steady state (a warm-up reached its cap; raise sample.warmup / WARMUP)",
                properties.threads(),
                micros(shmAll.getValueAtPercentile(50)),
                micros(httpAll.getValueAtPercentile(50)),
                (double) httpAll.getValueAtPercentile(50) / Math.max(1, shmAll.getValueAtPercentile(50)),
                micros(shmAll.getValueAtPercentile(99)),
                micros(httpAll.getValueAtPercentile(99)));
        completed = true;
    }

    /** Warms up through {@code channel} until latency levels off, then times the batch through it. */
    private Run measure(AgentChannel channel, long firstSequence, List<CompileClock> jits) throws Exception {
        // The warm-up makes its calls through the very code that times the run (timedCall), so that code is
        // compiled too: warmed through a bare call instead, the run's first half measured slower than its second.
        Latencies discarded = new Latencies();
        LatencyWarmup.Outcome warm = LatencyWarmup.run(
                sequence -> timedCall(channel, sequence, discarded, true, false),
                firstSequence,
                properties.warmup(),
                jits);
        System.out.printf(
                "warm-up %s: %s after %.1f s and %d calls (p50 of the last 100 ms: %.1f us; JIT watched: %s)%n",
                channel.name(),
                warm.levelled()
                        ? "latency levelled off, JIT quiet,"
                        : "NOT steady at the cap (sample.warmup; " + warm.why() + ")",
                warm.seconds(),
                warm.calls(),
                warm.p50Micros(),
                warm.judged());
        long errorsBefore = errors.get();
        int threads = properties.threads();
        List<Latencies> latencies = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().name("sample-caller-", 0).factory())) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int requestShare = share(properties.requests(), threads, t);
                long sequence = firstSequence + warm.calls() + t * (long) properties.requests();
                workers.add(pool.submit(() -> latencies.add(callRepeatedly(channel, sequence, requestShare))));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Latencies all = new Latencies();
        latencies.forEach(all::add);
        return new Run(all, errors.get() - errorsBefore, properties.requests() / seconds, warm.levelled());
    }

    private Latencies callRepeatedly(AgentChannel channel, long firstSequence, int requests) {
        Latencies latencies = new Latencies();
        long sequence = firstSequence;
        for (int i = 0; i < requests; i++, sequence++) {
            try {
                timedCall(channel, sequence, latencies, i < requests / 2, true);
            } catch (RuntimeException ex) {
                // Any failure counts: engine exceptions, the agent's remote errors, a wrong echo.
                if (errors.incrementAndGet() <= ERRORS_PRINTED) {
                    System.out.println("error: " + ex);
                }
            }
        }
        return latencies;
    }

    /** One call of the mix, timed into {@code latencies}; failures propagate. */
    private void timedCall(
            AgentChannel channel, long sequence, Latencies latencies, boolean inFirstHalf, boolean printReplies) {
        long start = System.nanoTime();
        AgentCalls.Reply reply = calls.call(sequence, channel);
        latencies.record(reply.route(), System.nanoTime() - start, inFirstHalf);
        if (printReplies) {
            printFirstReplies(reply);
        }
    }

    private static void print(String label, String channel, Run run) {
        Histogram latencies = run.latencies().all();
        System.out.printf(
                "%s requests=%d errors=%d p50=%.1fus p99=%.1fus max=%.1fus throughput=%.0f/s%n",
                label,
                latencies.getTotalCount() + run.errors(),
                run.errors(),
                micros(latencies.getValueAtPercentile(50)),
                micros(latencies.getValueAtPercentile(99)),
                micros(latencies.getMaxValue()),
                run.throughput());
        StringBuilder routes = new StringBuilder("  " + channel + " p50 per route (what each call costs):");
        run.latencies()
                .byRoute()
                .forEach((route, histogram) -> routes.append(String.format(
                        " %s %.1f us (%d calls);",
                        route, micros(histogram.getValueAtPercentile(50)), histogram.getTotalCount())));
        System.out.println(routes);
        long firstHalf = run.latencies().firstHalf().getValueAtPercentile(50);
        long secondHalf = run.latencies().secondHalf().getValueAtPercentile(50);
        if (secondHalf * 100 < firstHalf * (100 - LatencyWarmup.STILL_FALLING_PERCENT * 2)) {
            // The warm-up's judgement, checked afterwards: warm code does not get faster halfway through.
            System.out.printf(
                    "  note: %s got faster during the run (p50 first half %.1f us, second half %.1f us): not steady"
                            + " (still warming, or the machine's load changed); a longer sample.warmup helps%n",
                    channel, micros(firstHalf), micros(secondHalf));
        }
    }

    private void printFirstReplies(AgentCalls.Reply reply) {
        int printed = repliesPrinted
                .computeIfAbsent(reply.route(), route -> new AtomicInteger())
                .incrementAndGet();
        if (printed <= properties.printReplies()) {
            System.out.println("reply " + reply.route() + " -> " + reply.body());
        }
    }

    private static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    private static double micros(long nanos) {
        return nanos / 1_000.0;
    }

    /** @return 0 when every request succeeded, 1 otherwise (including a batch that did not finish) */
    @Override
    public int getExitCode() {
        return completed && errors.get() == 0 ? 0 : 1;
    }
}
