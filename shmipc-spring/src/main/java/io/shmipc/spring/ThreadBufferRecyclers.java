package io.shmipc.spring;

import java.io.Serial;
import java.lang.reflect.Field;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.RecyclerPool;
import tools.jackson.databind.cfg.MapperBuilder;

/**
 * The buffer recyclers of {@link JacksonShmCodec}'s own mapper: one per platform thread, taken and given back
 * without a lock or a compare-and-set, and the mapper's own pool for virtual threads (many and short-lived, so
 * a recycler kept per virtual thread would never be reused) and for a parser or generator opened while the
 * thread's recycler is in use (a serializer that writes a nested document).
 *
 * <p>Why: every Jackson parser and generator takes a {@link BufferRecycler} from its factory's pool when it is
 * made and gives it back when it is closed. Jackson 3's default pool is a lock-free deque, whose take and give
 * back are several atomic operations each; for a small record they were 10-20 % of an encode or a decode
 * (JFR, {@code CodecBenchmark.encodeInSlot}/{@code decodeInSlot}). The codec opens and closes each parser and
 * generator on one thread within one call, which is what a thread-confined recycler needs.
 *
 * <p>Memory: one recycler per platform thread that encodes or decodes, holding Jackson's reusable buffers
 * (a few KiB, more after a long text), kept for the thread's life, as Jackson's own thread-local pool does.
 */
final class ThreadBufferRecyclers implements RecyclerPool<BufferRecycler> {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * The platform thread's recycler. One per pool, so per stream factory, as Jackson's default pool is: a
     * recycler keeps the largest buffers given back to it, and some formats' output depends on the size of the
     * buffer they write into (Smile marks a long text as ASCII only when it fits the buffer), so sharing one
     * across formats could change what a format writes. Never set for a virtual thread.
     */
    private final transient ThreadLocal<ThreadRecycler> recyclers = ThreadLocal.withInitial(ThreadRecycler::new);

    /** For virtual threads and nested use: the pool the mapper came with. */
    private final RecyclerPool<BufferRecycler> shared;

    /** @param shared the pool to use where a thread's own recycler cannot be */
    ThreadBufferRecyclers(RecyclerPool<BufferRecycler> shared) {
        this.shared = shared;
    }

    /**
     * Makes the mapper that {@code builder} builds use a {@link ThreadBufferRecyclers} over its factory's pool.
     * Jackson 3's mapper builders take their stream factory only when they are created, so the factory (rebuilt
     * with every setting it had, only the pool replaced) is set into the builder's field; where that is not
     * allowed (the databind module not open to this code, or a native image without the field's hint) the
     * builder is left as it was, which is only slower.
     *
     * @param builder a builder from {@code mapper.rebuild()}
     * @return true when the builder now has the thread-confined pool
     */
    static boolean install(MapperBuilder<?, ?> builder) {
        TokenStreamFactory factory = builder.streamFactory();
        RecyclerPool<BufferRecycler> current = factory._getRecyclerPool();
        if (current instanceof ThreadBufferRecyclers) {
            return true;
        }
        try {
            Field field = MapperBuilder.class.getDeclaredField("_streamFactory");
            field.setAccessible(true);
            field.set(
                    builder,
                    factory.rebuild()
                            .recyclerPool(new ThreadBufferRecyclers(current))
                            .build());
            return true;
        } catch (ReflectiveOperationException | RuntimeException notAllowed) {
            return false;
        }
    }

    @Override
    public BufferRecycler acquirePooled() {
        Thread thread = Thread.currentThread();
        if (!thread.isVirtual()) {
            ThreadRecycler own = recyclers.get();
            if (!own.inUse) {
                own.inUse = true;
                return own;
            }
        }
        return shared.acquirePooled();
    }

    @Override
    public void releasePooled(BufferRecycler recycler) {
        if (recycler instanceof ThreadRecycler own) {
            // Given back on the thread that took it: the codec closes every parser and generator it opened
            // before its call returns, on the calling thread, so a plain field is enough.
            own.inUse = false;
        } else {
            shared.releasePooled(recycler);
        }
    }

    /** @return a pool over the same shared pool, with thread-local recyclers of its own */
    @Serial
    private Object readResolve() {
        return new ThreadBufferRecyclers(shared);
    }

    @Override
    public boolean clear() {
        // Thread-local recyclers go with their threads; only the shared pool can be emptied.
        return shared.clear();
    }

    /**
     * A platform thread's recycler, with the mark that says whether a parser or generator holds it. Only its
     * thread ever uses it, so it keeps its buffers in plain arrays: {@link BufferRecycler}'s atomic arrays
     * (an atomic exchange per buffer taken, a volatile write per buffer given back) were another 10-15 % of a
     * small record's encode in JFR. Taking and giving back behave as {@link BufferRecycler}'s do.
     */
    static final class ThreadRecycler extends BufferRecycler {

        /** Read and written only by the thread that owns this recycler. */
        boolean inUse;

        private final byte[] @Nullable [] bytes = new byte[_byteBuffers.length()][];
        private final char[] @Nullable [] chars = new char[_charBuffers.length()][];

        @Override
        public byte[] allocByteBuffer(int index, int minSize) {
            int size = Math.max(minSize, byteBufferLength(index));
            byte[] buffer = bytes[index];
            bytes[index] = null;
            return buffer == null || buffer.length < size ? balloc(size) : buffer;
        }

        @Override
        public void releaseByteBuffer(int index, byte[] buffer) {
            // The larger of the two is kept, as BufferRecycler does.
            byte[] kept = bytes[index];
            if (kept == null || buffer.length > kept.length) {
                bytes[index] = buffer;
            }
        }

        @Override
        public char[] allocCharBuffer(int index, int minSize) {
            int size = Math.max(minSize, charBufferLength(index));
            char[] buffer = chars[index];
            chars[index] = null;
            return buffer == null || buffer.length < size ? calloc(size) : buffer;
        }

        @Override
        public void releaseCharBuffer(int index, char[] buffer) {
            char[] kept = chars[index];
            if (kept == null || buffer.length > kept.length) {
                chars[index] = buffer;
            }
        }
    }
}
