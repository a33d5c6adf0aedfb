package io.shmipc.bench.harness;

import io.shmipc.bench.transport.Caller;
import io.shmipc.bench.transport.Transport;
import io.shmipc.bench.transport.Transports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The client JVM: connects, warms up, says {@code WARMED}, waits for {@code GO} on stdin (so several
 * client processes start measuring together), runs its scenarios, prints one result line each.
 *
 * <p>Arguments: transport endpoint serverPid measureMillis warmupCapMillis warmupMinMillis scenario...
 */
public final class ClientProcess {

    private static final long WAKEUP_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long IDLE_SETTLE_MILLIS = 2_000;
    /** A window whose second half's p50 is this much below its first half's was still warming. */
    private static final int WINDOW_DRIFT_PERCENT = 10;

    private final Transport transport;
    private final String endpoint;
    private final long serverPid;
    private final long measureNanos;
    private final long warmupMinNanos;
    private final long warmupCapNanos;
    /** Warm-up shapes whose latency had not levelled off at the cap. */
    private final Set<String> stillWarming = new HashSet<>();

    private ClientProcess(
            Transport transport,
            String endpoint,
            long serverPid,
            long measureNanos,
            long warmupMinNanos,
            long warmupCapNanos) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.serverPid = serverPid;
        this.measureNanos = measureNanos;
        this.warmupMinNanos = warmupMinNanos;
        this.warmupCapNanos = warmupCapNanos;
    }

    public static void main(String[] args) throws Exception {
        long warmupCapNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
        long warmupMinNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[5]));
        ClientProcess client = new ClientProcess(
                Transports.byId(args[0]),
                args[1],
                Long.parseLong(args[2]),
                TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3])),
                warmupMinNanos,
                warmupCapNanos);
        List<Scenario> scenarios =
                Arrays.stream(args, 6, args.length).map(Scenario::parse).toList();
        try (Caller caller = client.transport.connect(client.endpoint)) {
            boolean levelled = client.warmUp(caller, scenarios, warmupMinNanos, warmupCapNanos);
            System.out.println(ChildJvm.WARMED + " levelled=" + levelled);
            awaitGo();
            for (Scenario scenario : scenarios) {
                System.out.println(client.measure(caller, scenario).toLine());
            }
            System.out.println(ChildJvm.DONE);
        }
        System.out.flush();
        // Transport libraries (Tomcat's client side aside) may leave non-daemon threads behind.
        System.exit(0);
    }

    /**
     * Warms every shape the scenarios will call, one after the other, each until its latency levels off
     * (see {@link SteadyStateWarmup}); the shapes that did not are remembered, and their scenarios flagged.
     *
     * @return true when every shape levelled off
     */
    private boolean warmUp(Caller caller, List<Scenario> scenarios, long minNanos, long capNanos) throws Exception {
        JitActivity jit = JitActivity.of(serverPid);
        if (!jit.seesServer()) {
            System.out.println("warm-up: cannot read the server's JIT counter; judging the server by latency only");
        }
        for (Map.Entry<String, TimedLoop.RoundTrip> shape :
                warmupShapes(caller, scenarios).entrySet()) {
            SteadyStateWarmup.Outcome outcome = SteadyStateWarmup.run(shape.getValue(), minNanos, capNanos, jit);
            System.out.printf(
                    "warm-up %s: %s after %.1f s, p50 of the last slice %.2f us%n",
                    shape.getKey(), outcome.why(), outcome.nanos() / 1e9, outcome.p50Nanos() / 1e3);
            if (!outcome.levelled()) {
                stillWarming.add(shape.getKey());
            }
        }
        return stillWarming.isEmpty();
    }

    private static void awaitGo() throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = stdin.readLine()) != null) {
            if (line.equals(ChildJvm.GO)) {
                return;
            }
        }
        throw new IllegalStateException("the orchestrator went away before GO");
    }

    /** @return one round trip per shape the scenarios call, by {@link #shapeOf} key, in call order */
    private Map<String, TimedLoop.RoundTrip> warmupShapes(Caller caller, List<Scenario> scenarios) {
        Map<String, TimedLoop.RoundTrip> shapes = new LinkedHashMap<>();
        shapes.put(
                shapeOf(new Scenario(Scenario.Kind.ECHO, Scenario.SMALL_PAYLOAD)),
                echo(caller, Scenario.SMALL_PAYLOAD));
        for (Scenario s : scenarios) {
            if (s.kind() == Scenario.Kind.ZERO_COPY) {
                shapes.putIfAbsent(shapeOf(s), () -> caller.callZeroCopy(s.value()));
            } else if (s.kind() != Scenario.Kind.IDLE) {
                shapes.putIfAbsent(shapeOf(s), echo(caller, s.payloadBytes()));
            }
        }
        return shapes;
    }

    /** @return the warm-up shape a scenario calls: zero-copy or echo, and the payload size */
    private static String shapeOf(Scenario s) {
        return (s.kind() == Scenario.Kind.ZERO_COPY ? "zero-copy-" : "echo-") + Scenario.size(s.payloadBytes());
    }

    private static TimedLoop.RoundTrip echo(Caller caller, int size) {
        byte[] request = new byte[size];
        new Random(size).nextBytes(request);
        return () -> caller.echo(request);
    }

    private ScenarioResult measure(Caller caller, Scenario scenario) throws Exception {
        return switch (scenario.kind()) {
            case ECHO, PROCESSES -> timed(scenario, echo(caller, scenario.payloadBytes()), 0, "-");
            case ZERO_COPY -> timed(scenario, () -> caller.callZeroCopy(scenario.value()), 0, "-");
            case WAKEUP -> timed(scenario, echo(caller, scenario.payloadBytes()), WAKEUP_PAUSE_NANOS, "-");
            case THREADS, VIRTUAL_THREADS -> threads(scenario);
            case IDLE -> idle(scenario);
            case SAME_VCPU -> pinned(caller, scenario, "0", "0");
            case CROSS_VCPU -> pinned(caller, scenario, "0", "1");
        };
    }

    private ScenarioResult timed(Scenario scenario, TimedLoop.RoundTrip roundTrip, long pauseNanos, String note)
            throws Exception {
        // A short unrecorded run settles caches and branch predictors for this payload size.
        TimedLoop.spin(roundTrip, Math.min(measureNanos / 5, 200_000_000L));
        Histogram firstHalf = ScenarioResult.newHistogram();
        Histogram secondHalf = ScenarioResult.newHistogram();
        long clientCpu = CpuClock.selfCpuNanos();
        long serverCpu = CpuClock.cpuNanos(serverPid);
        long start = System.nanoTime();
        long calls = TimedLoop.record(roundTrip, firstHalf, start + measureNanos / 2, pauseNanos);
        calls += TimedLoop.record(roundTrip, secondHalf, start + measureNanos, pauseNanos);
        long elapsed = System.nanoTime() - start;
        boolean warming = stillWarming.contains(shapeOf(scenario)) || fellDuring(firstHalf, secondHalf);
        firstHalf.add(secondHalf);
        return new ScenarioResult(
                scenario,
                calls,
                elapsed,
                CpuClock.selfCpuNanos() - clientCpu,
                CpuClock.cpuNanos(serverPid) - serverCpu,
                firstHalf,
                note,
                warming);
    }

    /**
     * @return true when the second half of a window was clearly faster than the first: code was still
     *     being compiled while it was measured
     */
    private static boolean fellDuring(Histogram firstHalf, Histogram secondHalf) {
        if (firstHalf.getTotalCount() < 10 || secondHalf.getTotalCount() < 10) {
            return false;
        }
        return secondHalf.getValueAtPercentile(50) * 100
                < firstHalf.getValueAtPercentile(50) * (100 - WINDOW_DRIFT_PERCENT);
    }

    private ScenarioResult idle(Scenario scenario) throws InterruptedException {
        // The scenarios before leave JIT compilation and GC work behind; idle means after it has settled.
        Thread.sleep(Math.min(IDLE_SETTLE_MILLIS, scenario.value() / 2));
        long clientCpu = CpuClock.selfCpuNanos();
        long serverCpu = CpuClock.cpuNanos(serverPid);
        long start = System.nanoTime();
        Thread.sleep(scenario.value());
        long elapsed = System.nanoTime() - start;
        return new ScenarioResult(
                scenario,
                0,
                elapsed,
                CpuClock.selfCpuNanos() - clientCpu,
                CpuClock.cpuNanos(serverPid) - serverCpu,
                ScenarioResult.newHistogram(),
                "-");
    }

    private ScenarioResult pinned(Caller caller, Scenario scenario, String serverCpu, String clientCpu)
            throws Exception {
        long self = ProcessHandle.current().pid();
        Placement.pin(serverPid, serverCpu);
        Placement.pin(self, clientCpu);
        try {
            ScenarioResult result = timed(scenario, echo(caller, scenario.payloadBytes()), 0, "-");
            String note = "client@vcpu" + Placement.currentCpu() + ",server@vcpu" + serverCpu;
            return new ScenarioResult(
                    scenario,
                    result.calls(),
                    result.elapsedNanos(),
                    result.clientCpuNanos(),
                    result.serverCpuNanos(),
                    result.histogram(),
                    note,
                    result.stillWarming());
        } finally {
            Placement.pin(serverPid, Placement.allCpus());
            Placement.pin(self, Placement.allCpus());
        }
    }

    /**
     * N callers of one client process at once, on platform or virtual threads. The same N callers first
     * run in slices until their latency levels off with neither JVM compiling (the rule of
     * {@link SteadyStateWarmup}, applied to the N-caller shape: thread hand-offs, the virtual-thread
     * scheduler and the slot queue have code of their own to compile), then one window is measured.
     */
    private ScenarioResult threads(Scenario scenario) throws Exception {
        int count = scenario.value();
        List<Caller> callers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                callers.add(transport.connect(endpoint));
            }
            boolean levelled = warmUpThreads(scenario, callers);
            System.out.printf("warm-up %s: %s%n", scenario.label(), levelled ? "levelled" : "still warming at the cap");
            long clientCpu = CpuClock.selfCpuNanos();
            long serverCpu = CpuClock.cpuNanos(serverPid);
            ThreadsWindow window = runThreads(scenario, callers, measureNanos);
            return new ScenarioResult(
                    scenario,
                    window.calls(),
                    window.elapsedNanos(),
                    CpuClock.selfCpuNanos() - clientCpu,
                    CpuClock.cpuNanos(serverPid) - serverCpu,
                    window.histogram(),
                    "-",
                    !levelled);
        } finally {
            for (Caller c : callers) {
                c.close();
            }
        }
    }

    /** @return true when the N-caller shape's median levelled off before the warm-up cap */
    private boolean warmUpThreads(Scenario scenario, List<Caller> callers) throws Exception {
        JitActivity jit = JitActivity.of(serverPid);
        List<Long> medians = new ArrayList<>();
        long start = System.nanoTime();
        int flatSlices = 0;
        while (true) {
            long[] before = jit.snapshot();
            ThreadsWindow slice = runThreads(scenario, callers, SteadyStateWarmup.SLICE_MILLIS * 1_000_000L);
            medians.add(slice.histogram().getValueAtPercentile(50));
            boolean falling = SteadyStateWarmup.stillFalling(medians);
            flatSlices = !falling && jit.quietSince(before) ? flatSlices + 1 : 0;
            long elapsed = System.nanoTime() - start;
            if (flatSlices >= 2 && elapsed >= warmupMinNanos) {
                return true;
            }
            if (elapsed >= warmupCapNanos) {
                return false;
            }
        }
    }

    /** What one run of the N callers did. */
    private record ThreadsWindow(long calls, long elapsedNanos, Histogram histogram) {}

    /**
     * Runs every caller on its own thread for one window. Platform threads record into a histogram each;
     * virtual threads, which may be a thousand, share one concurrent histogram (a histogram each would
     * take hundreds of megabytes).
     */
    private static ThreadsWindow runThreads(Scenario scenario, List<Caller> callers, long windowNanos)
            throws Exception {
        boolean virtual = scenario.kind() == Scenario.Kind.VIRTUAL_THREADS;
        ExecutorService pool =
                virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newFixedThreadPool(callers.size());
        Histogram shared = virtual ? new ConcurrentHistogram(ScenarioResult.newHistogram()) : null;
        try {
            CountDownLatch ready = new CountDownLatch(callers.size());
            CountDownLatch go = new CountDownLatch(1);
            long[] window = new long[1];
            List<Future<long[]>> counts = new ArrayList<>();
            List<Histogram> histograms = new ArrayList<>();
            for (Caller c : callers) {
                Histogram histogram = virtual && shared != null ? shared : ScenarioResult.newHistogram();
                if (!virtual || histograms.isEmpty()) {
                    histograms.add(histogram);
                }
                TimedLoop.RoundTrip roundTrip = echo(c, scenario.payloadBytes());
                counts.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return new long[] {TimedLoop.record(roundTrip, histogram, window[0], 0)};
                }));
            }
            ready.await();
            long start = System.nanoTime();
            window[0] = start + windowNanos;
            go.countDown();
            long calls = 0;
            for (Future<long[]> f : counts) {
                calls += f.get()[0];
            }
            long elapsed = System.nanoTime() - start;
            Histogram all = ScenarioResult.newHistogram();
            histograms.forEach(all::add);
            return new ThreadsWindow(calls, elapsed, all);
        } finally {
            pool.shutdownNow();
        }
    }
}
