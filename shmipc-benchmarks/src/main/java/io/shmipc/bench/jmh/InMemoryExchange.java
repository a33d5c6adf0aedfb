package io.shmipc.bench.jmh;

import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmRequest;
import io.shmipc.core.ShmResponse;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A request and its response over one off-heap buffer, as the engine hands them to a handler, so that
 * dispatch and codec costs can be measured without a server thread or a second process.
 */
final class InMemoryExchange implements ShmRequest, ShmResponse {

    private final String route;
    private final MemorySegment slot;
    private final byte[] request;
    private int size;

    InMemoryExchange(String route, byte[] request, int capacity, Arena arena) {
        this.route = route;
        this.request = request;
        this.slot = arena.allocate(capacity, 64);
    }

    /** Puts the request back in the slot, as a client would before each call. */
    InMemoryExchange reset() {
        MemorySegment.copy(request, 0, slot, ValueLayout.JAVA_BYTE, 0, request.length);
        size = request.length;
        return this;
    }

    int replySize() {
        return size;
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public MemorySegment payload() {
        return slot.asSlice(0, size).asReadOnly();
    }

    @Override
    public ByteBuffer payloadBuffer() {
        return payload().asByteBuffer();
    }

    @Override
    public byte[] payloadBytes() {
        return slot.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of();
    }

    @Override
    public long requestId() {
        return 1;
    }

    @Override
    public long clientPid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public long deadlineEpochMillis() {
        return 0;
    }

    @Override
    public int capacity() {
        return (int) slot.byteSize();
    }

    @Override
    public void write(byte[] reply) {
        commit(reply.length);
        MemorySegment.copy(reply, 0, slot, ValueLayout.JAVA_BYTE, 0, reply.length);
    }

    @Override
    public void write(ByteBuffer reply) {
        commit(reply.remaining());
        MemorySegment.copy(MemorySegment.ofBuffer(reply), 0, slot, 0, reply.remaining());
    }

    @Override
    public MemorySegment buffer() {
        return slot;
    }

    @Override
    public void commit(int length) {
        if (length > capacity()) {
            throw new ShmPayloadTooLargeException("reply", length, capacity());
        }
        size = length;
    }
}
