//! `Customer`: a Connect XML `Company/Customers/Customer` record, typed.
use jiff::civil::DateTime;

use super::contact::Contact;
use super::node::Node;
use super::value::{FieldError, boolean, datetime, integer, number, text};

/// The fields of a customer record that the ledger uses; the record's [`Node`] keeps the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Customer {
    /// `Id`: the website's id for the customer (truth store key).
    pub id: Option<String>,
    /// `CompanyName`
    pub company_name: Option<String>,
    /// `AccountReference`
    pub account_reference: Option<String>,
    /// `VatNumber`
    pub vat_number: Option<String>,
    /// `CreditLimit`
    pub credit_limit: Option<f64>,
    /// `CustomerInvoiceAddress`
    pub invoice: Option<Contact>,
    /// `CustomerDeliveryAddress`
    pub delivery: Option<Contact>,
    /// `Currency`
    pub currency: Option<String>,
    /// `TermsAgreed`
    pub terms_agreed: Option<bool>,
    /// `PriceListReference`
    pub price_list_reference: Option<String>,
    /// `AccountStatus`
    pub account_status: Option<i64>,
    /// `Analysis1..3`
    pub analysis: [Option<String>; 3],
    /// `Memo`
    pub memo: Option<String>,
    /// `NominalCode`
    pub nominal_code: Option<String>,
    /// `TaxCode` (number, `1` = T1)
    pub tax_code: Option<i64>,
    /// `AccountOnHold`
    pub account_on_hold: Option<bool>,
    /// `SettlementDays`
    pub settlement_days: Option<i64>,
    /// `SettlementDiscount`
    pub settlement_discount: Option<f64>,
    /// `PaymentDays`
    pub payment_days: Option<i64>,
    /// `Terms`
    pub terms: Option<String>,
    /// `AccountOpened`
    pub account_opened: Option<DateTime>,
    /// `CreateOnly`: leave an existing account unchanged (open question 26).
    pub create_only: Option<bool>,
}

impl Customer {
    /// Reads a customer record; a badly typed field fails the record.
    pub fn from_node(node: &Node) -> Result<Customer, FieldError> {
        Ok(Customer {
            id: text(node, "Id"),
            company_name: text(node, "CompanyName"),
            account_reference: text(node, "AccountReference"),
            vat_number: text(node, "VatNumber"),
            credit_limit: number(node, "CreditLimit")?,
            invoice: node.child("CustomerInvoiceAddress").map(Contact::from_node),
            delivery: node
                .child("CustomerDeliveryAddress")
                .map(Contact::from_node),
            currency: text(node, "Currency"),
            terms_agreed: boolean(node, "TermsAgreed")?,
            price_list_reference: text(node, "PriceListReference"),
            account_status: integer(node, "AccountStatus")?,
            analysis: [
                text(node, "Analysis1"),
                text(node, "Analysis2"),
                text(node, "Analysis3"),
            ],
            memo: text(node, "Memo"),
            nominal_code: text(node, "NominalCode"),
            tax_code: integer(node, "TaxCode")?,
            account_on_hold: boolean(node, "AccountOnHold")?,
            settlement_days: integer(node, "SettlementDays")?,
            settlement_discount: number(node, "SettlementDiscount")?,
            payment_days: integer(node, "PaymentDays")?,
            terms: text(node, "Terms"),
            account_opened: datetime(node, "AccountOpened")?,
            create_only: boolean(node, "CreateOnly")?,
        })
    }
}
