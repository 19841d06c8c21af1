package dev.weft.shop.orders;

/**
 * The event an accepted order emits, written in the order's own transaction. It carries everything the consumers
 * need, so that none of them has to read the order back.
 */
public record OrderCreated(long orderId, long productId, long userId, int quantity, long totalCents) {
    /** The event type, as the envelope and the routing key name it. */
    public static final String TYPE = "order.created";
}
