"""Sets up a Tryton database so that zynk can post sales into it.

Run with the Python of a venv holding trytond, trytond-sale and proteus, after
`trytond-admin -c CONF -d DB --all -u sale --activate-dependencies`:

    python setup_company.py CONF DB PRODUCTS.json

It creates what a sale needs before it can be confirmed: country GB, currency GBP,
the company "Zynk Demo Ltd", a chart of accounts, a fiscal year with invoice
sequences, VAT taxes at 20 % and 0 %, a direct payment term, an accounting product
category per tax ("Goods 20%", "Goods 0%"), a service product CARRIAGE for carriage
lines, and the products of PRODUCTS.json (a list of {"code", "name", "price",
"qty", "rate"}: rate 20 or 0) with their quantities in the warehouse's storage.
"""
import datetime
import json
import sys
from decimal import Decimal

from proteus import Model, Wizard, config as pconfig
from trytond.modules.account.tests.tools import (
    create_chart, create_fiscalyear, get_accounts)
from trytond.modules.account_invoice.tests.tools import (
    set_fiscalyear_invoice_sequences)
from trytond.modules.company.tests.tools import create_company


def main(conf, database, products_file):
    pconfig.set_trytond(database=database, config_file=conf)
    with open(products_file, encoding="utf-8") as f:
        products = json.load(f)

    Country = Model.get("country.country")
    Currency = Model.get("currency.currency")
    Party = Model.get("party.party")
    Country(name="United Kingdom", code="GB", code3="GBR").save()
    gbp = Currency(name="Pound Sterling", symbol="£", code="GBP",
        rounding=Decimal("0.01"), digits=2)
    gbp.save()

    company_party = Party(name="Zynk Demo Ltd", code="ZYNKDEMO")
    company_party.save()
    create_company(company_party, gbp)
    company = Model.get("company.company").find()[0]

    create_chart(company)
    accounts = get_accounts(company)

    today = datetime.date.today()
    fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear(
        company, (datetime.date(today.year - 1, 1, 1),
            datetime.date(today.year + 1, 12, 31))))
    fiscalyear.click("create_period")

    Tax = Model.get("account.tax")
    taxes = {}
    for rate, name in ((20, "VAT 20%"), (0, "VAT 0%")):
        tax = Tax(name=name, description=name, type="percentage",
            rate=Decimal(rate) / 100, invoice_account=accounts["tax"],
            credit_note_account=accounts["tax"])
        tax.save()
        taxes[rate] = tax

    Term = Model.get("account.invoice.payment_term")
    term = Term(name="Direct")
    term.lines.new(type="remainder")
    term.save()

    Category = Model.get("product.category")
    categories = {}
    for rate in (20, 0):
        category = Category(name=f"Goods {rate}%", accounting=True)
        category.account_revenue = accounts["revenue"]
        category.account_expense = accounts["expense"]
        category.customer_taxes.append(Tax(taxes[rate].id))
        category.save()
        categories[rate] = category

    Uom = Model.get("product.uom")
    unit, = Uom.find([("name", "=", "Unit")])
    Template = Model.get("product.template")

    def template(code, name, price, kind, rate):
        t = Template(name=name, type=kind, default_uom=unit,
            salable=True, sale_uom=unit, list_price=Decimal(str(price)))
        t.account_category = Category(categories[rate].id)
        t.products.new(suffix_code=code)
        return t

    templates = [template("CARRIAGE", "Carriage", 0, "service", 20)]
    templates += [template(p["code"], p["name"], p["price"], "goods",
        p.get("rate", 20)) for p in products]
    Template.save(templates)

    Location = Model.get("stock.location")
    storage, = Location.find([("code", "=", "STO")])
    Product = Model.get("product.product")
    by_code = {p.code: p for p in Product.find([("code", "!=", None)])}
    Inventory = Model.get("stock.inventory")
    inventory = Inventory(location=storage)
    for p in products:
        if p.get("qty", 0) > 0:
            line = inventory.lines.new()
            line.product = Product(by_code[p["code"]].id)
            line.quantity = p["qty"]
    inventory.save()
    inventory.click("confirm")


if __name__ == "__main__":
    main(*sys.argv[1:4])
