package dev.weft.shop.reviews;

import java.util.List;
import java.util.Map;

/**
 * What a product page says about a product's reviews.
 *
 * @param count         how many reviews the product has
 * @param averageRating the mean rating, rounded to two decimals; null without reviews
 * @param ratings       how many reviews gave each rating, keyed {@code "1"} to {@code "5"}, every key present
 * @param recent        the newest reviews, newest first ({@link ReviewStore#RECENT} at most)
 */
public record ReviewSummary(long count, Double averageRating, Map<String, Long> ratings, List<Review> recent) {}
