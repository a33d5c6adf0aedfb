package io.shmipc.core.internal.region;

import static io.shmipc.core.internal.layout.RegionDescriptor.*;
import static io.shmipc.core.internal.layout.SlotDescriptor.*;

import io.shmipc.core.internal.layout.RegionDescriptor;
import io.shmipc.core.internal.layout.SlotDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Typed access to a mapped region, in the style of Agrona's {@code AtomicBuffer}: every method names
 * the field it touches and the memory ordering it uses.
 *
 * <p>Geometry is read from the header once, validated against the file size by {@link RegionMapper},
 * and kept in final fields. It is never read from shared memory again, so a process scribbling
 * over the header cannot make this process index outside the mapping. Every other access is
 * bounds-checked by {@link MemorySegment} as well.
 *
 * <p>Ordering vocabulary: "volatile" is sequentially consistent (a full fence between a volatile
 * store and a later volatile load), which the Dekker-style flag/word pairs require;
 * "plain" is used only for fields whose publication is ordered by a later volatile store or
 * compare-and-set of the slot's state word and read after a volatile load of it.
 */
public final class MappedRegion {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment segment;
    private final Arena arena;
    private final int slotCount;
    private final int slotCapacity;
    private final long slotStride;

    MappedRegion(MemorySegment segment, Arena arena, int slotCount, int slotCapacity) {
        this.segment = segment;
        this.arena = arena;
        this.slotCount = slotCount;
        this.slotCapacity = slotCapacity;
        this.slotStride = RegionDescriptor.slotStride(slotCapacity);
    }

    /** @return the whole mapping */
    public MemorySegment segment() {
        return segment;
    }

    /** @return slots in this region */
    public int slotCount() {
        return slotCount;
    }

    /** @return payload bytes per slot */
    public int slotCapacity() {
        return slotCapacity;
    }

    /** Unmaps. Callers must first make sure no thread of theirs still uses the region. */
    public void unmap() {
        arena.close();
    }

    // ---------------------------------------------------------------- header

    public int serverStateVolatile() {
        return (int) INT.getVolatile(segment, (long) SERVER_STATE_OFFSET);
    }

    public void serverStateVolatile(int state) {
        INT.setVolatile(segment, (long) SERVER_STATE_OFFSET, state);
    }

    /** Volatile compare-and-set of the server state, so a restore never overwrites a newer state. */
    public boolean casServerState(int expected, int next) {
        return INT.compareAndSet(segment, (long) SERVER_STATE_OFFSET, expected, next);
    }

    public long epochVolatile() {
        return (long) LONG.getVolatile(segment, (long) RegionDescriptor.EPOCH_OFFSET);
    }

    public void epochVolatile(long epoch) {
        LONG.setVolatile(segment, (long) RegionDescriptor.EPOCH_OFFSET, epoch);
    }

    public long serverPid() {
        return (long) LONG.getVolatile(segment, (long) SERVER_PID_OFFSET);
    }

    public long serverStartToken() {
        return (long) LONG.getVolatile(segment, (long) SERVER_START_TOKEN_OFFSET);
    }

    public long serverPidNamespace() {
        return (long) LONG.getVolatile(segment, (long) SERVER_PID_NAMESPACE_OFFSET);
    }

    public long serverLivenessIntervalNanos() {
        return (long) LONG.getVolatile(segment, (long) SERVER_LIVENESS_INTERVAL_OFFSET);
    }

    /** Written before the state is set to RUNNING, whose volatile store publishes them. */
    public void serverIdentity(long pid, long startToken, long pidNamespace, long livenessIntervalNanos) {
        segment.set(ValueLayout.JAVA_LONG, SERVER_PID_OFFSET, pid);
        segment.set(ValueLayout.JAVA_LONG, SERVER_START_TOKEN_OFFSET, startToken);
        segment.set(ValueLayout.JAVA_LONG, SERVER_PID_NAMESPACE_OFFSET, pidNamespace);
        segment.set(ValueLayout.JAVA_LONG, SERVER_LIVENESS_INTERVAL_OFFSET, livenessIntervalNanos);
    }

    public long heartbeatVolatile() {
        return (long) LONG.getVolatile(segment, (long) HEARTBEAT_OFFSET);
    }

