package io.shmipc.spring;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmRegionInfo;
import io.shmipc.core.ShmServer;
import io.shmipc.core.ShmServerAlreadyRunningException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;

/**
 * Owns the application's {@link ShmServer} (and so its dispatch thread) when the {@link ShmRoleDecider}
 * says the application serves. Starts in a late phase, next to web servers, so handlers see a fully started
 * context; stops early with a grace period for in-flight requests.
 *
 * <p>While the server runs, a non-daemon thread keeps the JVM alive, as Spring's web and gRPC servers do,
 * so an application without a web server keeps serving until it is stopped (SIGTERM closes the context,
 * which stops the server gracefully, and by default then exits with code 0: see
 * {@link #setExitZeroOnSigterm}). Publishes {@link ShmServerStartedEvent} and
 * {@link ShmServerStoppedEvent}.
 */
public class ShmServerLifecycle implements SmartLifecycle, ApplicationEventPublisherAware {

    /** The phase: the one Spring Boot's web servers use for graceful shutdown. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Log logger = LogFactory.getLog(ShmServerLifecycle.class);

    private final ShmRoleDecider roleDecider;
    private final String name;
    private final ShmConfig config;
    private final ShmHandlerRegistry registry;
    private final ShmHandlerDispatcher dispatcher;
    private final Duration stopTimeout;
    private ApplicationEventPublisher eventPublisher;
    private volatile ShmServer server;
    private CountDownLatch keepAlive;
    private boolean exitZeroOnSigterm = true;
    private boolean sigtermExitHeld;

    /**
     * @param roleDecider decides whether the application serves
     * @param name the shmipc name
     * @param config the engine settings
     * @param registry the routes, for the log and the started event
     * @param dispatcher serves requests
     * @param stopTimeout the longest a stop may take (Spring's per-phase shutdown timeout); the grace
     *     period is cut to fit
     */
    public ShmServerLifecycle(
            ShmRoleDecider roleDecider,
            String name,
            ShmConfig config,
            ShmHandlerRegistry registry,
            ShmHandlerDispatcher dispatcher,
            Duration stopTimeout) {
        this.roleDecider = Objects.requireNonNull(roleDecider, "roleDecider");
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
    }

    /**
     * @param exitZeroOnSigterm whether SIGTERM ends the JVM with exit code 0 (after the same graceful stop) while
     *     this server runs, instead of the JVM's 143; true by default (see {@link SigtermExit})
     */
    public void setExitZeroOnSigterm(boolean exitZeroOnSigterm) {
        this.exitZeroOnSigterm = exitZeroOnSigterm;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
        this.eventPublisher = eventPublisher;
    }

    @Override
    public synchronized void start() {
        if (server != null || !roleDecider.shouldServe()) {
            return;
        }
        dispatcher.open();
        ShmServer started;
        try {
            started = ShmServer.start(name, config, dispatcher);
        } catch (ShmServerAlreadyRunningException ex) {
            dispatcher.close();
            if (!roleDecider.mayActAsClient()) {
                throw ex;
            }
            roleDecider.actingAsClient(ex.getMessage());
            return;
        } catch (RuntimeException | Error ex) {
            dispatcher.close();
            throw ex;
        }
        server = started;
        roleDecider.serving();
        keepAlive = startKeepAliveThread();
        if (exitZeroOnSigterm) {
            SigtermExit.acquire();
            sigtermExitHeld = true;
        }
        logger.info("shmipc server '" + name + "' started at " + started.path() + " (epoch " + started.epoch()
                + ") serving routes " + registry.routes());
        publish(new ShmServerStartedEvent(this, name, started.path(), started.epoch(), registry.routes()));
    }

    /**
     * The engine's threads are daemons (a library must not keep a JVM alive on its own); this one thread
     * is not, and ends when the server stops, as Tomcat's and gRPC's await threads do.
     */
    private CountDownLatch startKeepAliveThread() {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread.ofPlatform()
                .daemon(false)
                .name("shmipc-server-keep-alive-" + name)
                .start(() -> {
                    try {
                        stopped.await();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                });
        return stopped;
    }

    @Override
    public void stop() {
        Stopping stopping = detach();
        if (stopping != null) {
            stopping.run();
        }
    }

    @Override
    public void stop(Runnable callback) {
        Stopping stopping = detach();
        if (stopping == null) {
            callback.run();
            return;
        }
        // Draining may take the whole grace period; let the other beans of this phase stop meanwhile.
        Thread.ofPlatform().name("shmipc-server-stop-" + name).daemon().start(() -> {
            try {
                stopping.run();
            } finally {
                callback.run();
            }
        });
    }

    private synchronized Stopping detach() {
        ShmServer running = server;
        server = null;
        boolean releaseSigtermExit = sigtermExitHeld;
        sigtermExitHeld = false;
        return running == null ? null : new Stopping(running, keepAlive, releaseSigtermExit);
    }

    /** Closing a detached server: drain, stop the handler threads, publish, then let the JVM exit. */
    private final class Stopping implements Runnable {

        private final ShmServer running;
        private final CountDownLatch keepAlive;
        private final boolean sigtermExitAcquired;

        Stopping(ShmServer running, CountDownLatch keepAlive, boolean sigtermExitAcquired) {
            this.running = running;
            this.keepAlive = keepAlive;
            this.sigtermExitAcquired = sigtermExitAcquired;
        }

        @Override
        public void run() {
            try {
                running.close(grace());
                dispatcher.close();
                // The engine logs through System.Logger, whose JUL back end may already be reset by its own
                // shutdown hook when SIGTERM stops the context; this line goes through Spring's logging.
                logger.info("shmipc server '" + name + "' stopped and its files removed");
                publish(new ShmServerStoppedEvent(ShmServerLifecycle.this, name));
            } finally {
                if (sigtermExitAcquired) {
                    SigtermExit.release();
                }
                keepAlive.countDown();
            }
        }
    }

    private void publish(Object event) {
        if (eventPublisher != null) {
            eventPublisher.publishEvent(event);
        }
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
