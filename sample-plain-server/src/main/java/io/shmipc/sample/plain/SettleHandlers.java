package io.shmipc.sample.plain;

import io.shmipc.spring.ShmHandler;
import io.shmipc.spring.ShmServerLifecycle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A route that answers only once the server has begun to stop: a call made before SIGTERM is in flight while
 * the server drains, and its reply shows that a graceful stop lets it finish (PlainServerIT checks it).
 */
@Component
public class SettleHandlers {

    private static final Log logger = LogFactory.getLog(SettleHandlers.class);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(2);

    private final ObjectProvider<ShmServerLifecycle> server;
    private final Executor waiters = Executors.newVirtualThreadPerTaskExecutor();

    /** @param server the application's shmipc server, whose stop the route waits for */
    public SettleHandlers(ObjectProvider<ShmServerLifecycle> server) {
        this.server = server;
    }

    /** @return {@code settled ID} once the server is stopping, or {@code not stopped ID} after two minutes */
    @ShmHandler("${quotes.prefix:quotes}.settle")
    public CompletableFuture<String> settle(String id) {
        logger.info("settle " + id + " waits for the server to stop");
        return CompletableFuture.supplyAsync(
                () -> {
                    long giveUp = System.nanoTime() + LONGEST_WAIT.toNanos();
                    while (server.getObject().isRunning()) {
                        if (System.nanoTime() - giveUp > 0) {
                            return "not stopped " + id;
                        }
                        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                    }
                    return "settled " + id;
                },
                waiters);
    }
}
