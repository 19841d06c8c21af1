-- PostgreSQL indexes only the rows still pending.
CREATE TABLE vendor_outbox (id BIGINT PRIMARY KEY, sent_at TIMESTAMP);
CREATE INDEX vendor_outbox_pending ON vendor_outbox (id) WHERE sent_at IS NULL;
