-- zynk ledger, version 4: the same invoice and transaction tables, rebuilt so that a row is
-- cheaper to write. Their type CHECKs compare with each allowed value in turn (SQLite builds a
-- temporary table for every `IN (…)` list of more than two values, once per inserted row), and
-- the transactions lose their index by account, which no query used. Migrations run with
-- foreign keys off and are checked before they commit (see `migrate`).

CREATE TABLE invoice_new (
    invoice_number      INTEGER PRIMARY KEY CHECK (invoice_number BETWEEN 1 AND 9999999),
    account_ref         TEXT NOT NULL REFERENCES customer(account_ref),
    invoice_date        TEXT NOT NULL,
    invoice_type        TEXT NOT NULL CHECK (invoice_type = 'ProductInvoice' OR invoice_type = 'ServiceInvoice'
        OR invoice_type = 'ProductCredit' OR invoice_type = 'ServiceCredit'),
    currency            TEXT NOT NULL,
    foreign_rate        REAL NOT NULL DEFAULT 1,
    name                TEXT,
    contact_name        TEXT,
    address_1           TEXT,
    address_2           TEXT,
    address_3           TEXT,
    address_4           TEXT,
    address_5           TEXT,
    cust_tel_number     TEXT,
    del_name            TEXT,
    del_address_1       TEXT,
    del_address_2       TEXT,
    del_address_3       TEXT,
    del_address_4       TEXT,
    del_address_5       TEXT,
    cust_order_number   TEXT,
    taken_by            TEXT,
    notes_1             TEXT,
    notes_2             TEXT,
    notes_3             TEXT,
    analysis_1          TEXT,
    analysis_2          TEXT,
    analysis_3          TEXT,
    despatch_date       TEXT,
    consignment         TEXT,
    courier_number      INTEGER,
    settlement_days     INTEGER,
    settlement_disc_rate REAL,
    global_nom_code     TEXT,
    global_tax_code     INTEGER,
    global_details      TEXT,
    global_dept_number  INTEGER,
    items_net           REAL NOT NULL,
    items_tax           REAL NOT NULL,
    items_gross         REAL NOT NULL,
    carr_net            REAL NOT NULL,
    carr_tax            REAL NOT NULL,
    carr_gross          REAL NOT NULL,
    carr_nom_code       TEXT,
    carr_tax_code       INTEGER,
    carr_dept_number    INTEGER,
    invoice_net         REAL NOT NULL,
    invoice_tax         REAL NOT NULL,
    invoice_gross       REAL NOT NULL,
    vat_inclusive       INTEGER NOT NULL DEFAULT 0,
    payment_ref         TEXT,
    bank_ref            TEXT,
    amount_prepaid      REAL NOT NULL DEFAULT 0,
    payment_type        TEXT,
    net_value_discount  REAL NOT NULL DEFAULT 0,
    net_value_discount_tax REAL NOT NULL DEFAULT 0,
    net_value_discount_description TEXT,
    net_value_discount_comment_1 TEXT,
    net_value_discount_comment_2 TEXT,
    amount_paid         REAL NOT NULL DEFAULT 0,
    created             INTEGER NOT NULL,
    modified            INTEGER NOT NULL
);
INSERT INTO invoice_new SELECT * FROM invoice;
DROP TABLE invoice;
ALTER TABLE invoice_new RENAME TO invoice;
CREATE INDEX invoice_by_account ON invoice(account_ref);
CREATE INDEX invoice_by_created ON invoice(created);
CREATE INDEX invoice_by_modified ON invoice(modified);

CREATE TABLE ledger_transaction_new (
    tran_number     INTEGER PRIMARY KEY,
    tran_type       TEXT NOT NULL CHECK (tran_type = 'SI' OR tran_type = 'SC' OR tran_type = 'SR'
        OR tran_type = 'SA' OR tran_type = 'SP' OR tran_type = 'SD' OR tran_type = 'BR' OR tran_type = 'BP'),
    account_ref     TEXT REFERENCES customer(account_ref),
    bank_code       TEXT REFERENCES bank_account(nominal_code),
    nominal_code    TEXT,
    invoice_number  INTEGER REFERENCES invoice(invoice_number),
    tran_date       TEXT NOT NULL,
    reference       TEXT,
    details         TEXT,
    net_amount      REAL NOT NULL,
    tax_amount      REAL NOT NULL,
    amount          REAL NOT NULL,
    tax_code        INTEGER,
    balance_effect  REAL NOT NULL DEFAULT 0,
    bank_effect     REAL NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL,
    modified        INTEGER NOT NULL
);
INSERT INTO ledger_transaction_new SELECT * FROM ledger_transaction;
DROP TABLE ledger_transaction;
ALTER TABLE ledger_transaction_new RENAME TO ledger_transaction;
