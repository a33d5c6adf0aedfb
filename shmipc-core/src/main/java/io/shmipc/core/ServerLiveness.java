package io.shmipc.core;

import io.shmipc.core.layout.RegionDescriptor;
import io.shmipc.core.region.MappedRegion;
import io.shmipc.core.region.ProcessIdentity;

/**
 * A client's judgement of whether the server is alive, from the heartbeat counter and, where the
 * server's pid is visible, the OS.
 *
 * <p>The heartbeat is a counter, not a timestamp: clocks are not comparable across processes, but
 * a counter that has not moved for longer than the liveness timeout means silence whichever clock
 * measures it. This class times the silence on its own clock from the first moment it saw the
 * current value. The pid check makes the verdict fast: a server that is gone (or whose pid was
 * reused) is declared dead at once, without waiting out the timeout. A stopped server (SIGSTOP) or
 * one in another pid namespace is judged by the heartbeat alone.
 *
 * <p>Fields are updated racily by calling threads; any interleaving yields a verdict at most one
 * interval stale, which the callers' slice loop tolerates.
 */
final class ServerLiveness {

    private final MappedRegion region;
    private final long intervalNanos;
    private final long timeoutNanos;
    private volatile long lastHeartbeat;
    private volatile long lastChangeNanos;
    private volatile long lastProbeNanos;
    private volatile ProcessIdentity.Verdict lastVerdict = ProcessIdentity.Verdict.UNKNOWN;

    ServerLiveness(MappedRegion region, ShmConfig config) {
        this.region = region;
        this.intervalNanos = config.livenessInterval().toNanos();
        this.timeoutNanos = config.livenessTimeout().toNanos();
        this.lastHeartbeat = region.heartbeatVolatile();
        this.lastChangeNanos = System.nanoTime();
        this.lastProbeNanos = lastChangeNanos - intervalNanos;
    }

    /**
     * @param now {@link System#nanoTime()}
     * @return false when the server process is gone, stopped past the timeout, or silent past the timeout
     */
    boolean isServerProcessAlive(long now) {
        long heartbeat = region.heartbeatVolatile();
        if (heartbeat != lastHeartbeat) {
            lastHeartbeat = heartbeat;
            lastChangeNanos = now;
            return true;
        }
        long silent = now - lastChangeNanos;
        if (silent < 2 * intervalNanos) {
            return true;
        }
        if (now - lastProbeNanos >= intervalNanos) {
            lastProbeNanos = now;
            lastVerdict = ProcessIdentity.probe(new ProcessIdentity(region.serverPid(), region.serverStartToken(), region.serverPidNamespace()));
        }
        return switch (lastVerdict) {
            case ALIVE -> true;
            case DEAD -> false;
            case STOPPED, UNKNOWN -> silent < timeoutNanos;
        };
    }

    /** @return true when the server is RUNNING or DRAINING and its process alive: in-flight work will be answered */
    boolean willAnswer(long now) {
        int state = region.serverStateVolatile();
        return (state == RegionDescriptor.SERVER_RUNNING || state == RegionDescriptor.SERVER_DRAINING) && isServerProcessAlive(now);
    }
}
