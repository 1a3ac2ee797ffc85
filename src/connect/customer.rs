//! `Customer`: a Connect XML `Company/Customers/Customer` record, typed.
use jiff::civil::DateTime;

use super::contact::Contact;
use super::fields::Fields;
use super::node::Node;
use super::value::{FieldError, boolean_in, datetime_in, integer_in, number_in};

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
    /// Reads a customer record; a badly typed field fails the record (the first such field in
    /// the order of the struct's fields).
    pub fn from_node(node: &Node) -> Result<Customer, FieldError> {
        use Field as F;
        let f = Fields::<{ F::COUNT }>::collect(node, |name| F::of(name).map(|s| s as usize));
        let s = |field: F| f.str(field as usize);
        let t = |field: F| f.text(field as usize);
        Ok(Customer {
            id: t(F::Id),
            company_name: t(F::CompanyName),
            account_reference: t(F::AccountReference),
            vat_number: t(F::VatNumber),
            credit_limit: number_in(node, "CreditLimit", s(F::CreditLimit))?,
            invoice: f
                .node(F::CustomerInvoiceAddress as usize)
                .map(Contact::from_node),
            delivery: f
                .node(F::CustomerDeliveryAddress as usize)
                .map(Contact::from_node),
            currency: t(F::Currency),
            terms_agreed: boolean_in(node, "TermsAgreed", s(F::TermsAgreed))?,
            price_list_reference: t(F::PriceListReference),
            account_status: integer_in(node, "AccountStatus", s(F::AccountStatus))?,
            analysis: [t(F::Analysis1), t(F::Analysis2), t(F::Analysis3)],
            memo: t(F::Memo),
            nominal_code: t(F::NominalCode),
            tax_code: integer_in(node, "TaxCode", s(F::TaxCode))?,
            account_on_hold: boolean_in(node, "AccountOnHold", s(F::AccountOnHold))?,
            settlement_days: integer_in(node, "SettlementDays", s(F::SettlementDays))?,
            settlement_discount: number_in(node, "SettlementDiscount", s(F::SettlementDiscount))?,
            payment_days: integer_in(node, "PaymentDays", s(F::PaymentDays))?,
            terms: t(F::Terms),
            account_opened: datetime_in(node, "AccountOpened", s(F::AccountOpened))?,
            create_only: boolean_in(node, "CreateOnly", s(F::CreateOnly))?,
        })
    }
}

/// The child elements [`Customer::from_node`] reads, one slot each.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Id,
    CompanyName,
    AccountReference,
    VatNumber,
    CreditLimit,
    CustomerInvoiceAddress,
    CustomerDeliveryAddress,
    Currency,
    TermsAgreed,
    PriceListReference,
    AccountStatus,
    Analysis1,
    Analysis2,
    Analysis3,
    Memo,
    NominalCode,
    TaxCode,
    AccountOnHold,
    SettlementDays,
    SettlementDiscount,
    PaymentDays,
    Terms,
    AccountOpened,
    CreateOnly,
}

impl Field {
    const COUNT: usize = Field::CreateOnly as usize + 1;

    /// The slot of element `name`, if the customer reads it.
    fn of(name: &str) -> Option<Field> {
        use Field as F;
        Some(match name {
            "Id" => F::Id,
            "CompanyName" => F::CompanyName,
            "AccountReference" => F::AccountReference,
            "VatNumber" => F::VatNumber,
            "CreditLimit" => F::CreditLimit,
            "CustomerInvoiceAddress" => F::CustomerInvoiceAddress,
            "CustomerDeliveryAddress" => F::CustomerDeliveryAddress,
            "Currency" => F::Currency,
            "TermsAgreed" => F::TermsAgreed,
            "PriceListReference" => F::PriceListReference,
            "AccountStatus" => F::AccountStatus,
            "Analysis1" => F::Analysis1,
            "Analysis2" => F::Analysis2,
            "Analysis3" => F::Analysis3,
            "Memo" => F::Memo,
            "NominalCode" => F::NominalCode,
            "TaxCode" => F::TaxCode,
            "AccountOnHold" => F::AccountOnHold,
            "SettlementDays" => F::SettlementDays,
            "SettlementDiscount" => F::SettlementDiscount,
            "PaymentDays" => F::PaymentDays,
            "Terms" => F::Terms,
            "AccountOpened" => F::AccountOpened,
            "CreateOnly" => F::CreateOnly,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::value::text;

    #[test]
    fn one_pass_reads_what_a_scan_per_field_reads() -> Result<(), FieldError> {
        let node = Node::new("Customer")
            .with(Node::leaf("CompanyName", " Acme "))
            .with(Node::nil("Id"))
            .with(Node::leaf("Id", "7"))
            .with(Node::leaf("TaxCode", "1"))
            .with(Node::leaf("Analysis3", "c"))
            .with(Node::leaf("TermsAgreed", "TRUE"))
            .with(Node::new("CustomerInvoiceAddress").with(Node::leaf("PostCode", "NE1")))
            .with(Node::leaf("Unknown", "x"));
        let c = Customer::from_node(&node)?;
        assert_eq!(c.id, text(&node, "Id"));
        assert_eq!(c.company_name.as_deref(), Some("Acme"));
        assert_eq!(c.tax_code, Some(1));
        assert_eq!(c.analysis, [None, None, Some("c".to_string())]);
        assert_eq!(c.terms_agreed, Some(true));
        assert_eq!(c.invoice.and_then(|i| i.postcode).as_deref(), Some("NE1"));
        let bad = Node::new("Customer")
            .with(Node::leaf("CreateOnly", "maybe"))
            .with(Node::leaf("CreditLimit", "lots"));
        let err = Customer::from_node(&bad).err().map(|e| e.field);
        assert_eq!(err.as_deref(), Some("Customer/CreditLimit"));
        Ok(())
    }
}
