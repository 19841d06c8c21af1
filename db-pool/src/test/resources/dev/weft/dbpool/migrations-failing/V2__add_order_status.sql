/* A second step: a column with a default, and seed data whose text holds a semicolon; it must not split. */
ALTER TABLE orders ADD COLUMN status VARCHAR(20) DEFAULT 'NEW' NOT NULL;

INSERT INTO customers (email) VALUES ('first@example.test');
INSERT INTO orders (customer_id, total, status)
    SELECT id, 12.50, 'PAID; shipped' FROM customers WHERE email = 'first@example.test';
