-- zynk ledger, version 5: fewer B-trees written per invoice. Invoices lose their indexes by
-- `created` and `modified`, which no query used (the exports and listings read invoices in
-- number order, a scan of the table itself), and invoice lines are stored in their primary key
-- (invoice, line) alone instead of in a rowid table plus that key's index.

DROP INDEX invoice_by_created;
DROP INDEX invoice_by_modified;

CREATE TABLE invoice_item_new (
    invoice_number  INTEGER NOT NULL REFERENCES invoice(invoice_number),
    item_number     INTEGER NOT NULL,
    stock_code      TEXT NOT NULL,
    description     TEXT,
    comment_1       TEXT,
    comment_2       TEXT,
    unit_of_sale    TEXT,
    qty_order       REAL NOT NULL,
    qty_allocated   REAL NOT NULL DEFAULT 0,
    unit_price      REAL NOT NULL,
    discount_rate   REAL NOT NULL DEFAULT 0,
    discount_amount REAL NOT NULL DEFAULT 0,
    full_net_amount REAL NOT NULL,
    net_amount      REAL NOT NULL,
    tax_amount      REAL NOT NULL,
    gross_amount    REAL NOT NULL,
    tax_code        INTEGER,
    nominal_code    TEXT,
    dept_number     INTEGER,
    job_number      TEXT,
    text            TEXT,
    PRIMARY KEY (invoice_number, item_number)
) WITHOUT ROWID;
INSERT INTO invoice_item_new SELECT * FROM invoice_item;
DROP TABLE invoice_item;
ALTER TABLE invoice_item_new RENAME TO invoice_item;
