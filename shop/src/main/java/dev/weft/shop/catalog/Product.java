package dev.weft.shop.catalog;

/** A product as the API shows it and as the cache holds it. Prices are in cents, so that no float rounds them. */
public record Product(long id, String name, long priceCents, int stock) {}
