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

    # Products and stock by plain creates (no client-side on_change), in chunks.
    config = pconfig.get_config()
    context = config.context
    Uom = Model.get("product.uom")
    unit, = Uom.find([("name", "=", "Unit")])

    def template(code, name, price, kind, rate):
        return {
            "name": name, "type": kind, "default_uom": unit.id,
            "salable": True, "sale_uom": unit.id,
            "list_price": Decimal(str(price)),
            "account_category": categories[rate].id,
            "products": [["create", [{"suffix_code": code}]]],
        }

    templates = [template("CARRIAGE", "Carriage", 0, "service", 20)]
    templates += [template(p["code"], p["name"], p["price"], "goods",
        p.get("rate", 20)) for p in products]
    template_proxy = config.get_proxy("product.template")
    for at in range(0, len(templates), 25):
        template_proxy.create(templates[at:at + 25], context)

    Location = Model.get("stock.location")
    storage, = Location.find([("code", "=", "STO")])
    product_proxy = config.get_proxy("product.product")
    by_code = {p["code"]: p["id"] for p in product_proxy.search_read(
        [("code", "!=", None)], 0, None, None, ["code"], context)}
    lines = [{"product": by_code[p["code"]], "quantity": p["qty"]}
        for p in products if p.get("qty", 0) > 0]
    inventory_proxy = config.get_proxy("stock.inventory")
    inventory, = inventory_proxy.create([{
        "location": storage.id,
        "lines": [["create", lines]],
        }], context)
    inventory_proxy.confirm([inventory], context)

if __name__ == "__main__":
    main(*sys.argv[1:4])
