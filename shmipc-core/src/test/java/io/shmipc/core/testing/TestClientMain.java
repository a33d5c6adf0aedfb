package io.shmipc.core.testing;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.WaitMode;
import io.shmipc.testing.TestPayloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client process for tests: {@code threads} threads each make {@code calls} calls to the
 * {@code check} route and verify every reply against its own request.
 * Args: name directory clientId threads calls waitMode.
 * Prints {@code RESULT ok=N mismatched=M failed=F} and exits 0 when every call matched.
 */
public final class TestClientMain {

    public static void main(String[] args) throws Exception {
        String name = args[0];
        ShmConfig config = ShmConfig.builder()
                .directory(Path.of(args[1]))
                .waitMode(WaitMode.valueOf(args[5]))
                .livenessInterval(Duration.ofMillis(50))
                .livenessTimeout(Duration.ofMillis(500))
                .build();
        int clientId = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int calls = Integer.parseInt(args[4]);
        AtomicLong ok = new AtomicLong();
        AtomicLong mismatched = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        try (ShmClient client = new ShmClient(name, config)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < calls; i++) {
                            byte[] request = TestPayloads.request(clientId, thread, i, (i * 31 + thread) % 200);
                            try {
                                byte[] reply = client.call("check", request, Duration.ofSeconds(30));
                                if (Arrays.equals(reply, TestPayloads.expectedReply(request))) {
                                    ok.incrementAndGet();
                                } else {
                                    mismatched.incrementAndGet();
                                }
                            } catch (RuntimeException e) {
                                failed.incrementAndGet();
                                ChildMains.say("FAILURE " + e);
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
        }
        ChildMains.say("RESULT ok=" + ok.get() + " mismatched=" + mismatched.get() + " failed=" + failed.get());
        System.exit(mismatched.get() == 0 && failed.get() == 0 ? 0 : 1);
    }
}
