package io.shmipc.core.internal;

import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntSupplier;

/**
 * The server-owned header lines (identity and server status) as the server wrote them, so that the
 * housekeeper can put them back if another process scribbles over them. The heartbeat, doorbell
 * and free-slot words are left alone: they are written by others too, and garbage in them costs at
 * most one wait slice.
 */
public final class HeaderSnapshot {

    private static final int LINE = RegionDescriptor.CACHE_LINE;

    private final byte[] identity;
    private final long epoch;
    private final long pid;
    private final long startToken;
    private final long pidNamespace;
    private final long livenessInterval;

    HeaderSnapshot(MappedRegion region) {
        this.identity = region.segment().asSlice(0, LINE).toArray(ValueLayout.JAVA_BYTE);
        this.epoch = region.epochVolatile();
        this.pid = region.serverPid();
        this.startToken = region.serverStartToken();
        this.pidNamespace = region.serverPidNamespace();
        this.livenessInterval = region.serverLivenessIntervalNanos();
    }

    /**
     * @param expectedState reads the state the server is in; called after the region's state is read
     * @return true when something had to be restored
     */
    boolean restore(MappedRegion region, IntSupplier expectedState) {
        boolean restored = false;
        MemorySegment line0 = region.segment().asSlice(0, LINE);
        if (MemorySegment.ofArray(identity).mismatch(line0) != -1) {
            MemorySegment.copy(MemorySegment.ofArray(identity), 0, line0, 0, LINE);
            restored = true;
        }
        if (region.serverPid() != pid
                || region.serverStartToken() != startToken
                || region.serverPidNamespace() != pidNamespace
                || region.serverLivenessIntervalNanos() != livenessInterval) {
            region.serverIdentity(pid, startToken, pidNamespace, livenessInterval);
            restored = true;
        }
        if (region.epochVolatile() != epoch) {
            region.epochVolatile(epoch);
            restored = true;
        }
        // Order matters: close() publishes the expected state (volatile) before it stores DRAINING in the
        // region (volatile); here the region's state is read first, then the expected one, both volatile.
        // Seeing DRAINING in the region therefore implies reading DRAINING as expected: no write. Reading
        // an older state first makes the CAS fail if close() stored DRAINING in between. So a pass that
        // raced with close() can never put RUNNING back (it used to, with the expected state read first
        // and a plain store, and new calls were accepted for an interval after close() began).
        int observed = region.serverStateVolatile();
        int expected = expectedState.getAsInt();
        if (observed != expected && region.casServerState(observed, expected)) {
            restored = true;
        }
        return restored;
    }
}
