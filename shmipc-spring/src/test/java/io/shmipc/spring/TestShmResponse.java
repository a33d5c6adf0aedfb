package io.shmipc.spring;

import io.shmipc.core.ShmPayloadTooLargeException;
import io.shmipc.core.ShmResponse;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Collects what a handler writes, enforcing the capacity the way a slot does. */
final class TestShmResponse implements ShmResponse {

    private final MemorySegment area;
    private int length;
    private boolean written;

    TestShmResponse(int capacity) {
        this.area = MemorySegment.ofArray(new byte[capacity]);
    }

    TestShmResponse() {
        this(64 * 1024);
    }

    @Override
    public int capacity() {
        return (int) area.byteSize();
    }

    @Override
    public void write(byte[] reply) {
        commitCheck(reply.length);
        MemorySegment.copy(MemorySegment.ofArray(reply), 0, area, 0, reply.length);
        commit(reply.length);
    }

    @Override
    public void write(ByteBuffer reply) {
        byte[] copy = new byte[reply.remaining()];
        reply.duplicate().get(copy);
        write(copy);
    }

    @Override
    public MemorySegment buffer() {
        return area;
    }

    @Override
    public void commit(int length) {
        commitCheck(length);
        this.length = length;
        this.written = true;
    }

    private void commitCheck(int length) {
        if (length > capacity()) {
            throw new ShmPayloadTooLargeException("reply", length, capacity());
        }
    }

    boolean written() {
        return written;
    }

    byte[] bytes() {
        return area.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}
