package io.shmipc.sample.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Continuous mode: {@code sample.threads} threads call the agent until the application stops, pausing
 * {@code sample.pause} between calls, and a line a second reports the calls that succeeded and failed
 * in that second. Failures (e.g. while the agent restarts) are counted and the threads carry on: the
 * template reconnects by itself once a server serves the name again.
 */
@Component
@ConditionalOnProperty(name = "sample.mode", havingValue = "continuous")
public class ContinuousRun implements SmartLifecycle {

    private final AgentCalls calls;
    private final SampleClientProperties properties;
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final List<Thread> callers = new ArrayList<>();
    private @Nullable ScheduledExecutorService ticker;
    private volatile boolean running;
    private boolean finished;
    private long totalSucceeded;
    private long totalFailed;
    private long seconds;

    /**
     * @param calls the request mix
     * @param properties threads and pause
     */
    public ContinuousRun(AgentCalls calls, SampleClientProperties properties) {
        this.calls = calls;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        running = true;
        System.out.println("continuous: calling from " + properties.threads() + " threads until stopped");
        for (int t = 0; t < properties.threads(); t++) {
            long firstSequence = t * 1_000_000_000L;
            callers.add(Thread.ofPlatform().name("sample-caller-" + t).start(() -> callUntilStopped(firstSequence)));
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sample-ticker").daemon().factory());
        started.scheduleAtFixedRate(this::printSecond, 1, 1, TimeUnit.SECONDS);
        ticker = started;
    }

    private void callUntilStopped(long sequence) {
        while (running) {
            try {
                calls.call(sequence++);
                succeeded.increment();
            } catch (RuntimeException ex) {
                failed.increment();
            }
            LockSupport.parkNanos(properties.pause().toNanos());
        }
    }

    private synchronized void printSecond() {
        if (finished) {
            // A tick that waited for the lock while stop() printed the totals.
            return;
        }
        long ok = succeeded.sumThenReset();
        long errors = failed.sumThenReset();
        totalSucceeded += ok;
        totalFailed += errors;
        seconds++;
        System.out.println("continuous: second=" + seconds + " ok=" + ok + " errors=" + errors + " total-ok="
                + totalSucceeded + " total-errors=" + totalFailed);
    }

    @Override
    public void stop() {
        running = false;
        for (Thread caller : callers) {
            // A call in flight ends within its timeout (shmipc.client.timeout).
            try {
                caller.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (this) {
            if (ticker != null) {
                ticker.shutdownNow();
            }
            printSecond();
            finished = true;
            System.out.println("continuous: stopped total-ok=" + totalSucceeded + " total-errors=" + totalFailed);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
