package io.shmipc.core.internal;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.ProcessIdentity;

/**
 * A client's judgement of whether the server is alive, from the heartbeat counter and, where the
 * server's pid is visible, the OS.
 *
 * <p>The heartbeat is a counter, not a timestamp: clocks are not comparable across processes, but
 * a counter that has not moved for longer than the liveness timeout means silence whichever clock
 * measures it. This class times the silence on its own clock from the moment it first saw the
 * current value. A counter that moved while this client was not looking only proves the server
 * lived at some point of that absence, so then, and at connect, the OS is asked too: a server that
 * is gone (or whose pid was reused) is declared dead at once, before a request is sent. A stopped
 * server (SIGSTOP) or one in another pid namespace is judged by the heartbeat alone.
 *
 * <p>The interval used is the longer of this client's and the one the server advertises in the
 * header, so a client never judges a server by a shorter period than the server beats at.
 *
 * <p>Fields are updated racily by calling threads; any interleaving yields a verdict at most one
 * interval stale, which the callers' slice loop tolerates.
 */
public final class ServerLiveness {

    private final MappedRegion region;
    private final long ownIntervalNanos;
    private final long ownTimeoutNanos;
    private volatile long lastHeartbeat;
    private volatile long lastChangeNanos;
    private volatile long lastLookNanos;
    private volatile long lastProbeNanos;
    private volatile ProcessIdentity.Verdict lastVerdict;

    ServerLiveness(MappedRegion region, ShmConfig config) {
        this.region = region;
        this.ownIntervalNanos = config.livenessInterval().toNanos();
        this.ownTimeoutNanos = config.livenessTimeout().toNanos();
        long now = System.nanoTime();
        this.lastHeartbeat = region.heartbeatVolatile();
        this.lastChangeNanos = now;
        this.lastLookNanos = now;
        this.lastProbeNanos = now;
        this.lastVerdict = probe();
    }

    /**
     * @param now {@link System#nanoTime()}
     * @return false when the server process is gone, stopped past the timeout, or silent past the timeout
     */
    boolean isServerProcessAlive(long now) {
        long interval = Math.max(ownIntervalNanos, region.serverLivenessIntervalNanos());
        long timeout = Math.max(ownTimeoutNanos, 2 * interval);
        long heartbeat = region.heartbeatVolatile();
        long sinceLook = now - lastLookNanos;
        if (sinceLook > interval / 4) {
            // Coarse on purpose: a write per call would bounce this line between the caller threads.
            lastLookNanos = now;
        }
        if (heartbeat != lastHeartbeat) {
            lastHeartbeat = heartbeat;
            lastChangeNanos = now;
            if (sinceLook <= 2 * interval) {
                lastVerdict = ProcessIdentity.Verdict.UNKNOWN;
                return true;
            }
            // It moved while we were away: it may have died since. Ask the OS.
            lastProbeNanos = now;
            lastVerdict = probe();
            return lastVerdict != ProcessIdentity.Verdict.DEAD;
        }
        long silent = now - lastChangeNanos;
        if (silent >= 2 * interval && now - lastProbeNanos >= interval) {
            lastProbeNanos = now;
            lastVerdict = probe();
        }
        return switch (lastVerdict) {
            case ALIVE -> true;
            case DEAD -> false;
            case STOPPED, UNKNOWN -> silent < timeout;
        };
    }

    /** @return true when the server is RUNNING or DRAINING and its process alive: in-flight work will be answered */
    boolean willAnswer(long now) {
        int state = region.serverStateVolatile();
        return (state == RegionDescriptor.SERVER_RUNNING || state == RegionDescriptor.SERVER_DRAINING)
                && isServerProcessAlive(now);
    }

    private ProcessIdentity.Verdict probe() {
        return ProcessIdentity.probe(
                new ProcessIdentity(region.serverPid(), region.serverStartToken(), region.serverPidNamespace()));
    }
}
