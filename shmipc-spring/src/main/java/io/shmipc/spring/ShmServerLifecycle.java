package io.shmipc.spring;

import io.shmipc.core.ShmClient;
import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmRegionInfo;
import io.shmipc.core.ShmServer;
import io.shmipc.core.ShmServerAlreadyRunningException;
import java.time.Duration;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Decides the application's {@link ShmRole} once the context is ready, and owns the {@link ShmServer}
 * (and so its dispatch thread) when the application serves. Starts in a late phase, next to web
 * servers, so handlers see a fully started context; stops early with a grace period for in-flight
 * requests.
 *
 * <p>When the application ends up a client and {@code failFast} is set, start fails with
 * {@link io.shmipc.core.ShmServerUnavailableException} if no server is running.
 */
public class ShmServerLifecycle implements SmartLifecycle {

    /** The phase: the one Spring Boot's web servers use for graceful shutdown. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Log logger = LogFactory.getLog(ShmServerLifecycle.class);

    private final ShmRole role;
    private final String name;
    private final ShmConfig config;
    private final ShmHandlerRegistry registry;
    private final ShmHandlerDispatcher dispatcher;
    private final ShmClient failFastClient;
    private final Duration stopTimeout;
    private volatile ShmServer server;

    /**
     * @param role the configured role
     * @param name the shmipc name
     * @param config the engine settings
     * @param registry tells whether the application has handlers
     * @param dispatcher serves requests
     * @param failFastClient connected at start when the application is a client, to fail when no server
     *                       runs; {@code null} to connect lazily on the first call
     * @param stopTimeout the longest a stop may take (Spring's per-phase shutdown timeout); the grace
     *                    period is cut to fit
     */
    public ShmServerLifecycle(
            ShmRole role,
            String name,
            ShmConfig config,
            ShmHandlerRegistry registry,
            ShmHandlerDispatcher dispatcher,
            ShmClient failFastClient,
            Duration stopTimeout) {
        this.role = Objects.requireNonNull(role, "role");
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.failFastClient = failFastClient;
        this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        boolean handlers = registry.hasHandlers();
        if (role == ShmRole.CLIENT && handlers) {
            logger.warn("shmipc.role=client: not serving the @ShmHandler routes " + registry.routes() + " for name '"
                    + name + "'");
        }
        if (role == ShmRole.SERVER || (role == ShmRole.AUTO && handlers)) {
            dispatcher.verify();
            try {
                server = ShmServer.start(name, config, dispatcher);
                logger.info("shmipc server '" + name + "' started at " + server.path() + " (epoch " + server.epoch()
                        + ") serving routes " + registry.routes());
                return;
            } catch (ShmServerAlreadyRunningException ex) {
                if (role == ShmRole.SERVER) {
                    throw ex;
                }
                // AUTO: the first instance serves, the others call it.
                logger.info("shmipc.role=auto: " + ex.getMessage() + "; this instance runs as a client");
                return;
            }
        }
        if (failFastClient != null) {
            failFastClient.connect();
        }
    }

    @Override
    public void stop() {
        ShmServer running = detach();
        if (running != null) {
            running.close(grace());
        }
    }

    @Override
    public void stop(Runnable callback) {
        ShmServer running = detach();
        if (running == null) {
            callback.run();
            return;
        }
        // Draining may take the whole grace period; let the other beans of this phase stop meanwhile.
        Thread.ofPlatform().name("shmipc-server-stop-" + name).daemon().start(() -> {
            try {
                running.close(grace());
            } finally {
                callback.run();
            }
        });
    }

    private synchronized ShmServer detach() {
        ShmServer running = server;
        server = null;
        return running;
    }

    private Duration grace() {
        Duration grace = config.shutdownGrace();
        return grace.compareTo(stopTimeout) > 0 ? stopTimeout : grace;
    }

    /** @return true from a start that made this application the server until stop */
    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** @return the region of the server this application runs, or {@code null} when it runs none */
    public ShmRegionInfo info() {
        ShmServer running = server;
        return running == null ? null : running.info();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
