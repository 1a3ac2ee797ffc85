//! The `MapSpec`s of scripts/maps/*.zynk, line for line (the parser lives on another branch).
#![allow(dead_code)]

use super::*;
use zynk::map::MapSpec;

/// `scripts/maps/shopify.zynk`.
pub fn shopify() -> MapSpec {
    spec(vec![
        rule(
            "/orders/order",
            "Customers/Customer",
            vec![
                f("Id", x("customer/id")),
                f("CompanyName", x("billing-address/company")).if_not_empty(),
                f("AccountReference", x("customer/note")).if_not_empty(),
                f("Currency", x("currency")).or(t("GBP")),
                f(
                    "CustomerInvoiceAddress/Forename",
                    x("billing-address/first-name"),
                ),
                f(
                    "CustomerInvoiceAddress/Surname",
                    x("billing-address/last-name"),
                ),
                f(
                    "CustomerInvoiceAddress/Address1",
                    x("billing-address/address1"),
                ),
                f(
                    "CustomerInvoiceAddress/Address2",
                    x("billing-address/address2"),
                )
                .if_not_empty(),
                f("CustomerInvoiceAddress/Town", x("billing-address/city")),
                f(
                    "CustomerInvoiceAddress/County",
                    x("billing-address/province"),
                )
                .if_not_empty(),
                f("CustomerInvoiceAddress/Postcode", x("billing-address/zip")),
                f(
                    "CustomerInvoiceAddress/Country",
                    x("billing-address/country-code"),
                ),
                f(
                    "CustomerInvoiceAddress/Telephone",
                    x("billing-address/phone"),
                )
                .if_not_empty(),
                f("CustomerInvoiceAddress/Email", x("email")),
            ],
        ),
        rule(
            "/orders/order",
            "SalesOrders/SalesOrder",
            vec![
                f("Id", x("id")),
                f("CustomerId", x("customer/id")),
                f("AccountReference", x("customer/note")).if_not_empty(),
                f("CustomerOrderNumber", x("name")),
                f("SalesOrderDate", x("created-at")),
                f("Currency", x("currency")).or(t("GBP")),
                f("Notes1", x("note")).when("string-length(note) > 0"),
                f("TakenBy", t("Shopify")),
                f(
                    "SalesOrderAddress/Forename",
                    x("billing-address/first-name"),
                ),
                f("SalesOrderAddress/Surname", x("billing-address/last-name")),
                f("SalesOrderAddress/Company", x("billing-address/company")).if_not_empty(),
                f("SalesOrderAddress/Address1", x("billing-address/address1")),
                f("SalesOrderAddress/Address2", x("billing-address/address2")).if_not_empty(),
                f("SalesOrderAddress/Town", x("billing-address/city")),
                f("SalesOrderAddress/County", x("billing-address/province")).if_not_empty(),
                f("SalesOrderAddress/Postcode", x("billing-address/zip")),
                f(
                    "SalesOrderAddress/Country",
                    x("billing-address/country-code"),
                ),
                f("SalesOrderAddress/Telephone", x("billing-address/phone")).if_not_empty(),
                f("SalesOrderAddress/Email", x("email")),
                f(
                    "SalesOrderDeliveryAddress/Forename",
                    x("shipping-address/first-name"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Surname",
                    x("shipping-address/last-name"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Company",
                    x("shipping-address/company"),
                )
                .if_not_empty(),
                f(
                    "SalesOrderDeliveryAddress/Address1",
                    x("shipping-address/address1"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Address2",
                    x("shipping-address/address2"),
                )
                .if_not_empty(),
                f("SalesOrderDeliveryAddress/Town", x("shipping-address/city")),
                f(
                    "SalesOrderDeliveryAddress/Postcode",
                    x("shipping-address/zip"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Country",
                    x("shipping-address/country-code"),
                ),
                each(
                    "line-items/line-item",
                    "SalesOrderItems/Item",
                    vec![
                        f("Id", x("id")),
                        f("Sku", x("sku")).or(t("S1")),
                        f("Name", x("title")),
                        f("Description", x("concat(title, ' (', variant-title, ')')"))
                            .when("variant-title != ''"),
                        f("QtyOrdered", x("quantity")),
                        f("UnitPrice", x("price")),
                        f("TaxCode", x("number(taxable = 'true')")),
                        f("Reference", x("../../name")),
                    ],
                ),
                f("Carriage/Name", x("shipping-lines/shipping-line[1]/title")).if_not_empty(),
                f("Carriage/QtyOrdered", t("1")),
                f(
                    "Carriage/UnitPrice",
                    x("sum(shipping-lines/shipping-line/price)"),
                ),
                f("Carriage/TaxCode", t("1")),
            ],
        ),
    ])
}

/// `scripts/maps/magento.zynk`.
pub fn magento() -> MapSpec {
    spec(vec![
        rule(
            "/response/item",
            "Customers/Customer",
            vec![
                f("Id", x("customer_id")).if_not_empty(),
                f(
                    "CompanyName",
                    x("addresses/item[address_type = 'billing']/company"),
                )
                .if_not_empty(),
                f("Currency", x("order_currency_code")).or(t("GBP")),
                f("CustomerInvoiceAddress/Forename", x("customer_firstname")),
                f("CustomerInvoiceAddress/Surname", x("customer_lastname")),
                f(
                    "CustomerInvoiceAddress/Address1",
                    x("normalize-space(addresses/item[address_type = 'billing']/street)"),
                ),
                f(
                    "CustomerInvoiceAddress/Town",
                    x("addresses/item[address_type = 'billing']/city"),
                ),
                f(
                    "CustomerInvoiceAddress/County",
                    x("addresses/item[address_type = 'billing']/region"),
                )
                .if_not_empty(),
                f(
                    "CustomerInvoiceAddress/Postcode",
                    x("addresses/item[address_type = 'billing']/postcode"),
                ),
                f(
                    "CustomerInvoiceAddress/Country",
                    x("addresses/item[address_type = 'billing']/country_id"),
                ),
                f(
                    "CustomerInvoiceAddress/Telephone",
                    x("addresses/item[address_type = 'billing']/telephone"),
                )
                .if_not_empty(),
                f("CustomerInvoiceAddress/Email", x("customer_email")),
            ],
        ),
        rule(
            "/response/item",
            "SalesOrders/SalesOrder",
            vec![
                f("Id", x("increment_id")),
                f("CustomerId", x("customer_id")).if_not_empty(),
                f("CustomerOrderNumber", x("increment_id")),
                f("SalesOrderDate", x("translate(created_at, ' ', 'T')")),
                f("Currency", x("order_currency_code")).or(t("GBP")),
                f("Notes1", x("customer_note")).if_not_empty(),
                f("Notes2", x("concat('Paid by ', payment_method)")),
                f("TakenBy", t("Magento")),
                f(
                    "SalesOrderAddress/Forename",
                    x("addresses/item[address_type = 'billing']/firstname"),
                ),
                f(
                    "SalesOrderAddress/Surname",
                    x("addresses/item[address_type = 'billing']/lastname"),
                ),
                f(
                    "SalesOrderAddress/Company",
                    x("addresses/item[address_type = 'billing']/company"),
                )
                .if_not_empty(),
                f(
                    "SalesOrderAddress/Address1",
                    x("normalize-space(addresses/item[address_type = 'billing']/street)"),
                ),
                f(
                    "SalesOrderAddress/Town",
                    x("addresses/item[address_type = 'billing']/city"),
                ),
                f(
                    "SalesOrderAddress/County",
                    x("addresses/item[address_type = 'billing']/region"),
                )
                .if_not_empty(),
                f(
                    "SalesOrderAddress/Postcode",
                    x("addresses/item[address_type = 'billing']/postcode"),
                ),
                f(
                    "SalesOrderAddress/Country",
                    x("addresses/item[address_type = 'billing']/country_id"),
                ),
                f(
                    "SalesOrderAddress/Telephone",
                    x("addresses/item[address_type = 'billing']/telephone"),
                )
                .if_not_empty(),
                f("SalesOrderAddress/Email", x("customer_email")),
                f(
                    "SalesOrderDeliveryAddress/Forename",
                    x("addresses/item[address_type = 'shipping']/firstname"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Surname",
                    x("addresses/item[address_type = 'shipping']/lastname"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Company",
                    x("addresses/item[address_type = 'shipping']/company"),
                )
                .if_not_empty(),
                f(
                    "SalesOrderDeliveryAddress/Address1",
                    x("normalize-space(addresses/item[address_type = 'shipping']/street)"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Town",
                    x("addresses/item[address_type = 'shipping']/city"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Postcode",
                    x("addresses/item[address_type = 'shipping']/postcode"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Country",
                    x("addresses/item[address_type = 'shipping']/country_id"),
                ),
                each(
                    "order_items/item",
                    "SalesOrderItems/Item",
                    vec![
                        f("Id", x("item_id")),
                        f("Sku", x("sku")).or(t("S1")),
                        f("Name", x("name")),
                        f("QtyOrdered", x("number(qty_ordered)")),
                        f("UnitPrice", x("number(price)")),
                        f("TaxCode", x("number(number(tax_percent) > 0)")),
                    ],
                ),
                f("Carriage/Name", x("shipping_description")).if_not_empty(),
                f("Carriage/QtyOrdered", t("1")),
                f("Carriage/UnitPrice", x("number(shipping_amount)")).or(t("0")),
                f("Carriage/TaxCode", t("1")),
            ],
        ),
    ])
}

/// `scripts/maps/woocommerce.zynk`.
pub fn woocommerce() -> MapSpec {
    spec(vec![
        rule(
            "/orders/order",
            "Customers/Customer",
            vec![
                f("Id", x("customer_id")).when("customer_id != 0"),
                f("CompanyName", x("billing/company")).if_not_empty(),
                f(
                    "VatNumber",
                    x("meta_data/meta[key = '_billing_vat_number']/value"),
                )
                .if_not_empty(),
                f("Currency", x("currency")).or(t("GBP")),
                f("CustomerInvoiceAddress/Forename", x("billing/first_name")),
                f("CustomerInvoiceAddress/Surname", x("billing/last_name")),
                f("CustomerInvoiceAddress/Address1", x("billing/address_1")),
                f("CustomerInvoiceAddress/Address2", x("billing/address_2")).if_not_empty(),
                f("CustomerInvoiceAddress/Town", x("billing/city")),
                f("CustomerInvoiceAddress/County", x("billing/state")).if_not_empty(),
                f("CustomerInvoiceAddress/Postcode", x("billing/postcode")),
                f("CustomerInvoiceAddress/Country", x("billing/country")),
                f("CustomerInvoiceAddress/Telephone", x("billing/phone")).if_not_empty(),
                f("CustomerInvoiceAddress/Email", x("billing/email")),
            ],
        ),
        rule(
            "/orders/order",
            "SalesOrders/SalesOrder",
            vec![
                f("Id", x("@id")),
                f("CustomerId", x("customer_id")).when("customer_id != 0"),
                f("CustomerOrderNumber", x("number")),
                f("SalesOrderDate", x("date_created")),
                f("Currency", x("currency")).or(t("GBP")),
                f("Notes1", x("customer_note")).if_not_empty(),
                f("Notes2", x("payment_method_title")),
                f("Notes3", x("concat('Channel: ', wc:sales_channel)")),
                f("TakenBy", t("WooCommerce")),
                f("SalesOrderAddress/Forename", x("billing/first_name")),
                f("SalesOrderAddress/Surname", x("billing/last_name")),
                f("SalesOrderAddress/Company", x("billing/company")).if_not_empty(),
                f("SalesOrderAddress/Address1", x("billing/address_1")),
                f("SalesOrderAddress/Address2", x("billing/address_2")).if_not_empty(),
                f("SalesOrderAddress/Town", x("billing/city")),
                f("SalesOrderAddress/County", x("billing/state")).if_not_empty(),
                f("SalesOrderAddress/Postcode", x("billing/postcode")),
                f("SalesOrderAddress/Country", x("billing/country")),
                f("SalesOrderAddress/Telephone", x("billing/phone")).if_not_empty(),
                f("SalesOrderAddress/Email", x("billing/email")),
                f(
                    "SalesOrderDeliveryAddress/Forename",
                    x("shipping/first_name"),
                ),
                f("SalesOrderDeliveryAddress/Surname", x("shipping/last_name")),
                f("SalesOrderDeliveryAddress/Company", x("shipping/company")).if_not_empty(),
                f(
                    "SalesOrderDeliveryAddress/Address1",
                    x("shipping/address_1"),
                ),
                f(
                    "SalesOrderDeliveryAddress/Address2",
                    x("shipping/address_2"),
                )
                .if_not_empty(),
                f("SalesOrderDeliveryAddress/Town", x("shipping/city")),
                f("SalesOrderDeliveryAddress/Postcode", x("shipping/postcode")),
                f("SalesOrderDeliveryAddress/Country", x("shipping/country")),
                each(
                    "line_items/line_item",
                    "SalesOrderItems/Item",
                    vec![
                        f("Id", x("id")),
                        f("Sku", x("sku")).or(t("S1")),
                        f("Name", x("name")),
                        f(
                            "Comments",
                            x("concat(meta_data/meta[1]/key, '=', meta_data/meta[1]/value)"),
                        )
                        .when("meta_data/meta"),
                        f("QtyOrdered", x("quantity")),
                        f("UnitPrice", x("price")),
                        f("TaxCode", t("9"))
                            .when("meta_data/meta[key = '_gift_card']/value = 'yes'"),
                        f("TaxCode", t("1"))
                            .when("not(meta_data/meta[key = '_gift_card']/value = 'yes')"),
                    ],
                ),
                f(
                    "Carriage/Name",
                    x("shipping_lines/shipping_line[1]/method_title"),
                )
                .if_not_empty(),
                f("Carriage/QtyOrdered", t("1")),
                f(
                    "Carriage/UnitPrice",
                    x("sum(shipping_lines/shipping_line/total)"),
                ),
                f("Carriage/TaxCode", t("1")),
            ],
        ),
    ])
}
