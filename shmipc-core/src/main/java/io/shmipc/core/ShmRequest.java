package io.shmipc.core;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A request as the server sees it, backed by the slot in shared memory. Valid only during
 * {@link ShmRequestHandler#handle}; copy what must outlive the call.
 */
public interface ShmRequest {

    /** @return the route the client called */
    String route();

    /** @return payload length in bytes */
    int size();

    /** @return a read-only view of the payload in the slot; no copy */
    MemorySegment payload();

    /** @return a read-only {@link ByteBuffer} view of the payload; no copy */
    ByteBuffer payloadBuffer();

    /** @return a copy of the payload */
    byte[] payloadBytes();

    /** @return small string headers the client attached (e.g. trace context); empty if none */
    Map<String, String> headers();

    /** @return the client's request id, unique per client process */
    long requestId();

    /** @return the client's process id as the client saw it */
    long clientPid();

    /** @return when the client gives up, in epoch milliseconds; 0 when unknown */
    long deadlineEpochMillis();
}
