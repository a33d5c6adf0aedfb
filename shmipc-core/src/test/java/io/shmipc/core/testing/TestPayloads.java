package io.shmipc.core.testing;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Requests that identify themselves (client, thread, sequence) and carry random bytes, and the reply
 * the {@code check} route computes from them, so a client can tell its own reply from any other.
 */
public final class TestPayloads {

    private TestPayloads() {}

    /** @return 24 bytes of identity followed by {@code noise} random-ish bytes */
    public static byte[] request(int client, int thread, int sequence, int noise) {
        ByteBuffer buffer = ByteBuffer.allocate(24 + noise);
        buffer.putInt(client).putInt(thread).putLong(sequence).putLong(System.nanoTime());
        long seed = ((long) client << 40) ^ ((long) thread << 20) ^ sequence;
        for (int i = 0; i < noise; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            buffer.put((byte) (seed >>> 56));
        }
        return buffer.array();
    }

    /** @return the request's identity (client, thread, sequence) as one number */
    public static long key(byte[] request) {
        ByteBuffer buffer = ByteBuffer.wrap(request);
        return ((long) buffer.getInt() << 48) ^ ((long) buffer.getInt() << 32) ^ buffer.getLong();
    }

    /** @return the request reversed, followed by its CRC32 */
    public static byte[] expectedReply(byte[] request) {
        byte[] reply = new byte[request.length + 8];
        for (int i = 0; i < request.length; i++) {
            reply[i] = request[request.length - 1 - i];
        }
        CRC32 crc = new CRC32();
        crc.update(request);
        ByteBuffer.wrap(reply, request.length, 8).putLong(crc.getValue());
        return reply;
    }
}
