package io.shmipc.sample.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    record Run(Histogram latencies, long errors, double throughput) {}

    @Override
    public void run(ApplicationArguments args) throws Exception {
        System.out.println("batch: " + properties.requests() + " requests from " + properties.threads()
                + " threads, after a warm-up until latency levels off (at most " + properties.warmup() + ")");
        Run shm = measure(calls.shm(), 0);
        print("summary:", shm);
        if (!properties.httpUrl().isBlank()) {
            AgentChannel http = AgentChannel.http(
                    RestClient.builder().baseUrl(properties.httpUrl()).build());
            Run overHttp = measure(http, 1L << 40);
            print("http:   ", overHttp);
            System.out.printf(
                    "steady state, same request mix, same agent, %d thread(s): shmipc p50 %.1f us, HTTP p50 %.1f us"
                            + " (%.0fx); p99 %.1f us against %.1f us%n",
                    properties.threads(),
                    micros(shm.latencies().getValueAtPercentile(50)),
                    micros(overHttp.latencies().getValueAtPercentile(50)),
                    (double) overHttp.latencies().getValueAtPercentile(50)
                            / Math.max(1, shm.latencies().getValueAtPercentile(50)),
                    micros(shm.latencies().getValueAtPercentile(99)),
                    micros(overHttp.latencies().getValueAtPercentile(99)));
        }
        completed = true;
    }

    /** Warms up through {@code channel} until latency levels off, then times the batch through it. */
    private Run measure(AgentChannel channel, long firstSequence) throws Exception {
        LatencyWarmup.Outcome warm =
                LatencyWarmup.run(sequence -> calls.call(sequence, channel), firstSequence, properties.warmup());
        System.out.printf(
                "warm-up %s: %s after %.1f s and %d calls (p50 of the last 100 ms: %.1f us)%n",
                channel.name(),
                warm.levelled() ? "latency levelled off" : "still getting faster at the cap (sample.warmup)",
                warm.seconds(),
                warm.calls(),
                warm.p50Micros());
        long errorsBefore = errors.get();
        int threads = properties.threads();
        List<Histogram> latencies = new CopyOnWriteArrayList<>();
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
        Histogram all = new Histogram(3);
        latencies.forEach(all::add);
        return new Run(all, errors.get() - errorsBefore, properties.requests() / seconds);
    }

    private Histogram callRepeatedly(AgentChannel channel, long firstSequence, int requests) {
        Histogram histogram = new Histogram(3);
        long sequence = firstSequence;
        for (int i = 0; i < requests; i++, sequence++) {
            long start = System.nanoTime();
            try {
                AgentCalls.Reply reply = calls.call(sequence, channel);
                histogram.recordValue(System.nanoTime() - start);
                printFirstReplies(reply);
            } catch (RuntimeException ex) {
                // Any failure counts: engine exceptions, the agent's remote errors, a wrong echo.
                if (errors.incrementAndGet() <= ERRORS_PRINTED) {
                    System.out.println("error: " + ex);
                }
            }
        }
        return histogram;
    }

    private static void print(String label, Run run) {
        System.out.printf(
                "%s requests=%d errors=%d p50=%.1fus p99=%.1fus max=%.1fus throughput=%.0f/s%n",
                label,
                run.latencies().getTotalCount() + run.errors(),
                run.errors(),
                micros(run.latencies().getValueAtPercentile(50)),
                micros(run.latencies().getValueAtPercentile(99)),
                micros(run.latencies().getMaxValue()),
                run.throughput());
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