    /** Release suffices: readers only need to see it change, not order anything against it. */
    public void heartbeatRelease(long value) {
        LONG.setRelease(segment, (long) HEARTBEAT_OFFSET, value);
    }

    public int doorbellVolatile() {
        return (int) INT.getVolatile(segment, (long) DOORBELL_OFFSET);
    }

    /** A full-fence read-modify-write: the client's store half of the doorbell/sleeping Dekker pair. */
    public void ringDoorbell() {
        INT.getAndAdd(segment, (long) DOORBELL_OFFSET, 1);
    }

    public long doorbellAddressOffset() {
        return DOORBELL_OFFSET;
    }

    public int serverSleepingVolatile() {
        return (int) INT.getVolatile(segment, (long) SERVER_SLEEPING_OFFSET);
    }

    public void serverSleepingVolatile(int flag) {
        INT.setVolatile(segment, (long) SERVER_SLEEPING_OFFSET, flag);
    }

    public int freeSequenceVolatile() {
        return (int) INT.getVolatile(segment, (long) FREE_SEQUENCE_OFFSET);
    }

    /** Full-fence increment: orders the FREE store before the waiter-count load that follows it. */
    public void advanceFreeSequence() {
        INT.getAndAdd(segment, (long) FREE_SEQUENCE_OFFSET, 1);
    }

    public int freeWaitersVolatile() {
        return (int) INT.getVolatile(segment, (long) FREE_WAITERS_OFFSET);
    }

    /** Full-fence add: the waiter's store half of the free-sequence Dekker pair. */
    public void addFreeWaiters(int delta) {
        INT.getAndAdd(segment, (long) FREE_WAITERS_OFFSET, delta);
    }

    public void freeWaitersVolatile(int value) {
        INT.setVolatile(segment, (long) FREE_WAITERS_OFFSET, value);
    }

    // ---------------------------------------------------------------- reply doorbells

    public int replyDoorbellVolatile(int doorbell) {
        return (int) INT.getVolatile(segment, replyDoorbellWordOffset(doorbell));
    }

    /**
     * A full-fence read-modify-write: the server's store half of the doorbell/sleeping Dekker pair
     * with the client's waiter thread (see {@code ReplyWaiter}).
     */
    public void ringReplyDoorbell(int doorbell) {
        INT.getAndAdd(segment, replyDoorbellWordOffset(doorbell), 1);
    }

    /** @return the offset of a reply doorbell's futex word */
    public long replyDoorbellWordOffset(int doorbell) {
        return replyDoorbellLine(doorbell) + REPLY_DOORBELL_WORD;
    }

    public int replyWaiterSleepingVolatile(int doorbell) {
        return (int) INT.getVolatile(segment, replyDoorbellLine(doorbell) + REPLY_DOORBELL_SLEEPING);
    }

    public void replyWaiterSleepingVolatile(int doorbell, int flag) {
        INT.setVolatile(segment, replyDoorbellLine(doorbell) + REPLY_DOORBELL_SLEEPING, flag);
    }

    public int replyDoorbellOwnerVolatile(int doorbell) {
        return (int) INT.getVolatile(segment, replyDoorbellLine(doorbell) + REPLY_DOORBELL_OWNER);
    }

    /** Volatile compare-and-set of a reply doorbell's owner word: how a client takes or gives back a line. */
    public boolean casReplyDoorbellOwner(int doorbell, int expected, int next) {
        return INT.compareAndSet(segment, replyDoorbellLine(doorbell) + REPLY_DOORBELL_OWNER, expected, next);
    }

    public void replyDoorbellOwnerPid(int doorbell, long pid) {
        LONG.setVolatile(segment, replyDoorbellLine(doorbell) + REPLY_DOORBELL_OWNER_PID, pid);
    }

    private static long replyDoorbellLine(int doorbell) {
        if (doorbell < 0 || doorbell >= REPLY_DOORBELL_COUNT) {
            throw new IndexOutOfBoundsException("reply doorbell " + doorbell + " of " + REPLY_DOORBELL_COUNT);
        }
        return RegionDescriptor.replyDoorbellOffset(doorbell);
    }

    // ---------------------------------------------------------------- slots

