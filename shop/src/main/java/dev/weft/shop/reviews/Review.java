package dev.weft.shop.reviews;

/**
 * A customer's review of a product, as the API shows it and the page cache holds it.
 *
 * @param rating    1 to 5 stars
 * @param createdAt when it was written, ISO-8601 in UTC ({@code 2025-03-01T10:15:30Z})
 */
public record Review(long id, long productId, long userId, int rating, String title, String body, String createdAt) {}
