package dev.weft.shop.pages;

import java.util.List;

import dev.weft.shop.catalog.Product;
import dev.weft.shop.inventory.WarehouseStock;
import dev.weft.shop.reviews.ReviewSummary;

/**
 * A product's page, as a shop's product details view shows it: the product, what its customers say, where it is in
 * stock, and the products its reviewers also reviewed. Built by {@link ProductPages}.
 *
 * @param availability the product's stock in each warehouse that holds it
 * @param related      the products the most of its reviewers also reviewed, most shared first
 *                     ({@link ProductPages#RELATED} at most)
 */
public record ProductPage(Product product, ReviewSummary reviews, List<WarehouseStock> availability,
                          List<RelatedProduct> related) {}
