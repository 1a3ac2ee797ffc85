-- zynk ledger, version 2: stock movements (Sage STOCK_TRAN), posted by `import stock transactions`
-- and by `import products` when it changes a quantity in stock.

-- Stock movements (Sage STOCK_TRAN): adjustments in and out and the other Sage types; each
-- row changed product.qty_in_stock by qty_change (positive in, negative out).
CREATE TABLE stock_transaction (
    tran_number  INTEGER PRIMARY KEY,
    stock_code   TEXT NOT NULL REFERENCES product(stock_code),
    type         TEXT NOT NULL,        -- AI, AO, GI, GO, MI, MO, GR, DI, DO, WO
    date         TEXT NOT NULL,
    reference    TEXT,
    details      TEXT,
    quantity     REAL NOT NULL,        -- as given, always positive
    qty_change   REAL NOT NULL,        -- what it did to qty_in_stock
    cost_price   REAL NOT NULL DEFAULT 0,
    sales_price  REAL NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL
);
CREATE INDEX stock_transaction_by_code ON stock_transaction(stock_code);
