package io.shmipc.core.internal;

import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.ShmConfig;
import io.shmipc.core.ShmServer;
import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.region.SharedFileChannels;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server's liveness thread. Every liveness interval it beats the heartbeat counter and reclaims
 * slots nobody will ever finish:
 * <ul>
 *   <li>CLAIMED or RESPONSE whose owner's registration lock is free: the client process died;</li>
 *   <li>CLAIMED or RESPONSE naming no valid owner, unchanged for the liveness timeout: no client
 *       makes such a slot (a claim names its owner atomically and a release clears state and owner
 *       together), so only a scribbler did, and no live client can be robbed by freeing it;</li>
 *   <li>PROCESSING or ABANDONED that this server is not serving, unchanged for the liveness timeout;</li>
 *   <li>a state word holding no valid state, unchanged for one interval (someone scribbled on it).</li>
 * </ul>
 * Only slots unchanged since the previous pass are considered, and every reclaim is a compare-and-set
 * from the exact word observed, so a slot that moved on in between is left alone.
 *
 * <p>It also restores the header fields only the server writes (identity, geometry, state, epoch,
 * pid) if another process overwrote them, so that clients connecting later still find a valid region.
 */
public final class Housekeeper implements Runnable {

    private static final System.Logger LOG = System.getLogger(ShmServer.class.getName());

    private final String name;
    private final MappedRegion region;
    private final RegionSignals signals;
    private final SharedFileChannels.SharedChannel channel;
    private final Dispatcher dispatcher;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final int[] lastWord;
    private final long[] unchangedSince;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final RateLimitedLog reclaimLog;
    private final HeaderSnapshot header;
    private final ServerFaults faults;
    private volatile int expectedState = RegionDescriptor.SERVER_RUNNING;
    private long heartbeat;

    public Housekeeper(
            String name,
            MappedRegion region,
            RegionSignals signals,
            SharedFileChannels.SharedChannel channel,
            Dispatcher dispatcher,
            ShmConfig config,
            ServerFaults faults) {
        this.name = name;
        this.faults = faults;
        this.region = region;
        this.signals = signals;
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.intervalNanos = config.livenessInterval().toNanos();
        this.timeoutNanos = config.livenessTimeout().toNanos();
        this.lastWord = new int[region.slotCount()];
        this.unchangedSince = new long[region.slotCount()];
        this.reclaimLog = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));
        this.heartbeat = region.heartbeatVolatile();
        this.header = new HeaderSnapshot(region);
        long now = System.nanoTime();
        for (int slot = 0; slot < lastWord.length; slot++) {
            lastWord[slot] = region.stateWordVolatile(slot);
            unchangedSince[slot] = now;
        }
    }

    @Override
    public void run() {
        try {
            while (!stopped.await(intervalNanos, TimeUnit.NANOSECONDS)) {
                try {
                    // The files first: touching a truncated mapping faults, and a region whose lock is gone
                    // may be served by somebody else.
                    if (!faults.filesIntact()) {
                        return;
                    }
                    beat();
                    reclaim(System.nanoTime());
                } catch (Throwable e) {
                    // No Throwable ends this thread while the server runs: without it clients lose the heartbeat
                    // and dead clients' slots are never reclaimed.
                    faults.threadFailed("housekeeper", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        stopped.countDown();
    }

    /** @param state the server state the housekeeper keeps in the header from now on */
    public void expectState(int state) {
        expectedState = state;
    }

    void beat() {
        region.heartbeatRelease(++heartbeat);
        if (header.restore(region, () -> expectedState)) {
            reclaimLog.warn("shmipc server '" + name + "': restored header fields that another process overwrote");
        }
    }

    void reclaim(long now) {
        for (int slot = 0; slot < lastWord.length; slot++) {
            int word = region.stateWordVolatile(slot);
            if (word != lastWord[slot]) {
                lastWord[slot] = word;
                unchangedSince[slot] = now;
                continue;
            }
            long unchanged = now - unchangedSince[slot];
            int state = state(word);
            switch (state) {
                case CLAIMED, RESPONSE -> {
                    // Owner and word from one 64-bit read, so the owner is the one that claimed this word.
                    long owned = region.ownedStateVolatile(slot);
                    if (wordOf(owned) != word) {
                        continue;
                    }
                    int owner = ownerOf(owned);
                    // A live owner keeps its slot however long it stalls (GC pause, SIGSTOP, frozen cgroup):
                    // only its registration lock, which the OS drops when it dies, says it is gone.
                    boolean ownerGone = SharedFileChannels.isRegistrationIndex(owner)
                            ? !channel.isRegistrationHeld(owner)
                            : unchanged >= timeoutNanos;
                    if (ownerGone) {
                        free(slot, word, "its client process is gone");
                    }
                }
                case PROCESSING -> {
                    if (unchanged >= timeoutNanos && !dispatcher.isServing(slot)) {
                        region.intField(slot, STATUS_OFFSET, STATUS_PROTOCOL_ERROR);
                        region.intField(slot, PAYLOAD_LENGTH_OFFSET, 0);
                        if (region.casStateWord(slot, word, withState(word, RESPONSE))) {
                            reclaimLog.warn(
                                    "shmipc server '" + name + "': slot " + slot
                                            + " was PROCESSING but no server thread serves it; failed it with a protocol error");
                            signals.wakeClientIfWaiting(slot);
                        }
                    }
                }
                case ABANDONED -> {
                    if (unchanged >= timeoutNanos && !dispatcher.isServing(slot)) {
                        free(slot, word, "it was abandoned and nobody serves it");
                    }
                }
                case FREE, REQUEST -> {
                    // FREE needs nothing; REQUEST is the dispatcher's.
                }
                default -> free(slot, word, "its state word holds " + stateName(state));
            }
        }
    }

    private void free(int slot, int word, String why) {
        if (SlotOwnership.free(region, slot, word)) {
            reclaimLog.warn("shmipc server '" + name + "': reclaimed slot " + slot + " (" + stateName(state(word))
                    + ") because " + why);
            lastWord[slot] = withState(word, FREE);
            signals.slotFreed();
        }
    }
}
