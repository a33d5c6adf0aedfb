package io.shmipc.spring.autoconfigure;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmRegionInfo;
import io.shmipc.spring.ShmServerLifecycle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of a shmipc name. An application that serves the name reports its own server: UP while
 * running, OUT_OF_SERVICE while draining. A client reports whether a live server answers: UP, or
 * DOWN (OUT_OF_SERVICE while the server drains). Details: role, name, path, epoch, server pid, server
 * state and slot usage.
 */
public class ShmHealthIndicator extends AbstractHealthIndicator {

    private final ShmRegionView view;

    /**
     * @param lifecycle the server lifecycle, when the application has one
     * @param client the engine client
     */
    public ShmHealthIndicator(ObjectProvider<ShmServerLifecycle> lifecycle, ShmClient client) {
        super("shmipc health check failed");
        this.view = new ShmRegionView(lifecycle, client);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ShmRegionInfo local = view.localServer();
        if (local != null) {
            builder.withDetail("role", "server");
            status(builder, local.serverState(), "RUNNING".equals(local.serverState()));
            details(builder, local);
            return;
        }
        ShmClient client = view.client();
        builder.withDetail("role", "client");
        ShmRegionInfo info = client.info();
        if (info == null) {
            builder.down()
                    .withDetail("name", client.name())
                    .withDetail("path", client.path().toString())
                    .withDetail("reason", "no region: the server has not started");
            return;
        }
        status(builder, info.serverState(), client.isServerAvailable());
        details(builder, info);
    }

    private static void status(Health.Builder builder, String serverState, boolean up) {
        if (up) {
            builder.up();
        } else if ("DRAINING".equals(serverState)) {
            builder.outOfService();
        } else {
            builder.down();
        }
    }

    private static void details(Health.Builder builder, ShmRegionInfo info) {
        builder.withDetail("name", info.name())
                .withDetail("path", info.path().toString())
                .withDetail("serverState", info.serverState())
                .withDetail("serverPid", info.serverPid())
                .withDetail("epoch", info.epoch())
                .withDetail("slots", info.slotCount())
                .withDetail("slotsInUse", info.slotsInUse())
                .withDetail("slotCapacity", info.slotCapacity());
    }
}
