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

/**
 * Batch mode: sends {@code sample.warmup} then {@code sample.requests} requests from
 * {@code sample.threads} threads, prints a few replies and one summary line, and makes the exit code
 * 1 when any request failed.
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
    private final List<Histogram> latencies = new CopyOnWriteArrayList<>();
    private volatile boolean completed;

    /**
     * @param calls the request mix
     * @param properties how many requests from how many threads
     */
    public BatchRun(AgentCalls calls, SampleClientProperties properties) {
        this.calls = calls;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        int threads = properties.threads();
        System.out.println("batch: " + properties.requests() + " requests (after " + properties.warmup()
                + " warm-up) from " + threads + " threads");
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().name("sample-caller-", 0).factory())) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int warmupShare = share(properties.warmup(), threads, t);
                int requestShare = share(properties.requests(), threads, t);
                long firstSequence = t * (long) (properties.warmup() + properties.requests());
                workers.add(pool.submit(() -> callRepeatedly(firstSequence, warmupShare, requestShare)));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Histogram all = new Histogram(3);
        latencies.forEach(all::add);
        System.out.printf(
                "summary: requests=%d errors=%d p50=%.1fus p99=%.1fus max=%.1fus throughput=%.0f/s%n",
                all.getTotalCount() + errors.get(),
                errors.get(),
                micros(all.getValueAtPercentile(50)),
                micros(all.getValueAtPercentile(99)),
                micros(all.getMaxValue()),
                properties.requests() / seconds);
        completed = true;
    }

    private void callRepeatedly(long firstSequence, int warmup, int requests) {
        Histogram histogram = new Histogram(3);
        latencies.add(histogram);
        long sequence = firstSequence;
        for (int i = 0; i < warmup + requests; i++, sequence++) {
            long start = System.nanoTime();
            try {
                AgentCalls.Reply reply = calls.call(sequence);
                long elapsed = System.nanoTime() - start;
                if (i >= warmup) {
                    histogram.recordValue(elapsed);
                }
                printFirstReplies(reply);
            } catch (RuntimeException ex) {
                // Any failure counts: engine exceptions, the agent's remote errors, a wrong echo.
                if (errors.incrementAndGet() <= ERRORS_PRINTED) {
                    System.out.println("error: " + ex);
                }
            }
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
