package io.shmipc.core.internal.layout;

/**
 * Byte layout of one slot, its state machine and its status codes.
 *
 * <p>The first cache line is the hand-off line: the slot's owner of the moment (client, then server,
 * then client) writes it, and ownership passes through the state word, so the line moves between
 * the two processes once per hand-off and is never written by both at once.
 * <pre>
 *   0 int   state word: (sequence &lt;&lt; 8) | state; also the futex word the client sleeps on
 *   4 int   owner registration index (-1 when none); with the state word it forms the owned-state pair
 *   8 int   client-waiting word (the Dekker partner of the state word): 0 nobody sleeps,
 *           1 the client thread sleeps on the state word, 2 + d the client's waiter thread
 *           sleeps on reply doorbell d (see {@link RegionDescriptor#REPLY_DOORBELLS_OFFSET})
 *  12 int   route length
 *  16 long  request id
 *  24 long  owner pid
 *  32 long  server epoch seen at submission
 *  40 long  deadline, wall-clock epoch milliseconds (0 = none)
 *  48 int   status (reply)
 *  52 int   payload length (request, then reply)
 *  56 int   headers length
 *  60 int   timeout in milliseconds, counted from submission (0 = unknown): deadline minus it is when
 *           the request was written, which tools show as the slot's age
 *  64       route bytes, UTF-8, {@link #ROUTE_CAPACITY}
 * 192       headers, {@link #HEADERS_CAPACITY}
 * 512       payload, slot capacity bytes
 * </pre>
 * The sequence in the state word goes up by one at every claim, so a compare-and-set made by a
 * party holding an old view of the slot fails instead of acting on a slot that was recycled.
 *
 * <p>The state word and the owner index are adjacent and 8-byte aligned: read as one little-endian
 * 64-bit value (the <em>owned state</em>) the state word is the low half and the owner the high half.
 * A claim sets both in one 64-bit compare-and-set and every transition to FREE clears both in one,
 * so no process ever sees a CLAIMED slot without its owner (layout version 2; in version 1 the owner
 * was written after the claim, and a client stalled in between could be robbed of its slot).
 */
public final class SlotDescriptor {

    public static final int STATE_WORD_OFFSET = 0;
    /** The 64-bit owned state: state word (low half) and owner index (high half). */
    public static final int OWNED_STATE_OFFSET = 0;

    public static final int OWNER_INDEX_OFFSET = 4;
    public static final int CLIENT_WAITING_OFFSET = 8;
    public static final int ROUTE_LENGTH_OFFSET = 12;
    public static final int REQUEST_ID_OFFSET = 16;
    public static final int OWNER_PID_OFFSET = 24;
    public static final int EPOCH_OFFSET = 32;
    public static final int DEADLINE_OFFSET = 40;
    public static final int STATUS_OFFSET = 48;
    public static final int PAYLOAD_LENGTH_OFFSET = 52;
    public static final int HEADERS_LENGTH_OFFSET = 56;
    /**
     * The request's timeout in milliseconds, counted from when the client wrote it, so that {@code deadline -
     * timeout} is the submission time; {@link #TIMEOUT_UNKNOWN} when the client did not write one.
     */
    public static final int TIMEOUT_MILLIS_OFFSET = 60;

    public static final int ROUTE_OFFSET = 64;
    public static final int ROUTE_CAPACITY = 128;
    public static final int HEADERS_OFFSET = 192;
    public static final int HEADERS_CAPACITY = 320;
    public static final int PAYLOAD_OFFSET = 512;
    /** Bytes before the payload. */
    public static final int SLOT_HEADER_SIZE = PAYLOAD_OFFSET;

    /** Client-waiting word: nobody sleeps; a RESPONSE needs no wake-up. */
    public static final int NOT_WAITING = 0;
    /** Client-waiting word: the client thread sleeps on the state word; wake it there. */
    public static final int WAITING_ON_STATE_WORD = 1;
    /** Client-waiting word: this plus d means the client's waiter thread sleeps on reply doorbell d. */
    public static final int WAITING_ON_REPLY_DOORBELL = 2;

