package io.shmipc.spring;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * An {@link InputStream} over a memory segment (a slot's payload area), so a decoder reads shared
 * memory into its own recycled buffer without an intermediate {@code byte[]} of the whole payload.
 * Valid only while the segment is: the engine's request and reply views end with the call.
 */
final class SegmentInputStream extends InputStream {

    private final MemorySegment source;
    private final long size;
    private long position;

    /** @param source the bytes to read, all of them */
    SegmentInputStream(MemorySegment source) {
        this.source = source;
        this.size = source.byteSize();
    }

    @Override
    public int read() {
        return position < size ? source.get(ValueLayout.JAVA_BYTE, position++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        int count = (int) Math.min(length, size - position);
        if (count <= 0) {
            return -1;
        }
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, position, bytes, offset, count);
        position += count;
        return count;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, size - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - position);
    }
}
