package io.shmipc.spring;

import io.shmipc.core.ShmRequest;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A request as the engine hands it to a handler, held in a heap array instead of a slot. */
record TestShmRequest(
        String route,
        byte[] bytes,
        Map<String, String> headers,
        long clientPid,
        long requestId,
        long deadlineEpochMillis)
        implements ShmRequest {

    TestShmRequest(String route, byte[] bytes) {
        this(route, bytes, Map.of(), 4242, 7, 0);
    }

    TestShmRequest(String route, String text) {
        this(route, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int size() {
        return bytes.length;
    }

    @Override
    public MemorySegment payload() {
        return MemorySegment.ofArray(bytes).asReadOnly();
    }

    @Override
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    @Override
    public byte[] payloadBytes() {
        return bytes.clone();
    }
}