    /**
     * Timeout field: unknown (clients written before the field was defined never write it; a timeout longer
     * than the field holds is written as this too).
     */
    public static final int TIMEOUT_UNKNOWN = 0;

    /** No owner; set before a slot is freed. */
    public static final int NO_OWNER = -1;

    // states, the low 8 bits of the state word
    public static final int FREE = 0;
    public static final int CLAIMED = 1;
    public static final int REQUEST = 2;
    public static final int PROCESSING = 3;
    public static final int RESPONSE = 4;
    public static final int ABANDONED = 5;

    // statuses of a reply
    public static final int STATUS_OK = 0;
    /**
     * Payload: UTF-8 "exception class name\nmessage". The headers field then holds the reply's headers
     * (length 0 when none), e.g. {@link #ERROR_CODE_HEADER}.
     */
    public static final int STATUS_HANDLER_ERROR = 1;

    /** Reply header of a {@link #STATUS_HANDLER_ERROR} reply carrying the application's error code. */
    public static final String ERROR_CODE_HEADER = "shmipc-error-code";

    public static final int STATUS_NO_HANDLER = 2;
    /** Payload: UTF-8 text saying what was invalid. */
    public static final int STATUS_PROTOCOL_ERROR = 3;

    public static final int STATUS_SERVER_RESTARTED = 4;
    public static final int STATUS_SERVER_CLOSING = 5;
    /** Payload: the attempted reply size as a little-endian long. */
    public static final int STATUS_REPLY_TOO_LARGE = 6;

    private static final int STATE_MASK = 0xFF;
    private static final int SEQUENCE_SHIFT = 8;

    private SlotDescriptor() {}

    /**
     * @param word a state word
     * @return its state
     */
    public static int state(int word) {
        return word & STATE_MASK;
    }

    /**
     * @param word a state word
     * @return its sequence (24 bits, wrapping)
     */
    public static int sequence(int word) {
        return word >>> SEQUENCE_SHIFT;
    }

    /**
     * @param sequence the claim sequence
     * @param state the state
     * @return the state word
     */
    public static int word(int sequence, int state) {
        return (sequence << SEQUENCE_SHIFT) | state;
    }

    /**
     * @param word a state word
     * @return the same slot in {@code state}, same sequence
     */
    public static int withState(int word, int state) {
        return (word & ~STATE_MASK) | state;
    }

    /**
     * @param word a FREE state word
     * @return the CLAIMED word of the next claim
     */
    public static int nextClaim(int word) {
        return word(sequence(word) + 1, CLAIMED);
    }

    /**
     * @param word a state word
     * @param owner a registration index, or {@link #NO_OWNER}
     * @return the owned state holding both
     */
    public static long ownedState(int word, int owner) {
        return ((long) owner << 32) | (word & 0xFFFF_FFFFL);
    }

    /**
     * @param ownedState an owned state
     * @return its state word
     */
    public static int wordOf(long ownedState) {
        return (int) ownedState;
    }

    /**
     * @param ownedState an owned state
     * @return its owner index
     */
    public static int ownerOf(long ownedState) {
        return (int) (ownedState >>> 32);
    }

    /**
     * @param waiting a client-waiting word
     * @return the reply doorbell it names, or -1 when it names none (any value outside the table
     *         counts as a thread sleeping on the state word, so a scribbled value costs a syscall, never a lost wake-up)
     */
    public static int replyDoorbell(int waiting) {
        int doorbell = waiting - WAITING_ON_REPLY_DOORBELL;
        return doorbell >= 0 && doorbell < RegionDescriptor.REPLY_DOORBELL_COUNT ? doorbell : -1;
    }

    /**
     * @param state a state
     * @return true for a state this protocol defines
     */
    public static boolean isValidState(int state) {
        return state >= FREE && state <= ABANDONED;
    }

    /**
     * @param state a state
     * @return its name
     */
    public static String stateName(int state) {
        return switch (state) {
            case FREE -> "FREE";
            case CLAIMED -> "CLAIMED";
            case REQUEST -> "REQUEST";
            case PROCESSING -> "PROCESSING";
            case RESPONSE -> "RESPONSE";
            case ABANDONED -> "ABANDONED";
            default -> "INVALID(" + state + ")";
        };
    }
}
