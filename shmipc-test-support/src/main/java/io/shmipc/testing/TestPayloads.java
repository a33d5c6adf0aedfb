package io.shmipc.testing;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Payloads the tests of every module share.
 *
 * <ul>
 *   <li>Engine load tests: requests that identify themselves (client, thread, sequence) and carry
 *       random bytes, and the reply the {@code check} route computes from them, so a client can tell
 *       its own reply from any other.
 *   <li>Spring tests: a JSON request ({@link Order}) and reply ({@link Receipt}) with a predictable
 *       relation between them.
 * </ul>
 */
public final class TestPayloads {

    private TestPayloads() {}

    /**
     * A JSON request.
     *
     * @param id the order id
     * @param quantity how many
     */
    public record Order(String id, int quantity) {}

    /**
     * A JSON reply.
     *
     * @param orderId the id of the order it answers
     * @param total ten times the quantity
     */
    public record Receipt(String orderId, int total) {}

    /**
     * What a handler computes from an order, so tests can predict the reply.
     *
     * @param order the request
     * @return its receipt
     */
    public static Receipt receiptFor(Order order) {
        return new Receipt(order.id(), order.quantity() * 10);
    }

    /**
     * A request for engine load tests.
     *
     * @param client the client's number
     * @param thread the thread's number
     * @param sequence the request's number in its thread
     * @param noise how many random-looking bytes follow the identity
     * @return 24 bytes of identity followed by {@code noise} bytes
     */
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

    /**
     * The identity of a request made by {@link #request}.
     *
     * @param request the request
     * @return client, thread and sequence as one number
     */
    public static long key(byte[] request) {
        ByteBuffer buffer = ByteBuffer.wrap(request);
        return ((long) buffer.getInt() << 48) ^ ((long) buffer.getInt() << 32) ^ buffer.getLong();
    }

    /**
     * The reply the {@code check} route gives.
     *
     * @param request the request
     * @return the request reversed, followed by its CRC32
     */
    public static byte[] expectedReply(byte[] request) {
        byte[] reply = new byte[request.length + 8];
        System.arraycopy(reverse(request), 0, reply, 0, request.length);
        CRC32 crc = new CRC32();
        crc.update(request);
        ByteBuffer.wrap(reply, request.length, 8).putLong(crc.getValue());
        return reply;
    }

    /**
     * Reverses bytes.
     *
     * @param bytes the bytes
     * @return a new array with the bytes in reverse order
     */
    public static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
