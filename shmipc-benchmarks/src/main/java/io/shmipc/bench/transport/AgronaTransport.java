package io.shmipc.bench.transport;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Agrona's one-to-one ring buffers over a mapped file, one for requests and one for replies, with
 * busy-spinning readers: the fastest well-known shared-memory peer. One client only.
 */
public final class AgronaTransport extends SpinningSharedFilePeer {

    private static final int MESSAGE_TYPE = 1;
    /** Agrona caps a message at an eighth of the ring, and the largest scenario sends 1 MiB. */
    private static final int RING_BYTES = (16 << 20) + RingBufferDescriptor.TRAILER_LENGTH;

    @Override
    public String id() {
        return "agrona";
    }

    private record Rings(OneToOneRingBuffer requests, OneToOneRingBuffer replies) {
        static Rings over(MemorySegment shared) {
            long base = shared.address();
            return new Rings(
                    new OneToOneRingBuffer(new UnsafeBuffer(base, RING_BYTES)),
                    new OneToOneRingBuffer(new UnsafeBuffer(base + RING_BYTES, RING_BYTES)));
        }
    }

    @Override
    public AutoCloseable startServer(String endpoint) throws Exception {
        SharedFile file = SharedFile.create(Path.of(endpoint), 2L * RING_BYTES);
        Rings rings = Rings.over(file.segment());
        return new ServerLoop(
                "agrona-server",
                () -> {
                    int read = rings.requests().read((type, buffer, index, length) -> {
                        while (!rings.replies().write(MESSAGE_TYPE, buffer, index, length)) {
                            Thread.onSpinWait();
                        }
                    });
                    if (read == 0) {
                        Thread.onSpinWait();
                    }
                },
                file);
    }

    @Override
    public Caller connect(String endpoint) throws Exception {
        SharedFile file = SharedFile.open(Path.of(endpoint));
        Rings rings = Rings.over(file.segment());
        UnsafeBuffer requestView = new UnsafeBuffer(new byte[0]);
        return new Caller() {
            private byte[] reply = new byte[0];
            private final MessageHandler onReply = (type, buffer, index, length) -> {
                reply = new byte[length];
                buffer.getBytes(index, reply);
            };

            @Override
            public byte[] call(byte[] request) {
                requestView.wrap(request);
                while (!rings.requests().write(MESSAGE_TYPE, requestView, 0, request.length)) {
                    Thread.onSpinWait();
                }
                while (rings.replies().read(onReply, 1) == 0) {
                    Thread.onSpinWait();
                }
                return reply;
            }

            @Override
            public void close() throws Exception {
                file.close();
            }
        };
    }
}
