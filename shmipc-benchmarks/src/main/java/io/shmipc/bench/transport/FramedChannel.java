package io.shmipc.bench.transport;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.jspecify.annotations.Nullable;

/** Length-prefixed frames over a blocking socket channel, reusing one direct buffer per direction. */
final class FramedChannel implements AutoCloseable {

    private final SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocateDirect(4);
    private ByteBuffer body = ByteBuffer.allocateDirect(64 * 1024);

    FramedChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /** @return the frame's body, valid until the next read; null at a clean end of stream */
    @Nullable
    ByteBuffer readFrame() throws IOException {
        header.clear();
        if (!readFully(header, true)) {
            return null;
        }
        int length = header.getInt(0);
        if (body.capacity() < length) {
            body = ByteBuffer.allocateDirect(Integer.highestOneBit(length - 1) << 1);
        }
        body.clear().limit(length);
        readFully(body, false);
        return body.flip();
    }

    void writeFrame(ByteBuffer payload) throws IOException {
        header.clear();
        header.putInt(0, payload.remaining());
        // One gathering write keeps header and small bodies in a single segment.
        ByteBuffer[] both = {header, payload};
        while (payload.hasRemaining() || header.hasRemaining()) {
            channel.write(both);
        }
    }

    private boolean readFully(ByteBuffer buffer, boolean endAllowed) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (endAllowed && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("stream ended inside a frame");
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
