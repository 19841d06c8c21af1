CREATE TABLE refunds (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL REFERENCES orders (id));
INSERT INTO refunds (id, order_id) VALUES (1, 424242);
