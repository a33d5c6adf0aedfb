package io.shmipc.core.testing;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmServer;
import io.shmipc.core.ShmServerAlreadyRunningException;
import io.shmipc.testing.TestPayloads;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server process for tests. Routes:
 * <ul>
 *   <li>{@code echo}: replies with the request;</li>
 *   <li>{@code check}: replies with {@link TestPayloads#expectedReply}, and counts every distinct
 *       request key so duplicates show up in {@code served} and {@code duplicates};</li>
 *   <li>{@code check-slow}: the same, after up to 3 ms of "work";</li>
 *   <li>{@code slow}: prints {@code SLOW-STARTED}, then blocks until the {@code release} command;</li>
 *   <li>{@code fail}: throws, so the client gets a remote error.</li>
 * </ul>
 * Args: name directory slots capacity waitMode [executions-log | no-dedup]. With an executions log, the
 * {@code check} route appends each request's key (8 bytes) to that file before doing anything else,
 * so that a harness can prove across server crashes and takeovers that no request ran twice. With
 * {@code no-dedup}, {@code check} keeps no set of the keys it saw (for soak runs, where it would grow).
 * Prints {@code READY epoch=N pid=P}; on the {@code stop} command closes gracefully and prints
 * {@code STOPPED served=N duplicates=D}; on {@code stats} runs a GC and prints
 * {@code STATS served=N duplicates=D heapUsed=BYTES threads=T}.
 */
public final class TestServerMain {

    public static void main(String[] args) throws java.io.IOException {
        // "no-dedup": keep no set of seen keys (it grows with every request, which a soak would see as a leak)
        boolean dedup = args.length <= 5 || !args[5].equals("no-dedup");
        FileChannel executions = args.length > 5 && dedup
                ? FileChannel.open(
                        Path.of(args[5]),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)
                : null;
        ShmConfig config = ShmConfig.builder()
                .directory(Path.of(args[1]))
                .slotCount(Integer.parseInt(args[2]))
                .slotCapacity(Integer.parseInt(args[3]))
                .waitMode(io.shmipc.core.WaitMode.valueOf(args[4]))
                .spinTime(Duration.ofMillis(1))
                .livenessInterval(Duration.ofMillis(50))
                .livenessTimeout(Duration.ofMillis(500))
                .build();
        AtomicLong served = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        ShmServer server;
        try {
            server = ShmServer.start(args[0], config, (request, response) -> {
                switch (request.route()) {
                    case "echo" -> response.write(request.payloadBuffer());
                    case "check", "check-slow" -> {
                        byte[] payload = request.payloadBytes();
                        if (executions != null) {
                            logExecution(executions, TestPayloads.key(payload));
                        }
                        if (dedup && !seen.add(TestPayloads.key(payload))) {
                            duplicates.incrementAndGet();
                        }
                        served.incrementAndGet();
                        if (request.route().equals("check-slow")) {
                            // Holds the slot in PROCESSING for a while, so that faults land mid-request.
                            java.util.concurrent.locks.LockSupport.parkNanos(
                                    java.util.concurrent.ThreadLocalRandom.current()
                                            .nextLong(3_000_000));
                        }
                        response.write(TestPayloads.expectedReply(payload));
                    }
                    case "slow" -> {
                        ChildMains.say("SLOW-STARTED " + request.requestId());
                        release.await();
                        response.write(ByteBuffer.wrap(request.payloadBytes()));
                    }
                    case "fail" -> throw new IllegalStateException("asked to fail");
                    default -> throw new io.shmipc.core.ShmNoHandlerException(request.route());
                }
            });
        } catch (ShmServerAlreadyRunningException e) {
            ChildMains.say("REFUSED pid=" + e.getPid());
            return;
        }
        ChildMains.say("READY epoch=" + server.epoch() + " pid="
                + ProcessHandle.current().pid());
        ChildMains.serveCommands(command -> {
            switch (command) {
                case "release" -> release.countDown();
                case "stats" -> {
                    System.gc();
                    Runtime runtime = Runtime.getRuntime();
                    ChildMains.say("STATS served=" + served.get() + " duplicates=" + duplicates.get() + " heapUsed="
                            + (runtime.totalMemory() - runtime.freeMemory()) + " threads=" + Thread.activeCount());
                }
                case "stop" -> {
                    release.countDown();
                    server.close(Duration.ofSeconds(10));
                    ChildMains.say("STOPPED served=" + served.get() + " duplicates=" + duplicates.get());
                }
                default -> ChildMains.say("UNKNOWN " + command);
            }
        });
        server.close(Duration.ZERO);
    }

    /** One write(2) per execution: it reaches the page cache at once, so it survives a SIGKILL of this process. */
    private static void logExecution(FileChannel executions, long key) {
        try {
            executions.write(ByteBuffer.allocate(Long.BYTES).putLong(0, key));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
