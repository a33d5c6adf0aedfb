package io.shmipc.core;

/**
 * A request or reply does not fit in a slot. Requests are refused before anything is written to
 * shared memory. The message names the size, the capacity and the setting that raises it.
 */
public class ShmPayloadTooLargeException extends ShmException {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long capacity;

    /**
     * @param what "request" or "reply"
     * @param size the payload size in bytes
     * @param capacity the slot capacity in bytes
     */
    public ShmPayloadTooLargeException(String what, long size, long capacity) {
        super(what + " of " + size + " bytes exceeds the slot capacity of " + capacity
                + " bytes; raise shmipc.server.slot-size (ShmConfig.slotCapacity) on the server");
        this.size = size;
        this.capacity = capacity;
    }

    /**
     * For a limit other than the slot capacity, such as a remote transport's message size.
     *
     * @param what what was refused, e.g. "request to host:9090"
     * @param size the payload size in bytes
     * @param limit the limit in bytes
     * @param limitName what the limit is and the setting that raises it
     */
    public ShmPayloadTooLargeException(String what, long size, long limit, String limitName) {
        super(what + " of " + size + " bytes exceeds " + limitName + " of " + limit + " bytes");
        this.size = size;
        this.capacity = limit;
    }

    /** @return the payload size in bytes */
    public long getSize() {
        return size;
    }

    /** @return the slot capacity in bytes */
    public long getCapacity() {
        return capacity;
    }
}
