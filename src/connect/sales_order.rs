//! `SalesOrder` and `Item`: a Connect XML `Company/SalesOrders/SalesOrder` record, typed.
use jiff::civil::DateTime;

use super::contact::Contact;
use super::fields::Fields;
use super::node::Node;
use super::value::{
    FieldError, boolean_in, datetime_in, integer, integer_in, number, number_in, text,
};

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
        use OrderField as F;
        let f =
            Fields::<{ F::COUNT }>::collect(node, |name| F::of(name, names).map(|s| s as usize));
        let s = |field: F| f.str(field as usize);
        let t = |field: F| f.text(field as usize);
        let items = match f.node(F::Items as usize) {
            Some(list) => list
                .children_named("Item")
                .map(Item::from_node)
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        let carriage = match f.node(F::Carriage as usize) {
            Some(c) if !c.nil => Some(Item::from_node(c)?),
            _ => None,
        };
        Ok(SalesOrder {
            id: t(F::Id),
            customer_id: t(F::CustomerId),
            sales_order_number: t(F::Number),
            customer_order_number: t(F::CustomerOrderNumber),
            notes: [t(F::Notes1), t(F::Notes2), t(F::Notes3)],
            foreign_rate: number_in(node, "ForeignRate", s(F::ForeignRate))?,
            currency: t(F::Currency),
            account_reference: t(F::AccountReference),
            order_date: datetime_in(node, names.date, s(F::Date))?,
            despatch_date: datetime_in(node, "DespatchDate", s(F::DespatchDate))?,
            address: f.node(F::Address as usize).map(Contact::from_node),
            delivery: f.node(F::Delivery as usize).map(Contact::from_node),
            items,
            carriage,
            order_type: t(F::Kind),
            taken_by: t(F::TakenBy),
            consignment_no: t(F::ConsignmentNo),
            courier: integer_in(node, "Courier", s(F::Courier))?,
            settlement_days: integer_in(node, "SettlementDays", s(F::SettlementDays))?,
            settlement_discount: number_in(node, "SettlementDiscount", s(F::SettlementDiscount))?,
            global_nominal_code: t(F::GlobalNominalCode),
            global_details: t(F::GlobalDetails),
            global_tax_code: integer_in(node, "GlobalTaxCode", s(F::GlobalTaxCode))?,
            global_department: integer_in(node, "GlobalDepartment", s(F::GlobalDepartment))?,
            payment_ref: t(F::PaymentRef),
            payment_amount: number_in(node, "PaymentAmount", s(F::PaymentAmount))?,
            bank_account: t(F::BankAccount),
            payment_type: t(F::PaymentType),
            vat_inclusive: boolean_in(node, "VatInclusive", s(F::VatInclusive))?,
            custom: [t(F::Custom1), t(F::Custom2), t(F::Custom3)],
            net_value_discount: number_in(node, "NetValueDiscount", s(F::NetValueDiscount))?,
            net_value_discount_percent: number_in(
                node,
                "NetValueDiscountPercent",
                s(F::NetValueDiscountPercent),
            )?,
            net_value_discount_description: t(F::NetValueDiscountDescription),
            net_value_discount_comments: [
                t(F::NetValueDiscountComment1),
                t(F::NetValueDiscountComment2),
            ],
        })
    }
}

/// The child elements [`SalesOrder::from_node_named`] reads, one slot each.
#[derive(Debug, Clone, Copy, PartialEq)]
enum OrderField {
    Id,
    CustomerId,
    Number,
    CustomerOrderNumber,
    Notes1,
    Notes2,
    Notes3,
    ForeignRate,
    Currency,
    AccountReference,
    Date,
    DespatchDate,
    Address,
    Delivery,
    Items,
    Carriage,
    Kind,
    TakenBy,
    ConsignmentNo,
    Courier,
    SettlementDays,
    SettlementDiscount,
    GlobalNominalCode,
    GlobalDetails,
    GlobalTaxCode,
    GlobalDepartment,
    PaymentRef,
    PaymentAmount,
    BankAccount,
    PaymentType,
    VatInclusive,
    Custom1,
    Custom2,
    Custom3,
    NetValueDiscount,
    NetValueDiscountPercent,
    NetValueDiscountDescription,
    NetValueDiscountComment1,
    NetValueDiscountComment2,
}

impl OrderField {
    const COUNT: usize = OrderField::NetValueDiscountComment2 as usize + 1;

    /// The slot of element `name` in a document named by `names`, if the order reads it.
    fn of(name: &str, names: &DocumentNames) -> Option<OrderField> {
        use OrderField as F;
        Some(match name {
            "Id" => F::Id,
            "CustomerId" => F::CustomerId,
            "CustomerOrderNumber" => F::CustomerOrderNumber,
            "Notes1" => F::Notes1,
            "Notes2" => F::Notes2,
            "Notes3" => F::Notes3,
            "ForeignRate" => F::ForeignRate,
            "Currency" => F::Currency,
            "AccountReference" => F::AccountReference,
            "DespatchDate" => F::DespatchDate,
            "Carriage" => F::Carriage,
            "TakenBy" => F::TakenBy,
            "ConsignmentNo" => F::ConsignmentNo,
            "Courier" => F::Courier,
            "SettlementDays" => F::SettlementDays,
            "SettlementDiscount" => F::SettlementDiscount,
            "GlobalNominalCode" => F::GlobalNominalCode,
            "GlobalDetails" => F::GlobalDetails,
            "GlobalTaxCode" => F::GlobalTaxCode,
            "GlobalDepartment" => F::GlobalDepartment,
            "PaymentRef" => F::PaymentRef,
            "PaymentAmount" => F::PaymentAmount,
            "BankAccount" => F::BankAccount,
            "PaymentType" => F::PaymentType,
            "VatInclusive" => F::VatInclusive,
            "Custom1" => F::Custom1,
            "Custom2" => F::Custom2,
            "Custom3" => F::Custom3,
            "NetValueDiscount" => F::NetValueDiscount,
            "NetValueDiscountPercent" => F::NetValueDiscountPercent,
            "NetValueDiscountDescription" => F::NetValueDiscountDescription,
            "NetValueDiscountComment1" => F::NetValueDiscountComment1,
            "NetValueDiscountComment2" => F::NetValueDiscountComment2,
            n if n == names.number => F::Number,
            n if n == names.date => F::Date,
            n if n == names.address => F::Address,
            n if n == names.delivery => F::Delivery,
            n if n == names.items => F::Items,
            n if n == names.kind => F::Kind,
            _ => return None,
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
