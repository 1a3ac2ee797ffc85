#!/usr/bin/env python3
"""What a user would otherwise hand-write for the import benchmark: lxml reads the Connect XML
records one at a time (iterparse, each record cleared when done) and Python's sqlite3 inserts
the same rows as the plain rusqlite insert of examples/import_bench.rs into the same ledger
schema, in one transaction. No checks beyond the account's existence, no duplicate
prevention, no success or fail file.

Usage: import_python.py customers XML LEDGER   (LEDGER: an empty ledger, modified in place)
       import_python.py orders XML LEDGER      (LEDGER: a copy of base.sqlite)
"""
import sqlite3
import sys

from lxml import etree


def text(record, path, default=None):
    found = record.find(path)
    if found is None or found.text is None:
        return default
    return found.text


def customers(xml, conn):
    insert = """INSERT INTO customer (account_ref, name, contact_name, address_1, address_2,
        address_3, address_5, country_code, telephone, e_mail, currency, del_name, del_address_1,
        del_address_3, del_address_5, date_account_opened, created, modified)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2024-03-01', 0, 0)"""
    n = 0
    for _, record in etree.iterparse(xml, tag="Customer"):
        inv = "CustomerInvoiceAddress/"
        contact = " ".join(
            t for t in (text(record, inv + f) for f in ("Title", "Forename", "Surname")) if t
        )
        conn.execute(
            insert,
            (
                f"C{n:07}",
                text(record, "CompanyName"),
                contact,
                text(record, inv + "Address1"),
                text(record, inv + "Address2"),
                text(record, inv + "Town"),
                text(record, inv + "Postcode"),
                text(record, inv + "Country"),
                text(record, inv + "Telephone"),
                text(record, inv + "Email"),
                text(record, "Currency", "GBP"),
                text(record, "CustomerDeliveryAddress/Company"),
                text(record, "CustomerDeliveryAddress/Address1"),
                text(record, "CustomerDeliveryAddress/Town"),
                text(record, "CustomerDeliveryAddress/Postcode"),
            ),
        )
        n += 1
        record.clear()
        while record.getprevious() is not None:
            del record.getparent()[0]
    return n


def orders(xml, conn):
    header = """INSERT INTO sales_order (order_number, account_ref, order_date, order_type,
        currency, name, address_1, address_3, address_5, cust_tel_number, items_net, items_tax,
        items_gross, carr_net, carr_tax, carr_gross, invoice_net, invoice_tax, invoice_gross,
        payment_ref, bank_ref, amount_prepaid, payment_type, created, modified)
        VALUES (?, ?, ?, 'ProductInvoice', 'GBP', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
        '1200', ?, ?, 0, 0)"""
    line = """INSERT INTO sop_item (order_number, item_number, stock_code, description,
        qty_order, unit_price, full_net_amount, net_amount, tax_amount, gross_amount, tax_code,
        nominal_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, '4000')"""
    n = 0
    for _, record in etree.iterparse(xml, tag="SalesOrder"):
        n += 1
        account = text(record, "AccountReference")
        if conn.execute("SELECT 1 FROM customer WHERE account_ref = ?", (account,)).fetchone() is None:
            raise SystemExit(f"order {n}: no account {account}")
        lines = []
        for item in record.iterfind("SalesOrderItems/Item"):
            qty = float(text(item, "QtyOrdered", "0"))
            price = float(text(item, "UnitPrice", "0"))
            net = round(qty * price, 2)
            tax = round(net * 0.2, 2)
            lines.append((text(item, "Sku"), text(item, "Name"), qty, price, net, tax))
        items_net = round(sum(l[4] for l in lines), 2)
        items_tax = round(sum(l[5] for l in lines), 2)
        carr_net = float(text(record, "Carriage/UnitPrice", "0"))
        carr_tax = round(carr_net * 0.2, 2)
        address = "SalesOrderAddress/"
        conn.execute(
            header,
            (
                n,
                account,
                text(record, "SalesOrderDate", "")[:10],
                text(record, address + "Company"),
                text(record, address + "Address1"),
                text(record, address + "Town"),
                text(record, address + "Postcode"),
                text(record, address + "Telephone"),
                items_net,
                items_tax,
                round(items_net + items_tax, 2),
                carr_net,
                carr_tax,
                round(carr_net + carr_tax, 2),
                round(items_net + carr_net, 2),
                round(items_tax + carr_tax, 2),
                round(items_net + carr_net + items_tax + carr_tax, 2),
                text(record, "PaymentRef"),
                float(text(record, "PaymentAmount", "0")),
                text(record, "PaymentType"),
            ),
        )
        for i, (sku, name, qty, price, net, tax) in enumerate(lines, 1):
            conn.execute(line, (n, i, sku, name, qty, price, net, net, tax, round(net + tax, 2)))
        record.clear()
        while record.getprevious() is not None:
            del record.getparent()[0]
    return n


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("customers", "orders"):
        raise SystemExit(__doc__)
    kind, xml, ledger = sys.argv[1:]
    conn = sqlite3.connect(ledger, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    n = customers(xml, conn) if kind == "customers" else orders(xml, conn)
    conn.execute("COMMIT")
    conn.close()
    print(f"python {kind}: {n} records")


if __name__ == "__main__":
    main()
