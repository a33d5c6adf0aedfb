package io.shmipc.bench.transport;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * The floor: two processes hand a sequence number (and the payload) through a mapped file with
 * release/acquire stores and loads and busy spinning on both sides. No library, no blocking, one
 * client only. Anything slower than this pays for features or for the kernel.
 */
public final class BareSpinTransport extends SpinningSharedFilePeer {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long REQUEST_SEQUENCE = 0;
    private static final long REQUEST_LENGTH = 8;
    // The two sides' words sit two cache lines apart so adjacent-line prefetch does not couple them.
    private static final long REPLY_SEQUENCE = 128;
    private static final long REPLY_LENGTH = 136;
    private static final long REQUEST_AREA = 4096;
    private static final long AREA_SIZE = 1 << 20;
    private static final long REPLY_AREA = REQUEST_AREA + AREA_SIZE;
    private static final long FILE_SIZE = REPLY_AREA + AREA_SIZE;

    @Override
    public String id() {
        return "bare-spin";
    }

    @Override
    public AutoCloseable startServer(String endpoint) throws Exception {
        SharedFile file = SharedFile.create(Path.of(endpoint), FILE_SIZE);
        MemorySegment shared = file.segment();
        long[] served = {0};
        return new ServerLoop(
                "bare-spin-server",
                () -> {
                    long sequence = (long) LONG.getAcquire(shared, REQUEST_SEQUENCE);
                    if (sequence == served[0]) {
                        Thread.onSpinWait();
                        return;
                    }
                    long length = shared.get(ValueLayout.JAVA_LONG, REQUEST_LENGTH);
                    MemorySegment.copy(shared, REQUEST_AREA, shared, REPLY_AREA, length);
                    shared.set(ValueLayout.JAVA_LONG, REPLY_LENGTH, length);
                    LONG.setRelease(shared, REPLY_SEQUENCE, sequence);
                    served[0] = sequence;
                },
                file);
    }

    @Override
    public Caller connect(String endpoint) throws Exception {
        SharedFile file = SharedFile.open(Path.of(endpoint));
        MemorySegment shared = file.segment();
        return new Caller() {
            private long sequence = (long) LONG.getAcquire(shared, REPLY_SEQUENCE);

            @Override
            public byte[] call(byte[] request) {
                MemorySegment.copy(request, 0, shared, ValueLayout.JAVA_BYTE, REQUEST_AREA, request.length);
                shared.set(ValueLayout.JAVA_LONG, REQUEST_LENGTH, request.length);
                sequence++;
                LONG.setRelease(shared, REQUEST_SEQUENCE, sequence);
                while ((long) LONG.getAcquire(shared, REPLY_SEQUENCE) != sequence) {
                    Thread.onSpinWait();
                }
                int length = (int) shared.get(ValueLayout.JAVA_LONG, REPLY_LENGTH);
                byte[] reply = new byte[length];
                MemorySegment.copy(shared, ValueLayout.JAVA_BYTE, REPLY_AREA, reply, 0, length);
                return reply;
            }

            @Override
            public void close() throws Exception {
                file.close();
            }
        };
    }
}
