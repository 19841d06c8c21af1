package dev.weft.shop.orders;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.weft.shop.catalog.Catalog;
import dev.weft.shop.catalog.Product;
import dev.weft.shop.db.Transactions;
import dev.weft.shop.web.ApiError;

/** Places and reads orders. */
public final class OrderService {
    private final Transactions db;
    private final Catalog catalog;
    private final OrderStore orders;
    private final Fulfilment fulfilment;
    private final OrderEvents events;

    public OrderService(Transactions db, Catalog catalog, OrderStore orders, Fulfilment fulfilment,
                        OrderEvents events) {
        this.db = db;
        this.catalog = catalog;
        this.orders = orders;
        this.fulfilment = fulfilment;
        this.events = events;
    }

    /**
     * Accepts an order: reserves its stock, writes it and its {@link OrderCreated} in one transaction, so that there
     * is never an order without its event, nor an event without its order.
     *
     * <p>The reservation is a guarded {@code UPDATE ... SET stock = stock - ? WHERE stock >= ?}: of two orders
     * racing for the last items exactly one gets them and the other gets the 409, whether the consumers then run
     * inside this transaction (events off) or later (events on). An accepted order is never short of stock.
     *
     * @throws ApiError 404 for an unknown product, 409 when its stock is below the quantity (nothing is written)
     */
    public Order place(OrderRequest request) throws Exception {
        return db.inTransaction(tx -> {
            boolean reserved = catalog.reserve(tx, request.productId(), request.quantity());
            Product product = catalog.store().find(tx.connection(), request.productId())
                    .orElseThrow(() -> Catalog.notFound(request.productId()));
            if (!reserved) {
                throw ApiError.conflict("insufficient stock: product " + product.id() + " has " + product.stock()
                        + ", " + request.quantity() + " requested");
            }
            Order order = orders.insert(tx.connection(), product.id(), request.userId(), request.quantity(),
                    product.priceCents() * request.quantity());
            events.orderCreated(tx, new OrderCreated(order.id(), order.productId(), order.userId(), order.quantity(),
                    order.totalCents()));
            return order;
        });
    }

    /**
     * The order and, for each consumer, what it did or {@code pending}; {@code complete} is true once every
     * consumer has processed the order.
     *
     * @throws ApiError 404 when there is no such order
     */
    public Map<String, Object> describe(long id) throws Exception {
        return db.read(c -> {
            Order order = orders.find(c, id).orElseThrow(() -> ApiError.notFound("order " + id + " not found"));
            Map<String, OrderStore.Processing> done = orders.processing(c, id);
            Map<String, Object> consumers = new LinkedHashMap<>();
            for (OrderCreatedConsumer consumer : fulfilment.consumers()) {
                OrderStore.Processing p = done.get(consumer.name());
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("status", p == null ? "pending" : "processed");
                if (p != null) {
                    state.put("outcome", p.outcome());
                    state.put("processedAt", p.processedAt().toString());
                }
                consumers.put(consumer.name(), state);
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", order.id());
            view.put("productId", order.productId());
            view.put("userId", order.userId());
            view.put("quantity", order.quantity());
            view.put("totalCents", order.totalCents());
            view.put("createdAt", order.createdAt().toString());
            view.put("consumers", consumers);
            view.put("complete", done.keySet().containsAll(consumers.keySet()));
            return view;
        });
    }
}
