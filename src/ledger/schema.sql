-- zynk ledger, version 1: a Sage 50 UK stand-in for customer, stock and sales order imports.
-- Times (created, modified) are Unix microseconds (UTC); dates are ISO text.

-- Company settings (base currency, defaults for nominal and tax codes).
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Tax codes T0–T99 (Sage TAX_CODE_ID 0–99); T0–T9 seeded with Sage's UK defaults.
CREATE TABLE tax_code (
    id            INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 99),
    code          TEXT NOT NULL UNIQUE,
    rate          REAL NOT NULL,
    description   TEXT NOT NULL,
    in_vat_return INTEGER NOT NULL DEFAULT 1
);

-- Bank accounts (nominal codes) that may receive payments.
CREATE TABLE bank_account (
    nominal_code TEXT PRIMARY KEY,
    name         TEXT NOT NULL
);

-- Sage's special line codes: not stock records, never auto-created or stock-checked.
CREATE TABLE special_product (
    code        TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    tax_code    INTEGER,               -- NULL: no tax (message lines)
    kind        TEXT NOT NULL          -- NonStock, Service, Message
);

-- Customer accounts (Sage SALES_LEDGER).
CREATE TABLE customer (
    account_ref         TEXT PRIMARY KEY CHECK (length(account_ref) BETWEEN 1 AND 8),
    name                TEXT NOT NULL,
    contact_name        TEXT,
    address_1           TEXT,
    address_2           TEXT,
    address_3           TEXT,
    address_4           TEXT,
    address_5           TEXT,
    country_code        TEXT,
    telephone           TEXT,
    telephone_2         TEXT,
    fax                 TEXT,
    e_mail              TEXT,
    web_address         TEXT,
    trade_contact       TEXT,
    vat_reg_number      TEXT,
    analysis_1          TEXT,
    analysis_2          TEXT,
    analysis_3          TEXT,
    pricing_ref         TEXT,
    def_nom_code        TEXT,
    def_tax_code        INTEGER,
    currency            TEXT NOT NULL,
    credit_limit        REAL NOT NULL DEFAULT 0,
    balance             REAL NOT NULL DEFAULT 0,
    terms               TEXT,
    terms_agreed        INTEGER NOT NULL DEFAULT 1,
    account_status      INTEGER NOT NULL DEFAULT 0,
    account_on_hold     INTEGER NOT NULL DEFAULT 0,
    settlement_days     INTEGER,
    settlement_discount REAL,
    payment_days        INTEGER,
    memo                TEXT,
    del_name            TEXT,
    del_address_1       TEXT,
    del_address_2       TEXT,
    del_address_3       TEXT,
    del_address_4       TEXT,
    del_address_5       TEXT,
    del_contact_name    TEXT,
    del_telephone       TEXT,
    del_fax             TEXT,
    date_account_opened TEXT NOT NULL,
    created             INTEGER NOT NULL,
    modified            INTEGER NOT NULL
);
CREATE INDEX customer_by_name ON customer(name COLLATE NOCASE);
CREATE INDEX customer_by_email ON customer(e_mail COLLATE NOCASE);
CREATE INDEX customer_by_postcode ON customer(address_5 COLLATE NOCASE);

-- Extra delivery addresses of an account (Sage SALES_DEL_ADDR).
CREATE TABLE delivery_address (
    id           INTEGER PRIMARY KEY,
    account_ref  TEXT NOT NULL REFERENCES customer(account_ref),
    reference    TEXT,
    description  TEXT,
    name         TEXT,
    address_1    TEXT,
    address_2    TEXT,
    address_3    TEXT,
    address_4    TEXT,
    address_5    TEXT,
    country_code TEXT,
    telephone    TEXT,
    fax          TEXT,
    contact_name TEXT,
    e_mail       TEXT
);
CREATE INDEX delivery_address_by_account ON delivery_address(account_ref);

