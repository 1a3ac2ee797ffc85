-- zynk ledger, version 6: whether the ledger was ever told a product's stock level. A product
-- auto-created by an order or invoice import, or imported without a quantity, has an unknown
-- level: `export stock` leaves it out rather than tell the shop it has none.
ALTER TABLE product ADD COLUMN stock_known INTEGER NOT NULL DEFAULT 1;

-- Ledgers written before version 6 did not record this: a product at 0 that no stock movement
-- ever touched is taken as unknown (the safe side: it is not sent until its level is set).
UPDATE product SET stock_known = 0
 WHERE qty_in_stock = 0
   AND NOT EXISTS (SELECT 1 FROM stock_transaction t WHERE t.stock_code = product.stock_code);
