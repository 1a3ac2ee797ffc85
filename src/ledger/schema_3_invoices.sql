-- zynk ledger, version 3: posted invoices and credit notes, and the transactions that move
-- customer and bank balances (Sage INVOICE, INVOICE_ITEM, AUDIT_HEADER).

-- Bank balances follow the receipts and payments posted to them.
ALTER TABLE bank_account ADD COLUMN balance REAL NOT NULL DEFAULT 0;

-- Invoices and credit notes (Sage INVOICE). Amounts are positive; the type says which way
-- they move the account's balance.
CREATE TABLE invoice (
    invoice_number      INTEGER PRIMARY KEY CHECK (invoice_number BETWEEN 1 AND 9999999),
    account_ref         TEXT NOT NULL REFERENCES customer(account_ref),
    invoice_date        TEXT NOT NULL,
    invoice_type        TEXT NOT NULL CHECK (invoice_type IN ('ProductInvoice', 'ServiceInvoice', 'ProductCredit', 'ServiceCredit')),
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
CREATE INDEX invoice_by_account ON invoice(account_ref);
CREATE INDEX invoice_by_created ON invoice(created);
CREATE INDEX invoice_by_modified ON invoice(modified);

-- Invoice lines (Sage INVOICE_ITEM), the same columns as sales order lines.
CREATE TABLE invoice_item (
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
);

-- Posted transactions (Sage AUDIT_HEADER): SI, SC, SR, SA, SP, SD, BR, BP. `amount` is the
-- gross; `balance_effect` is what it added to the customer's balance, `bank_effect` to the
-- bank's.
CREATE TABLE ledger_transaction (
    tran_number     INTEGER PRIMARY KEY,
    tran_type       TEXT NOT NULL CHECK (tran_type IN ('SI', 'SC', 'SR', 'SA', 'SP', 'SD', 'BR', 'BP')),
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
CREATE INDEX ledger_transaction_by_account ON ledger_transaction(account_ref);
