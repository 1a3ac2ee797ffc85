"""What a user would write instead of zynk: proteus, in-process on the database, one sale at
a time (create with its lines, quote, confirm), reading the same orders.xml.

    python proteus_one_by_one.py trytond.conf DB orders.xml   → prints "N orders in S s"
"""
import sys
import time
import xml.etree.ElementTree as ET
from decimal import Decimal

from proteus import Model, config as pconfig


def main(conf, database, orders_file):
    pconfig.set_trytond(database=database, config_file=conf)
    Party = Model.get("party.party")
    Product = Model.get("product.product")
    Sale = Model.get("sale.sale")
    Tax = Model.get("account.tax")
    root = ET.parse(orders_file).getroot()
    customer = root.find("Customers/Customer")
    party = Party(name=customer.findtext("CompanyName"),
        code=customer.findtext("AccountReference"))
    address = party.addresses[0]
    address.street = customer.findtext("CustomerInvoiceAddress/Address1")
    address.city = customer.findtext("CustomerInvoiceAddress/Town")
    party.save()
    taxes = {1: Tax.find([("rate", "=", Decimal("0.2"))])[0],
        0: Tax.find([("rate", "=", Decimal("0"))])[0]}
    products = {}

    def product(code):
        if code not in products:
            products[code], = Product.find([("code", "=", code)])
        return products[code]

    orders = root.findall("SalesOrders/SalesOrder")
    started = time.time()
    for order in orders:
        sale = Sale(party=party, reference=order.findtext("Id"))
        for item in order.findall("SalesOrderItems/Item"):
            line = sale.lines.new()
            line.product = product(item.findtext("Sku"))
            line.quantity = float(item.findtext("QtyOrdered"))
            line.unit_price = Decimal(item.findtext("UnitPrice")).quantize(Decimal("0.0001"))
            line.taxes.clear()
            line.taxes.append(Tax(taxes[int(item.findtext("TaxCode"))].id))
        carriage = order.find("Carriage")
        line = sale.lines.new()
        line.product = product("CARRIAGE")
        line.quantity = 1
        line.unit_price = Decimal(carriage.findtext("UnitPrice"))
        sale.save()
        sale.click("quote")
        sale.click("confirm")
    elapsed = time.time() - started
    done = Sale.find([("state", "in", ["confirmed", "processing"])])
    print(f"{len(done)} orders in {elapsed:.2f} s")


if __name__ == "__main__":
    main(*sys.argv[1:4])
