//! `SalesOrder` and `Item`: a Connect XML `Company/SalesOrders/SalesOrder` record, typed.
use jiff::civil::DateTime;

use super::contact::Contact;
use super::node::Node;
use super::value::{FieldError, boolean, datetime, integer, number, text};

/// The fields of a sales order that the ledger uses; the record's [`Node`] keeps the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SalesOrder {
    /// `Id`: the website's order id (duplicate key in the truth store).
    pub id: Option<String>,
    /// `CustomerId`: the website's customer id (truth store lookup).
    pub customer_id: Option<String>,
    /// `SalesOrderNumber` (used with manual numbering).
    pub sales_order_number: Option<String>,
    /// `CustomerOrderNumber`
    pub customer_order_number: Option<String>,
    /// `Notes1..3`
    pub notes: [Option<String>; 3],
    /// `ForeignRate`
    pub foreign_rate: Option<f64>,
    /// `Currency`
    pub currency: Option<String>,
    /// `AccountReference`
    pub account_reference: Option<String>,
    /// `SalesOrderDate`
    pub order_date: Option<DateTime>,
    /// `DespatchDate`
    pub despatch_date: Option<DateTime>,
    /// `SalesOrderAddress`
    pub address: Option<Contact>,
    /// `SalesOrderDeliveryAddress`
    pub delivery: Option<Contact>,
    /// `SalesOrderItems/Item`
    pub items: Vec<Item>,
    /// `Carriage`
    pub carriage: Option<Item>,
    /// `SalesOrderType`
    pub order_type: Option<String>,
    /// `TakenBy`
    pub taken_by: Option<String>,
    /// `ConsignmentNo`
    pub consignment_no: Option<String>,
    /// `Courier`
    pub courier: Option<i64>,
    /// `SettlementDays`
    pub settlement_days: Option<i64>,
    /// `SettlementDiscount`
    pub settlement_discount: Option<f64>,
    /// `GlobalNominalCode`
    pub global_nominal_code: Option<String>,
    /// `GlobalDetails`
    pub global_details: Option<String>,
    /// `GlobalTaxCode`
    pub global_tax_code: Option<i64>,
    /// `GlobalDepartment`
    pub global_department: Option<i64>,
    /// `PaymentRef`
    pub payment_ref: Option<String>,
    /// `PaymentAmount`
    pub payment_amount: Option<f64>,
    /// `BankAccount`
    pub bank_account: Option<String>,
    /// `PaymentType` (`SalesReceipt` or `PaymentAlreadyReceived`)
    pub payment_type: Option<String>,
    /// `VatInclusive`
    pub vat_inclusive: Option<bool>,
    /// `Custom1..3`
    pub custom: [Option<String>; 3],
    /// `NetValueDiscount`: a net amount taken off the whole document.
    pub net_value_discount: Option<f64>,
    /// `NetValueDiscountPercent`: a percentage taken off the goods' net.
    pub net_value_discount_percent: Option<f64>,
    /// `NetValueDiscountDescription`
    pub net_value_discount_description: Option<String>,
    /// `NetValueDiscountComment1..2`
    pub net_value_discount_comments: [Option<String>; 2],
}

/// The element names that differ between a sales order and an invoice record, which
/// otherwise share their fields.
#[derive(Debug, Clone, Copy)]
pub struct DocumentNames {
    /// `SalesOrderNumber` / `InvoiceNumber`
    pub number: &'static str,
    /// `SalesOrderDate` / `InvoiceDate`
    pub date: &'static str,
    /// `SalesOrderAddress` / `InvoiceAddress`
    pub address: &'static str,
    /// `SalesOrderDeliveryAddress` / `InvoiceDeliveryAddress`
    pub delivery: &'static str,
    /// `SalesOrderItems` / `InvoiceItems`
    pub items: &'static str,
    /// `SalesOrderType` / `InvoiceType`
    pub kind: &'static str,
}

/// The names of `Company/SalesOrders/SalesOrder`.
pub const SALES_ORDER_NAMES: DocumentNames = DocumentNames {
    number: "SalesOrderNumber",
    date: "SalesOrderDate",
    address: "SalesOrderAddress",
    delivery: "SalesOrderDeliveryAddress",
    items: "SalesOrderItems",
    kind: "SalesOrderType",
};

/// The names of `Company/Invoices/Invoice`.
pub const INVOICE_NAMES: DocumentNames = DocumentNames {
    number: "InvoiceNumber",
    date: "InvoiceDate",
    address: "InvoiceAddress",
    delivery: "InvoiceDeliveryAddress",
    items: "InvoiceItems",
    kind: "InvoiceType",
};

