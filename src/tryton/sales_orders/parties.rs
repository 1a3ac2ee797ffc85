//! The party of an order, found by code or created, and its invoice and delivery addresses, matched or added.
use serde_json::{Value, json};

use super::OrderRun;
use crate::connect::{Contact, SalesOrder};
use crate::ledger::account_reference;
use crate::state::TRUTH_CUSTOMER;
use crate::tryton::batch;
use crate::tryton::customers::generate_code;
use crate::tryton::error::TrytonError;
use crate::tryton::party::{address, new_party, party_name, street};
use crate::tryton::rpc::Session;
use crate::tryton::values::text;

/// A party as an order needs it: its id, name and addresses.
#[derive(Debug, Clone)]
pub(super) struct PartyRow {
    pub(super) id: i64,
    name: String,
    addresses: Vec<AddressRow>,
}

/// One address of a party.
#[derive(Debug, Clone)]
pub(super) struct AddressRow {
    id: i64,
    street: String,
    postal_code: String,
    invoice: bool,
    delivery: bool,
}

impl OrderRun<'_> {
    /// The code of the order's party: AccountReference, the code an earlier run gave its
    /// CustomerId, `default_account`, or a party created from the order's addresses.
    pub(super) fn party(
        &mut self,
        s: &mut Session,
        order: &SalesOrder,
    ) -> Result<Result<String, String>, TrytonError> {
        let opts = self.opts;
        let mut code = match order.account_reference.as_deref() {
            Some(r) => match account_reference(r) {
                Ok(c) => Some(c),
                Err(e) => return Ok(Err(e)),
            },
            None => match order.customer_id.as_deref() {
                Some(id) => self
                    .files
                    .state
                    .truth_lookup(self.files.workflow, TRUTH_CUSTOMER, id)
                    .map_err(|source| crate::ledger::ImportError::State { source })?,
                None => None,
            },
        };
        if code.is_none() && order.customer_id.is_none() {
            code.clone_from(&opts.default_account);
        }
        if let Some(code) = &code {
            if self.load_party(s, code)? {
                return Ok(Ok(code.clone()));
            }
            if !opts.auto_create_customer {
                return Ok(Err(format!(
                    "party `{code}` is not in Tryton and auto_create_customer is off"
                )));
            }
        } else if !opts.auto_create_customer {
            return Ok(Err(match order.customer_id.as_deref() {
                Some(id) => format!(
                    "customer not found: the order has no AccountReference and CustomerId {id} was not imported by this workflow"
                ),
                None => "customer not found: the order has neither AccountReference nor CustomerId"
                    .to_string(),
            }));
        }
        let code = match code {
            Some(c) => c,
            None => match generate_code(
                s,
                &mut self.codes,
                &opts.customer,
                None,
                order.address.as_ref(),
            )? {
                Ok(c) => c,
                Err(e) => return Ok(Err(e)),
            },
        };
        let Some(name) = party_name(None, order.address.as_ref()) else {
            return Ok(Err(
                "cannot create the party: the order address has no company or contact name".into(),
            ));
        };
        let values = new_party(
            &code,
            &name,
            order.address.as_ref(),
            order.delivery.as_ref(),
            None,
            &self.company,
        );
        match batch::create(s, "party.party", "code", vec![(code.clone(), values)])?.pop() {
            Some(Ok(_)) => {}
            Some(Err(r)) => return Ok(Err(r.message())),
            None => return Ok(Err("Tryton created no party".into())),
        }
        if let Some(id) = order.customer_id.as_deref() {
            self.files
                .state
                .truth_store(self.files.workflow, TRUTH_CUSTOMER, id, &code)
                .map_err(|source| crate::ledger::ImportError::State { source })?;
        }
        self.missing.remove(&code);
        self.load_party(s, &code)?;
        Ok(Ok(code))
    }

    /// Whether Tryton has a party with `code` (read into the run's cache with its addresses).
    pub(super) fn load_party(&mut self, s: &mut Session, code: &str) -> Result<bool, TrytonError> {
        if !self.parties.contains_key(code) && !self.missing.contains(code) {
            self.load_parties(s, vec![code.to_string()])?;
        }
        Ok(self.parties.contains_key(code))
    }

    /// Reads the parties of `codes` not read yet, with their addresses, in two calls.
    pub(super) fn load_parties(
        &mut self,
        s: &mut Session,
        mut codes: Vec<String>,
    ) -> Result<(), TrytonError> {
        codes.retain(|c| !self.parties.contains_key(c) && !self.missing.contains(c));
        codes.sort_unstable();
        codes.dedup();
        if codes.is_empty() {
            return Ok(());
        }
        let rows = s.search_read(
            "party.party",
            json!([["code", "in", codes]]),
            &["code", "name"],
        )?;
        let ids: Vec<i64> = rows
            .iter()
            .filter_map(|r| r.get("id").and_then(Value::as_i64))
            .collect();
        let addresses = if ids.is_empty() {
            Vec::new()
        } else {
            s.search_read(
                "party.address",
                json!([["party", "in", ids]]),
                &["party", "invoice", "delivery", "street", "postal_code"],
            )?
        };
        for row in &rows {
            let (Some(id), Some(code)) = (row.get("id").and_then(Value::as_i64), text(row, "code"))
            else {
                continue;
            };
            let addresses = addresses
                .iter()
                .filter(|a| a.get("party").and_then(Value::as_i64) == Some(id))
                .filter_map(|a| {
                    Some(AddressRow {
                        id: a.get("id")?.as_i64()?,
                        street: text(a, "street").unwrap_or_default(),
                        postal_code: text(a, "postal_code").unwrap_or_default(),
                        invoice: a.get("invoice").is_some_and(truthy),
                        delivery: a.get("delivery").is_some_and(truthy),
                    })
                })
                .collect();
            let name = text(row, "name").unwrap_or_default();
            self.parties.insert(
                code,
                PartyRow {
                    id,
                    name,
                    addresses,
                },
            );
        }
        for code in codes {
            if !self.parties.contains_key(&code) {
                self.missing.insert(code);
            }
        }
        Ok(())
    }

    /// The party's address for the order's invoice (or delivery) address block: the one with
    /// the same street and postcode, else one added to the party; without a block, the
    /// party's address flagged for that use.
    pub(super) fn address(
        &mut self,
        s: &mut Session,
        code: &str,
        contact: Option<&Contact>,
        invoice: bool,
    ) -> Result<Result<Option<i64>, String>, TrytonError> {
        let Some(party) = self.parties.get(code) else {
            return Ok(Ok(None));
        };
        let Some(contact) = contact.filter(|c| !c.is_blank() && !street(c).is_empty()) else {
            let flagged = party
                .addresses
                .iter()
                .find(|a| if invoice { a.invoice } else { a.delivery })
                .or_else(|| party.addresses.first());
            return Ok(Ok(flagged.map(|a| a.id)));
        };
        let wanted = street(contact);
        let postal = contact.postcode.clone().unwrap_or_default();
        if let Some(a) = party
            .addresses
            .iter()
            .find(|a| a.street == wanted && a.postal_code.eq_ignore_ascii_case(&postal))
        {
            return Ok(Ok(Some(a.id)));
        }
        let mut values = address(contact, &party.name, invoice, !invoice, &self.company);
        values["party"] = json!(party.id);
        let party_id = party.id;
        let id = match batch::create(
            s,
            "party.address",
            "party",
            vec![(party_id.to_string(), values)],
        ) {
            Ok(mut r) => match r.pop() {
                Some(Ok(id)) => id,
                Some(Err(refusal)) => return Ok(Err(refusal.message())),
                None => return Ok(Err("Tryton created no address".into())),
            },
            Err(e) => return Err(e),
        };
        if let Some(p) = self.parties.get_mut(code) {
            p.addresses.push(AddressRow {
                id,
                street: wanted,
                postal_code: postal,
                invoice,
                delivery: !invoice,
            });
        }
        Ok(Ok(Some(id)))
    }
}

fn truthy(v: &Value) -> bool {
    v.as_bool()
        .unwrap_or_else(|| v.as_i64().is_some_and(|n| n != 0))
}
