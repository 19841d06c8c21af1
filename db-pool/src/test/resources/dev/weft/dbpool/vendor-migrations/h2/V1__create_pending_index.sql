-- H2 has no partial indexes: the pending scan uses (sent_at, id).
CREATE TABLE vendor_outbox (id BIGINT PRIMARY KEY, sent_at TIMESTAMP);
CREATE INDEX vendor_outbox_pending ON vendor_outbox (sent_at, id);
