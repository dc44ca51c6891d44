-- Costs that do not grow with the history: every query the till runs at start and before a sale
-- reads through an index (storage/plan_test.go proves it). SQLite uses a partial index only
-- when the query repeats the index's condition word for word, so the queries are written to.
--
-- Sales waiting for their document, in the order recovery takes them. Replaces sales_by_state,
-- which also kept every cancelled sale and which the count of pending sales could not use.
DROP INDEX sales_by_state;
CREATE INDEX sales_pending ON sales(created_at, id) WHERE state = 'pending';

-- No query states payments_open's condition; recovery reads payments_unresolved_by_sale.
DROP INDEX payments_open;

-- When each payment device was last used: one search per device (cash payments have none).
CREATE INDEX payments_by_device ON payments(device_id, created_at) WHERE device_id <> '';

-- The printer's last receipt, read at start to continue its numbering; the last receipt and
-- the invoices by kind, in the order they were recorded (the rowid ends every index entry).
CREATE INDEX documents_by_printer ON documents(printer_serial, z_number, doc_number);
CREATE INDEX documents_by_kind ON documents(kind);

-- The source of the last configuration saved, read when a configuration is imported at start.
CREATE INDEX audit_by_action ON audit_log(action);

-- The saved customers, most recently used first, in the index's own order.
DROP INDEX customers_by_use;
CREATE INDEX customers_by_use ON customers(last_used_at DESC, id DESC);
