package io.shmipc.core.internal;

import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.layout.SlotDescriptor;
import io.shmipc.core.internal.region.MappedRegion;
import io.shmipc.core.internal.signal.Futex;

/**
 * The waker halves of the region's three Dekker pairs. In each pair the waker publishes its change
 * with a volatile store or read-modify-write, then reads the sleeper's flag with a volatile load;
 * the sleeper sets its flag with a volatile store, then re-reads the word with a volatile load.
 * Volatile accesses are sequentially consistent, so at least one side sees the other: either the
 * sleeper sees the change and does not sleep, or the waker sees the flag and calls FUTEX_WAKE.
 * (Release/acquire would allow both loads to miss both stores.) The futex syscall itself re-checks
 * the word atomically, which closes the gap between the sleeper's re-read and its sleep.
 *
 * <p>When nobody sleeps, no syscall is made: the fast path is plain shared-memory traffic.
 */
public final class RegionSignals {

    private final MappedRegion region;
    private final Futex futex;

    public RegionSignals(MappedRegion region, Futex futex) {
        this.region = region;
        this.futex = futex;
    }

    /** Client: announce a published request; wake the server only if it sleeps. */
    void ringDoorbell() {
        region.ringDoorbell();
        if (region.serverSleepingVolatile() != 0) {
            futex.wake(region.segment(), RegionDescriptor.DOORBELL_OFFSET, 1);
        }
    }

    /**
     * Server: the slot's state word changed to RESPONSE; wake its client only if it sleeps. The
     * client-waiting word says how: a client thread asleep on the state word is woken there; a
     * client whose threads park behind a per-process waiter names that process's reply doorbell,
     * which is rung and, only if the waiter thread sleeps, woken. The ring is the store half of a
     * second Dekker pair with {@code ReplyWaiter}: a full-fence increment, then a volatile load of the
     * waiter's sleeping flag; so a busy waiter thread costs the server no syscall at all.
     */
    public void wakeClientIfWaiting(int slot) {
        int waiting = region.clientWaitingVolatile(slot);
        if (waiting == SlotDescriptor.NOT_WAITING) {
            return;
        }
        int doorbell = SlotDescriptor.replyDoorbell(waiting);
        if (doorbell < 0) {
            futex.wake(region.segment(), region.stateWordOffset(slot), Integer.MAX_VALUE);
        } else {
            ringReplyDoorbell(doorbell);
        }
    }

    /** Rings a client process's reply doorbell and wakes its waiter thread if it sleeps. */
    void ringReplyDoorbell(int doorbell) {
        region.ringReplyDoorbell(doorbell);
        if (region.replyWaiterSleepingVolatile(doorbell) != 0) {
            futex.wake(region.segment(), region.replyDoorbellWordOffset(doorbell), 1);
        }
    }

    /**
     * Anyone who freed a slot (with a CAS, which is the store half of this pair): let clients waiting
     * for a free slot re-scan. With no waiter counted, nothing is written: the common case costs one
     * load of a line nobody writes, not a read-modify-write on a line every client shares. A waiter
     * counts itself before its last scan, so it either sees the slot or is counted here.
     */
    void slotFreed() {
        // Any non-zero count wakes: a count left high by a killed client costs a syscall, not a lost wake-up.
        if (region.freeWaitersVolatile() != 0) {
            region.advanceFreeSequence();
            futex.wake(region.segment(), RegionDescriptor.FREE_SEQUENCE_OFFSET, Integer.MAX_VALUE);
        }
    }

    /** Server shutdown and takeover: wake every sleeper on every word, flags or not. */
    public void wakeEveryone() {
        futex.wake(region.segment(), RegionDescriptor.DOORBELL_OFFSET, Integer.MAX_VALUE);
        region.advanceFreeSequence();
        futex.wake(region.segment(), RegionDescriptor.FREE_SEQUENCE_OFFSET, Integer.MAX_VALUE);
        for (int slot = 0; slot < region.slotCount(); slot++) {
            futex.wake(region.segment(), region.stateWordOffset(slot), Integer.MAX_VALUE);
        }
        for (int doorbell = 0; doorbell < RegionDescriptor.REPLY_DOORBELL_COUNT; doorbell++) {
            if (region.replyDoorbellOwnerVolatile(doorbell) != 0) {
                region.ringReplyDoorbell(doorbell);
                futex.wake(region.segment(), region.replyDoorbellWordOffset(doorbell), Integer.MAX_VALUE);
            }
        }
    }

    Futex futex() {
        return futex;
    }
}
