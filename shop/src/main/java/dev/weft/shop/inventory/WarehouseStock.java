package dev.weft.shop.inventory;

/** How many items of a product one warehouse holds: a line of a product page's availability. */
public record WarehouseStock(String warehouse, int quantity) {}