/// An order line (`SalesOrderItems/Item`) or the carriage line (`Carriage`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    /// `Sku`
    pub sku: Option<String>,
    /// `Name`
    pub name: Option<String>,
    /// `Description`
    pub description: Option<String>,
    /// `Comments`
    pub comments: Option<String>,
    /// `UnitOfSale`
    pub unit_of_sale: Option<String>,
    /// `QtyOrdered`
    pub qty_ordered: Option<f64>,
    /// `UnitPrice`
    pub unit_price: Option<f64>,
    /// `UnitDiscountAmount`
    pub unit_discount_amount: Option<f64>,
    /// `UnitDiscountPercentage`
    pub unit_discount_percentage: Option<f64>,
    /// `Reference`
    pub reference: Option<String>,
    /// `TaxCode` (`-1` or missing = not supplied)
    pub tax_code: Option<i64>,
    /// `NominalCode`
    pub nominal_code: Option<String>,
    /// `Department`
    pub department: Option<i64>,
    /// `Text`
    pub text: Option<String>,
    /// `Type`
    pub item_type: Option<String>,
}

impl SalesOrder {
    /// Reads a sales order record; a badly typed field fails the record.
    pub fn from_node(node: &Node) -> Result<SalesOrder, FieldError> {
        Self::from_node_named(node, &SALES_ORDER_NAMES)
    }

    /// Reads a sales order or invoice record, whose element names are `names`.
    pub fn from_node_named(node: &Node, names: &DocumentNames) -> Result<SalesOrder, FieldError> {
        let items = match node.child(names.items) {
            Some(list) => list
                .children_named("Item")
                .map(Item::from_node)
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        let carriage = match node.child("Carriage") {
            Some(c) if !c.nil => Some(Item::from_node(c)?),
            _ => None,
        };
        Ok(SalesOrder {
            id: text(node, "Id"),
            customer_id: text(node, "CustomerId"),
            sales_order_number: text(node, names.number),
            customer_order_number: text(node, "CustomerOrderNumber"),
            notes: [
                text(node, "Notes1"),
                text(node, "Notes2"),
                text(node, "Notes3"),
            ],
            foreign_rate: number(node, "ForeignRate")?,
            currency: text(node, "Currency"),
            account_reference: text(node, "AccountReference"),
            order_date: datetime(node, names.date)?,
            despatch_date: datetime(node, "DespatchDate")?,
            address: node.child(names.address).map(Contact::from_node),
            delivery: node.child(names.delivery).map(Contact::from_node),
            items,
            carriage,
            order_type: text(node, names.kind),
            taken_by: text(node, "TakenBy"),
            consignment_no: text(node, "ConsignmentNo"),
            courier: integer(node, "Courier")?,
            settlement_days: integer(node, "SettlementDays")?,
            settlement_discount: number(node, "SettlementDiscount")?,
            global_nominal_code: text(node, "GlobalNominalCode"),
            global_details: text(node, "GlobalDetails"),
            global_tax_code: integer(node, "GlobalTaxCode")?,
            global_department: integer(node, "GlobalDepartment")?,
            payment_ref: text(node, "PaymentRef"),
            payment_amount: number(node, "PaymentAmount")?,
            bank_account: text(node, "BankAccount"),
            payment_type: text(node, "PaymentType"),
            vat_inclusive: boolean(node, "VatInclusive")?,
            custom: [
                text(node, "Custom1"),
                text(node, "Custom2"),
                text(node, "Custom3"),
            ],
            net_value_discount: number(node, "NetValueDiscount")?,
            net_value_discount_percent: number(node, "NetValueDiscountPercent")?,
            net_value_discount_description: text(node, "NetValueDiscountDescription"),
            net_value_discount_comments: [
                text(node, "NetValueDiscountComment1"),
                text(node, "NetValueDiscountComment2"),
            ],
        })
    }
}

impl Item {
    /// Reads an order line.
    pub fn from_node(node: &Node) -> Result<Item, FieldError> {
        Ok(Item {
            sku: text(node, "Sku"),
            name: text(node, "Name"),
            description: text(node, "Description"),
            comments: text(node, "Comments"),
            unit_of_sale: text(node, "UnitOfSale"),
            qty_ordered: number(node, "QtyOrdered")?,
            unit_price: number(node, "UnitPrice")?,
            unit_discount_amount: number(node, "UnitDiscountAmount")?,
            unit_discount_percentage: number(node, "UnitDiscountPercentage")?,
            reference: text(node, "Reference"),
            tax_code: integer(node, "TaxCode")?.filter(|c| *c >= 0),
            nominal_code: text(node, "NominalCode"),
            department: integer(node, "Department")?,
            text: text(node, "Text"),
            item_type: text(node, "Type"),
        })
    }
}
