package dev.weft.shop.users;

import java.util.Map;

import dev.weft.http.Handler;
import dev.weft.shop.db.Transactions;
import dev.weft.shop.web.Json;
import dev.weft.shop.web.PathIds;

/** {@code GET /users/{id}/points}. */
public final class UserRoutes {
    private final Transactions db;
    private final PointsLedger ledger;

    public UserRoutes(Transactions db, PointsLedger ledger) {
        this.db = db;
        this.ledger = ledger;
    }

    /**
     * 200 with {@code {"userId": n, "points": p}}. Users are not registered anywhere: they exist through their
     * orders, and a user without orders has 0 points.
     */
    public Handler points() {
        return (w, r) -> {
            long userId = PathIds.positive(r, "id");
            long points = db.read(c -> ledger.balance(c, userId));
            Json.write(w, 200, Map.of("userId", userId, "points", points));
        };
    }
}
