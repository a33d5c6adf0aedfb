package io.shmipc.spring.autoconfigure;

import io.shmipc.spring.ShmHandler;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Handlers taking and returning records in the shapes applications send, for
 * {@link ShmTypedPayloadsCrossProcessTests}: nested records, collections, generic parameters, nulls,
 * and a {@link ByteBuffer} echoed in place.
 */
public class TypedPayloadHandlers {

    /** Where an order stands: an enum field. */
    public enum Status {
        NEW,
        SHIPPED
    }

    /**
     * A nested record with a decimal.
     *
     * @param sku the article
     * @param quantity how many
     * @param price the unit price
     */
    public record Line(String sku, int quantity, BigDecimal price) {}

    /**
     * A request shaped like real ones: nested records, a list, a map, an instant, an enum, a nullable
     * field, an optional one and binary data.
     *
     * @param id the order id
     * @param customer who ordered
     * @param lines what was ordered
     * @param tags free-form labels
     * @param placedAt when
     * @param status where it stands
     * @param note a remark, may be null
     * @param coupon a discount code, may be empty
     * @param attachment binary data
     */
    public record Order(
            UUID id,
            String customer,
            List<Line> lines,
            Map<String, String> tags,
            Instant placedAt,
            Status status,
            String note,
            Optional<String> coupon,
            byte[] attachment) {}

    /**
     * What the server makes of an {@link Order}.
     *
     * @param orderId the order's id
     * @param total the sum of its lines
     * @param status always shipped
     * @param attachmentBytes the attachment's size
     * @param note the fields the server saw, joined, so the test can check them
     */
    public record Confirmation(UUID orderId, BigDecimal total, Status status, int attachmentBytes, String note) {}

    @ShmHandler("orders.confirm")
    Confirmation confirm(Order order) {
        BigDecimal total = order.lines().stream()
                .map(line -> line.price().multiply(BigDecimal.valueOf(line.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Confirmation(
                order.id(),
                total,
                Status.SHIPPED,
                order.attachment().length,
                order.note() + "|" + order.coupon().orElse("-") + "|" + order.tags() + "|" + order.placedAt());
    }

    @ShmHandler("orders.echo")
    Order echoOrder(Order order) {
        return order;
    }

    @ShmHandler("orders.lines")
    List<Line> lines(List<Order> orders) {
        return orders.stream().flatMap(order -> order.lines().stream()).toList();
    }

    @ShmHandler("orders.maybe")
    Order maybe(Order order) {
        return order;
    }

    @ShmHandler("blob.in-place")
    ByteBuffer inPlace(ByteBuffer blob) {
        return blob;
    }
}
