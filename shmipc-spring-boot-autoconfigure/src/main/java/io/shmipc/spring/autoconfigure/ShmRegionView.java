package io.shmipc.spring.autoconfigure;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmRegionInfo;
import io.shmipc.spring.ShmServerLifecycle;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * What health and metrics look at: the server's own view of the region when this application serves,
 * otherwise the client's.
 */
final class ShmRegionView {

    private final ObjectProvider<ShmServerLifecycle> lifecycle;
    private final ShmClient client;

    ShmRegionView(ObjectProvider<ShmServerLifecycle> lifecycle, ShmClient client) {
        this.lifecycle = lifecycle;
        this.client = client;
    }

    /** @return the server's region info when this application serves the name, else {@code null} */
    @Nullable
    ShmRegionInfo localServer() {
        ShmServerLifecycle server = lifecycle.getIfUnique();
        return server == null ? null : server.info();
    }

    /** @return the region as best seen from here, or {@code null} when there is none */
    @Nullable
    ShmRegionInfo info() {
        ShmRegionInfo local = localServer();
        return local != null ? local : client.info();
    }

    /** @return true when a live server serves the name, this application or another */
    boolean serverUp() {
        return localServer() != null || client.isServerAvailable();
    }

    ShmClient client() {
        return client;
    }
}
