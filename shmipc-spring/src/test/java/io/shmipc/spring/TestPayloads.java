package io.shmipc.spring;

/** Payload types and helpers shared by the tests of both packages. */
public final class TestPayloads {

    private TestPayloads() {}

    /** A JSON request. */
    public record Order(String id, int quantity) {}

    /** A JSON reply. */
    public record Receipt(String orderId, int total) {}

    /** @return what a handler computes from an order, so tests can predict the reply */
    public static Receipt receiptFor(Order order) {
        return new Receipt(order.id(), order.quantity() * 10);
    }

    /** @return the bytes in reverse order */
    public static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
