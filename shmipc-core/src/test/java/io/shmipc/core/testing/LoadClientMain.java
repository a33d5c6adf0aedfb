package io.shmipc.core.testing;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmServerUnavailableException;
import io.shmipc.core.ShmTimeoutException;
import io.shmipc.core.WaitMode;
import io.shmipc.testing.TestPayloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A client process that keeps calling until told to stop, and accounts for every call: each one is
 * counted as issued when it starts and, when it ends, as ok, mismatched (a reply that is not the one
 * for its request) or failed by exception class and {@code isOutcomeUnknown}. In-flight calls are
 * tracked per thread, so every report must satisfy {@code issued == ok + mismatched + failed + inflight}.
 *
 * <p>Args: name directory clientId threads timeoutMillis routes maxSize reportMillis [not-executed-log].
 * {@code routes} is {@code check} (self-identifying requests of 24..maxSize-8 bytes, verified by
 * checksum), {@code slowcheck} (half of them on {@code check-slow}) or {@code mixed} (half on
 * {@code echo} with 0..maxSize random bytes). With a not-executed log, the
 * key of every {@code check} request that failed as certainly not executed is appended to it.
 *
 * <p>Prints every {@code reportMillis}, and once more on {@code stop} (then exits):
 * <pre>STATS at=EPOCH_MS issued=N ok=N mismatched=N failed=N inflight=N oldestInflightMs=N maxWaitMs=N
 *       p50Us=N p99Us=N minThreadOk=N errors={Class/known=N, Class/unknown=N}</pre>
 * ({@code FINAL} instead of {@code STATS} for the last one).
 */
public final class LoadClientMain {

    private static final long FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Object lock = new Object();
    private long issued;
    private long ok;
    private long mismatched;
    private long failed;
    private long maxWaitNanos;
    private final long[] histogram = new long[40]; // by log2 of the wait in microseconds
    private final Map<String, Long> errors = new TreeMap<>();
    private final long[] callStarted;
    private final long[] threadOk;
    private volatile boolean running = true;

    private LoadClientMain(int threads) {
        callStarted = new long[threads];
        threadOk = new long[threads];
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int clientId = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[4]));
        String routes = args[5];
        int maxSize = Integer.parseInt(args[6]);
        long reportNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[7]));
        FileChannel notExecuted = args.length > 8
                ? FileChannel.open(
                        Path.of(args[8]),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)
                : null;
        ShmConfig config = ShmConfig.builder()
                .directory(Path.of(args[1]))
                .waitMode(WaitMode.HYBRID)
                .livenessInterval(Duration.ofMillis(50))
                .livenessTimeout(Duration.ofMillis(500))
                .build();
        LoadClientMain load = new LoadClientMain(threads);
        try (ShmClient client = new ShmClient(name, config)) {
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers[t] = Thread.ofPlatform()
                        .name("load-" + t)
                        .start(() -> load.run(client, clientId, thread, timeout, routes, maxSize, notExecuted));
            }
            Thread reporter = Thread.ofPlatform().daemon().start(() -> {
                while (load.running) {
                    LockSupport.parkNanos(reportNanos);
                    ChildMains.say(load.report("STATS"));
                }
            });
            Thread.ofPlatform().daemon().start(() -> {
                ChildMains.serveCommands(command -> load.running = false);
                load.running = false; // stdin EOF: the parent is gone
            });
            for (Thread worker : workers) {
                worker.join();
            }
            reporter.interrupt();
            reporter.join();
        }
        ChildMains.say(load.report("FINAL"));
        System.exit(0);
    }

    private void run(
            ShmClient client,
            int clientId,
            int thread,
            Duration timeout,
            String routes,
            int maxSize,
            FileChannel notExecuted) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int sequence = 0; running; sequence++) {
            boolean check = !routes.equals("mixed") || random.nextBoolean();
            String route =
                    !check ? "echo" : routes.equals("slowcheck") && random.nextBoolean() ? "check-slow" : "check";
            byte[] request;
            if (check) {
                int size = random.nextInt(24, Math.max(25, maxSize - 8 + 1));
                request = TestPayloads.request(clientId, thread, sequence, size - 24);
            } else {
                request = new byte[random.nextInt(0, maxSize + 1)];
                random.nextBytes(request);
            }
            byte[] expected = check ? TestPayloads.expectedReply(request) : request;
            long start = begin(thread);
            String error = null;
            boolean matched = false;
            try {
                matched = Arrays.equals(client.call(route, request, timeout), expected);
            } catch (ShmTimeoutException e) {
                error = name(e, e.isOutcomeUnknown());
                if (!e.isOutcomeUnknown() && check) {
                    log(notExecuted, TestPayloads.key(request));
                }
            } catch (ShmServerUnavailableException e) {
                error = name(e, e.isOutcomeUnknown());
                if (!e.isOutcomeUnknown() && check) {
                    log(notExecuted, TestPayloads.key(request));
                }
            } catch (Throwable e) {
                // Any other exception (typed or not) is counted under its class; the harness decides what is allowed.
                error = e.getClass().getSimpleName();
            }
            end(thread, start, matched, error);
            if (error != null) {
                LockSupport.parkNanos(FAILURE_PAUSE_NANOS); // pace retries against a dead or stopped server
            }
        }
    }

    private static String name(Exception e, boolean outcomeUnknown) {
        return e.getClass().getSimpleName() + (outcomeUnknown ? "/unknown" : "/known");
    }

    private static void log(FileChannel file, long key) {
        if (file == null) {
            return;
        }
        try {
            file.write(ByteBuffer.allocate(Long.BYTES).putLong(0, key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long begin(int thread) {
        long now = System.nanoTime();
        synchronized (lock) {
            issued++;
            callStarted[thread] = now;
        }
        return now;
    }

    private void end(int thread, long start, boolean matched, String error) {
        long waited = System.nanoTime() - start;
        synchronized (lock) {
            callStarted[thread] = 0;
            maxWaitNanos = Math.max(maxWaitNanos, waited);
            histogram[Math.min(histogram.length - 1, 64 - Long.numberOfLeadingZeros(Math.max(1, waited / 1000)))]++;
            if (error != null) {
                failed++;
                errors.merge(error, 1L, Long::sum);
            } else if (matched) {
                ok++;
                threadOk[thread]++;
            } else {
                mismatched++;
            }
        }
    }

    private String report(String kind) {
        long now = System.nanoTime();
        synchronized (lock) {
            int inflight = 0;
            long oldest = 0;
            for (long started : callStarted) {
                if (started != 0) {
                    inflight++;
                    oldest = Math.max(oldest, now - started);
                }
            }
            long minThreadOk = Arrays.stream(threadOk).min().orElse(0);
            return kind + " at=" + System.currentTimeMillis() + " issued=" + issued + " ok=" + ok + " mismatched="
                    + mismatched
                    + " failed=" + failed + " inflight=" + inflight + " oldestInflightMs="
                    + TimeUnit.NANOSECONDS.toMillis(oldest)
                    + " maxWaitMs=" + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " p50Us=" + percentile(0.5)
                    + " p99Us=" + percentile(0.99) + " minThreadOk=" + minThreadOk + " errors="
                    + errors.toString().replace(" ", "");
        }
    }

    /** @return an upper bound of the percentile in microseconds (power-of-two buckets) */
    private long percentile(double fraction) {
        long total = Arrays.stream(histogram).sum();
        long seen = 0;
        for (int bucket = 0; bucket < histogram.length; bucket++) {
            seen += histogram[bucket];
            if (total > 0 && seen >= fraction * total) {
                return 1L << bucket;
            }
        }
        return 0;
    }
}
