package io.shmipc.core.testing;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmServer;
import io.shmipc.core.ShmServerAlreadyRunningException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
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
 *   <li>{@code slow}: prints {@code SLOW-STARTED}, then blocks until the {@code release} command.</li>
 * </ul>
 * Args: name directory slots capacity waitMode. Prints {@code READY epoch=N pid=P}; on the
 * {@code stop} command closes gracefully and prints {@code STOPPED served=N duplicates=D}.
 */
public final class TestServerMain {

    public static void main(String[] args) {
        ShmConfig config = ShmConfig.builder().directory(Path.of(args[1]))
                .slotCount(Integer.parseInt(args[2])).slotCapacity(Integer.parseInt(args[3]))
                .waitMode(io.shmipc.core.WaitMode.valueOf(args[4]))
                .spinTime(Duration.ofMillis(1))
                .livenessInterval(Duration.ofMillis(50)).livenessTimeout(Duration.ofMillis(500))
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
                    case "check" -> {
                        byte[] payload = request.payloadBytes();
                        if (!seen.add(TestPayloads.key(payload))) {
                            duplicates.incrementAndGet();
                        }
                        served.incrementAndGet();
                        response.write(TestPayloads.expectedReply(payload));
                    }
                    case "slow" -> {
                        ChildMains.say("SLOW-STARTED " + request.requestId());
                        release.await();
                        response.write(ByteBuffer.wrap(request.payloadBytes()));
                    }
                    default -> throw new io.shmipc.core.ShmNoHandlerException(request.route());
                }
            });
        } catch (ShmServerAlreadyRunningException e) {
            ChildMains.say("REFUSED pid=" + e.getPid());
            return;
        }
        ChildMains.say("READY epoch=" + server.epoch() + " pid=" + ProcessHandle.current().pid());
        ChildMains.serveCommands(command -> {
            switch (command) {
                case "release" -> release.countDown();
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
}
