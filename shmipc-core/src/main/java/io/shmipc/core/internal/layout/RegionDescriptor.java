package io.shmipc.core.internal.layout;

/**
 * Byte layout of the region header: every offset and size, in one place. Little-endian, native
 * alignment. The header is {@link #HEADER_SIZE} bytes, followed by {@code slotCount} slots of
 * {@code slotStride} bytes each (see {@link SlotDescriptor}).
 *
 * <p>Fields written by different parties sit on different 64-byte cache lines, so that a client
 * ringing the doorbell does not invalidate the line the server writes its heartbeat on, and so on:
 * <pre>
 * line 0 (  0) identity, written once before the region is published by rename
 * line 1 ( 64) server status: state, epoch, pid, start token, pid namespace, heartbeat period (server)
 * line 2 (128) heartbeat counter (server housekeeping thread)
 * line 3 (192) doorbell futex word (clients)
 * line 4 (256) server-sleeping flag (server dispatch thread)
 * line 5 (320) free-slot futex word and free-slot waiter count (clients)
 * line 6-7     reserved
 * line 8-71    reply doorbells: {@value #REPLY_DOORBELL_COUNT} lines, one per client process that
 *              parks its waiting threads (doorbell word: servers; sleeping flag and owner: that client)
 * </pre>
 * docs/PROTOCOL.md is the normative description; keep the two in step.
 */
public final class RegionDescriptor {

    /** Cache line size the layout pads to. */
    public static final int CACHE_LINE = 64;

    /** "SHMIPC\0\1" read as a little-endian long. */
    public static final long MAGIC = 0x0100_4350_494D_4853L;
    /**
     * Bumped whenever any offset, size or state meaning changes. 2: the owner index moved next to the
     * state word (slot offset 4, client-waiting word to 8) and is claimed and cleared with it in one
     * 64-bit compare-and-set; the header grew to hold the reply doorbells, and the client-waiting word
     * may name one.
     */
    public static final int LAYOUT_VERSION = 2;

    // line 0: identity (immutable once published)
    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int SLOT_COUNT_OFFSET = 12;
    public static final int SLOT_CAPACITY_OFFSET = 16;
    public static final int SLOT_STRIDE_OFFSET = 20;
    public static final int HEADER_SIZE_OFFSET = 24;
    public static final int REGION_SIZE_OFFSET = 32;

    // line 1: server status
    public static final int SERVER_STATE_OFFSET = 64;
    public static final int EPOCH_OFFSET = 72;
    public static final int SERVER_PID_OFFSET = 80;
    public static final int SERVER_START_TOKEN_OFFSET = 88;
    public static final int SERVER_PID_NAMESPACE_OFFSET = 96;
    /** The server's heartbeat period in nanoseconds, so clients never judge silence by a shorter one. */
    public static final int SERVER_LIVENESS_INTERVAL_OFFSET = 104;

    // line 2: heartbeat
    public static final int HEARTBEAT_OFFSET = 128;

    // line 3: doorbell (futex word the server sleeps on)
    public static final int DOORBELL_OFFSET = 192;

    // line 4: server-sleeping flag (the Dekker partner of the doorbell)
    public static final int SERVER_SLEEPING_OFFSET = 256;

    // line 5: free-slot futex word and waiter count
    public static final int FREE_SEQUENCE_OFFSET = 320;
    public static final int FREE_WAITERS_OFFSET = 324;

    // lines 8-71: reply doorbells. A client process that parks its waiting threads instead of
    // sleeping each in the kernel owns one line; its single waiter thread sleeps on the line's
    // doorbell word, which a server rings after a RESPONSE whose slot names this doorbell.
    public static final int REPLY_DOORBELLS_OFFSET = 512;
    /** Reply doorbell lines; a client process that finds none free waits the old way (futex per thread). */
    public static final int REPLY_DOORBELL_COUNT = 64;
    /** Within a reply doorbell line: the futex word, incremented by servers (SC fetch-and-add). */
    public static final int REPLY_DOORBELL_WORD = 0;
    /** Within a reply doorbell line: 1 while the owner's waiter thread is about to sleep or sleeps. */
    public static final int REPLY_DOORBELL_SLEEPING = 4;
    /** Within a reply doorbell line: owner's registration index + 1; 0 when the line is free. */
    public static final int REPLY_DOORBELL_OWNER = 8;
    /** Within a reply doorbell line: owner's pid, informational. */
    public static final int REPLY_DOORBELL_OWNER_PID = 16;

    /** Bytes before slot 0. */
    public static final int HEADER_SIZE = REPLY_DOORBELLS_OFFSET + REPLY_DOORBELL_COUNT * CACHE_LINE;

    /** Server state: a server is serving. */
    public static final int SERVER_RUNNING = 1;
    /** Server state: closing; in-flight requests finish, new ones are refused. */
    public static final int SERVER_DRAINING = 2;
    /** Server state: closed; the file is about to be deleted or replaced. Clients reconnect. */
    public static final int SERVER_CLOSED = 3;

    private RegionDescriptor() {}

    /**
     * @param doorbell a reply doorbell index, 0 to {@link #REPLY_DOORBELL_COUNT} - 1
     * @return the byte offset of its line in the region
     */
    public static long replyDoorbellOffset(int doorbell) {
        return REPLY_DOORBELLS_OFFSET + (long) doorbell * CACHE_LINE;
    }

    /**
     * @param slotCapacity payload bytes per slot
     * @return bytes from one slot's start to the next: slot header plus capacity, rounded up to a cache line
     */
    public static long slotStride(int slotCapacity) {
        return align((long) SlotDescriptor.SLOT_HEADER_SIZE + slotCapacity, CACHE_LINE);
    }

    /**
     * @param slotCount slots
     * @param slotCapacity payload bytes per slot
     * @return the whole region's size in bytes
     */
    public static long regionSize(int slotCount, int slotCapacity) {
        return HEADER_SIZE + slotCount * slotStride(slotCapacity);
    }

    /**
     * @param serverState a server state word
     * @return its name, or UNKNOWN(n) for a value the protocol does not define
     */
    public static String serverStateName(int serverState) {
        return switch (serverState) {
            case SERVER_RUNNING -> "RUNNING";
            case SERVER_DRAINING -> "DRAINING";
            case SERVER_CLOSED -> "CLOSED";
            default -> "UNKNOWN(" + serverState + ")";
        };
    }

    private static long align(long value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
