package io.shmipc.sample.server;

import io.shmipc.core.ShmException;
import io.shmipc.core.ShmRegionInfo;
import io.shmipc.spring.ShmServerLifecycle;
import io.shmipc.spring.ShmTemplate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The classic demo of {@code shmipc.role=auto} (profile {@code auto}): start the same jar twice with
 * the same name. The first instance takes the name and serves; the second finds it taken, runs as a
 * client, and once a second reports a sample to the first and prints the aggregate it gets back.
 */
@Component
@Profile("auto")
public class AutoRoleDemo implements DisposableBean {

    private static final Log logger = LogFactory.getLog(AutoRoleDemo.class);

    private final ShmServerLifecycle lifecycle;
    private final ShmTemplate template;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("auto-role-client").daemon().factory());

    /**
     * @param lifecycle tells whether this instance won the name
     * @param template calls the instance that did
     */
    public AutoRoleDemo(ShmServerLifecycle lifecycle, ShmTemplate template) {
        this.lifecycle = lifecycle;
        this.template = template;
    }

    /** Announces the role this instance ended up with; a client starts calling the server. */
    @EventListener(ApplicationReadyEvent.class)
    public void announceRole() {
        ShmRegionInfo served = lifecycle.info();
        if (served != null) {
            logger.info("auto role: this instance (pid "
                    + ProcessHandle.current().pid() + ") is the SERVER of '" + served.name() + "'");
            return;
        }
        ShmRegionInfo region = template.getClient().info();
        logger.info("auto role: this instance (pid " + ProcessHandle.current().pid()
                + ") is a CLIENT of the server with pid " + (region == null ? "unknown" : region.serverPid()));
        ticker.scheduleWithFixedDelay(this::reportAndQuery, 0, 1, TimeUnit.SECONDS);
    }

    private void reportAndQuery() {
        String source = "auto-client-" + ProcessHandle.current().pid();
        try {
            template.call(
                    "metrics.report",
                    new MetricSample(
                            source, "demo.load", ThreadLocalRandom.current().nextDouble(0, 100), null),
                    ReportReceipt.class);
            MetricAggregate aggregate =
                    template.call("metrics.query", new MetricQuery(source, "demo.load", null), MetricAggregate.class);
            logger.info("auto role: client got " + aggregate);
        } catch (ShmException ex) {
            // The server may stop while this client runs; keep trying, it may come back.
            logger.warn("auto role: call failed: " + ex.getMessage());
        }
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
    }
}