-- Stock records (Sage STOCK).
CREATE TABLE product (
    stock_code          TEXT PRIMARY KEY CHECK (length(stock_code) BETWEEN 1 AND 30),
    description         TEXT,
    web_description     TEXT,
    web_details         TEXT,
    barcode             TEXT,
    image_url           TEXT,
    thumbnail_url       TEXT,
    web_image_file      TEXT,
    web_category_1      TEXT,
    web_category_2      TEXT,
    web_category_3      TEXT,
    sales_price         REAL NOT NULL DEFAULT 0,
    unit_weight         REAL NOT NULL DEFAULT 0,
    qty_in_stock        REAL NOT NULL DEFAULT 0,
    qty_allocated       REAL NOT NULL DEFAULT 0,
    qty_on_order        REAL NOT NULL DEFAULT 0,
    qty_reorder         REAL NOT NULL DEFAULT 0,
    qty_reorder_level   REAL NOT NULL DEFAULT 0,
    tax_code            INTEGER NOT NULL DEFAULT 1,
    stock_cat           INTEGER NOT NULL DEFAULT 0,
    dept_number         INTEGER NOT NULL DEFAULT 0,
    unit_of_sale        TEXT,
    nominal_code        TEXT NOT NULL DEFAULT '4000',
    purchase_nominal_code TEXT,
    web_publish         INTEGER NOT NULL DEFAULT 0,
    web_special         INTEGER NOT NULL DEFAULT 0,
    item_type           TEXT NOT NULL DEFAULT 'Stock',
    purchase_ref        TEXT,
    supplier_part_number TEXT,
    location            TEXT,
    commodity_code      TEXT,
    intrastat_comm_code TEXT,
    last_cost_price     REAL,
    average_cost_price  REAL,
    memo                TEXT,
    created             INTEGER NOT NULL,
    modified            INTEGER NOT NULL
);
CREATE INDEX product_by_created ON product(created);
CREATE INDEX product_by_modified ON product(modified);

-- Sales orders (Sage SALES_ORDER).
CREATE TABLE sales_order (
    order_number        INTEGER PRIMARY KEY CHECK (order_number BETWEEN 1 AND 9999999),
    account_ref         TEXT NOT NULL REFERENCES customer(account_ref),
    order_date          TEXT NOT NULL,
    order_type          TEXT NOT NULL,
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
    allocated_status    TEXT NOT NULL DEFAULT 'None',
    despatch_status     TEXT NOT NULL DEFAULT 'None',
    created             INTEGER NOT NULL,
    modified            INTEGER NOT NULL
);
CREATE INDEX sales_order_by_account ON sales_order(account_ref);

-- Sales order lines (Sage SOP_ITEM).
CREATE TABLE sop_item (
    order_number    INTEGER NOT NULL REFERENCES sales_order(order_number),
    item_number     INTEGER NOT NULL,
    stock_code      TEXT NOT NULL,
    description     TEXT,
    comment_1       TEXT,
    comment_2       TEXT,
    unit_of_sale    TEXT,
    qty_order       REAL NOT NULL,
    qty_allocated   REAL NOT NULL DEFAULT 0,
    qty_despatch    REAL NOT NULL DEFAULT 0,
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
    PRIMARY KEY (order_number, item_number)
);

INSERT INTO setting (key, value) VALUES
    ('base_currency', 'GBP'),
    ('company_country', 'GB'),
    ('default_tax_code', '1'),
    ('default_sales_nominal', '4000'),
    ('carriage_nominal', '4905');

INSERT INTO tax_code (id, code, rate, description, in_vat_return) VALUES
    (0, 'T0', 0,  'Zero rated', 1),
    (1, 'T1', 20, 'Standard rate', 1),
    (2, 'T2', 0,  'Exempt', 1),
    (3, 'T3', 0,  '', 1),
    (4, 'T4', 0,  'Sales of goods to VAT-registered customers in the EC', 1),
    (5, 'T5', 5,  'Lower rate', 1),
    (6, 'T6', 0,  '', 1),
    (7, 'T7', 0,  'Zero-rated purchases of goods from EC suppliers', 1),
    (8, 'T8', 0,  'Standard-rated purchases of goods from EC suppliers', 1),
    (9, 'T9', 0,  'Transactions not involving VAT', 0);

INSERT INTO bank_account (nominal_code, name) VALUES
    ('1200', 'Bank Current Account'),
    ('1210', 'Bank Deposit Account'),
    ('1220', 'Building Society Account'),
    ('1230', 'Petty Cash'),
    ('1240', 'Company Credit Card'),
    ('1250', 'Credit Card Receipts');

INSERT INTO special_product (code, description, tax_code, kind) VALUES
    ('S1', 'Non-stock item, standard rated', 1, 'NonStock'),
    ('S2', 'Non-stock item, zero rated', 0, 'NonStock'),
    ('S3', 'Service item', 1, 'Service'),
    ('M',  'Message line', NULL, 'Message');