    /**
     * @param slot a slot index, which callers take from their own loops, never from shared memory
     * @return the byte offset of the slot in the region
     */
    public long slotOffset(int slot) {
        if (slot < 0 || slot >= slotCount) {
            throw new IndexOutOfBoundsException("slot " + slot + " of " + slotCount);
        }
        return HEADER_SIZE + slot * slotStride;
    }

    public int stateWordVolatile(int slot) {
        return (int) INT.getVolatile(segment, slotOffset(slot) + STATE_WORD_OFFSET);
    }

    public void stateWordVolatile(int slot, int word) {
        INT.setVolatile(segment, slotOffset(slot) + STATE_WORD_OFFSET, word);
    }

    /** Volatile compare-and-set: publishes every plain write made before it, acquires those of the last writer. */
    public boolean casStateWord(int slot, int expected, int next) {
        return INT.compareAndSet(segment, slotOffset(slot) + STATE_WORD_OFFSET, expected, next);
    }

    /**
     * Volatile 64-bit read of the owned state (state word and owner index, see
     * {@link SlotDescriptor#OWNED_STATE_OFFSET}): both halves from one instant.
     */
    public long ownedStateVolatile(int slot) {
        return (long) LONG.getVolatile(segment, slotOffset(slot) + OWNED_STATE_OFFSET);
    }

    /**
     * Volatile 64-bit compare-and-set of the owned state: changes the state word and the owner in one
     * atomic step. It overlaps the 32-bit state word that {@link #casStateWord} and the futex calls use.
     * Why mixing the two sizes is sound here: both are single-copy-atomic read-modify-writes of naturally
     * aligned locations within one cache line ({@code lock cmpxchg} on x86-64, {@code casal} or an
     * exclusive pair on aarch64), which the cache-coherence protocol orders totally; a 32-bit CAS
     * leaves the owner half untouched, and each sees the other's full effect or none. Both are
     * sequentially consistent, like every other state-word access.
     */
    public boolean casOwnedState(int slot, long expected, long next) {
        return LONG.compareAndSet(segment, slotOffset(slot) + OWNED_STATE_OFFSET, expected, next);
    }

    /** @return the offset of a slot's state word, for futex calls */
    public long stateWordOffset(int slot) {
        return slotOffset(slot) + STATE_WORD_OFFSET;
    }

    public int clientWaitingVolatile(int slot) {
        return (int) INT.getVolatile(segment, slotOffset(slot) + CLIENT_WAITING_OFFSET);
    }

    public void clientWaitingVolatile(int slot, int flag) {
        INT.setVolatile(segment, slotOffset(slot) + CLIENT_WAITING_OFFSET, flag);
    }

    public int intField(int slot, int fieldOffset) {
        return segment.get(ValueLayout.JAVA_INT, slotOffset(slot) + fieldOffset);
    }

    public void intField(int slot, int fieldOffset, int value) {
        segment.set(ValueLayout.JAVA_INT, slotOffset(slot) + fieldOffset, value);
    }

    public long longField(int slot, int fieldOffset) {
        return segment.get(ValueLayout.JAVA_LONG, slotOffset(slot) + fieldOffset);
    }

    public void longField(int slot, int fieldOffset, long value) {
        segment.set(ValueLayout.JAVA_LONG, slotOffset(slot) + fieldOffset, value);
    }

    /** @return the slot's route area, {@link SlotDescriptor#ROUTE_CAPACITY} bytes */
    public MemorySegment routeArea(int slot) {
        return segment.asSlice(slotOffset(slot) + ROUTE_OFFSET, ROUTE_CAPACITY);
    }

    /** @return the slot's headers area, {@link SlotDescriptor#HEADERS_CAPACITY} bytes */
    public MemorySegment headersArea(int slot) {
        return segment.asSlice(slotOffset(slot) + HEADERS_OFFSET, HEADERS_CAPACITY);
    }

    /** @return the slot's whole payload area, {@link #slotCapacity()} bytes */
    public MemorySegment payloadArea(int slot) {
        return segment.asSlice(slotOffset(slot) + PAYLOAD_OFFSET, slotCapacity);
    }

    /** @return slots whose state is not FREE, by a racy scan */
    public int slotsInUse() {
        int inUse = 0;
        for (int i = 0; i < slotCount; i++) {
            if (state(stateWordVolatile(i)) != FREE) {
                inUse++;
            }
        }
        return inUse;
    }
}
