package dev.weft.shop.orders;

import java.time.Instant;

/** An accepted order, as stored. */
public record Order(long id, long productId, long userId, int quantity, long totalCents, Instant createdAt) {}
