package io.shmipc.spring;

import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * An {@link OutputStream} that writes straight into a memory segment (a slot's payload area), so an
 * encoder's own buffer is flushed into shared memory without an intermediate {@code byte[]}.
 *
 * <p>Writing past the end does not throw: the stream keeps counting and drops the bytes, so the caller
 * learns the full encoded size from {@link #written()} and can report it exactly (an exception thrown
 * inside an encoder would arrive wrapped in the encoder's own exception type).
 */
final class SegmentOutputStream extends OutputStream {

    private final MemorySegment target;
    private final long capacity;
    private long written;

    /** @param target where the bytes go, from offset 0 */
    SegmentOutputStream(MemorySegment target) {
        this.target = target;
        this.capacity = target.byteSize();
    }

    @Override
    public void write(int b) {
        if (written < capacity) {
            target.set(ValueLayout.JAVA_BYTE, written, (byte) b);
        }
        written++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (written + length <= capacity) {
            MemorySegment.copy(bytes, offset, target, ValueLayout.JAVA_BYTE, written, length);
        }
        // Once anything was dropped the whole encoding is void, so no partial copy is made.
        written += length;
    }

    /** @return every byte written, including those past the end that were dropped */
    long written() {
        return written;
    }
}
