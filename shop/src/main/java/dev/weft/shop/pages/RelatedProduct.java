package dev.weft.shop.pages;

/**
 * A product shown on another product's page: one that many of the customers who reviewed that product also
 * reviewed.
 *
 * @param sharedReviewers how many customers reviewed both
 */
public record RelatedProduct(long id, String name, long priceCents, long sharedReviewers) {}
