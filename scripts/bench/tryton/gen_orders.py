"""Writes N Connect XML sales orders of 3 lines and carriage for one customer, on the
stocked products of PRODUCTS.json: python gen_orders.py N PRODUCTS.json > orders.xml"""
import json
import random
import sys


def main(n, products_file):
    products = [p for p in json.load(open(products_file)) if p.get("qty", 0) > 0]
    rng = random.Random(7)
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<Company>", "<Customers><Customer>",
        "<Id>1</Id><CompanyName>Bench Buyer Ltd</CompanyName>",
        "<AccountReference>BENCH001</AccountReference>",
        "<CustomerInvoiceAddress><Company>Bench Buyer Ltd</Company><Address1>1 Test Street</Address1>",
        "<Town>Leeds</Town><Postcode>LS1 1AA</Postcode><Country>GB</Country></CustomerInvoiceAddress>",
        "</Customer></Customers>", "<SalesOrders>"]
    for i in range(n):
        out.append(f"<SalesOrder><Id>B{i + 1}</Id><AccountReference>BENCH001</AccountReference>")
        out.append("<SalesOrderDate>2026-01-15T10:00:00</SalesOrderDate><SalesOrderItems>")
        for p in rng.sample(products, 3):
            rate = 1 if p.get("rate", 20) == 20 else 0
            out.append(f"<Item><Sku>{p['code']}</Sku><QtyOrdered>{rng.randint(1, 3)}</QtyOrdered>"
                f"<UnitPrice>{p['price']}</UnitPrice><TaxCode>{rate}</TaxCode></Item>")
        out.append("</SalesOrderItems><Carriage><Sku>CARR</Sku><QtyOrdered>1</QtyOrdered>"
            "<UnitPrice>4.95</UnitPrice><TaxCode>1</TaxCode></Carriage></SalesOrder>")
    out += ["</SalesOrders>", "</Company>"]
    print("\n".join(out))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
