//! `import customers` into Tryton: a `party.party` per customer, found by `code` = AccountReference before anything is created.
use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Value, json};

use super::batch::{self, Refusal};
use super::company::Company;
use super::error::TrytonError;
use super::outputs::Outputs;
use super::party::{new_party, party_name};
use super::rpc::Session;
use crate::connect::{Contact, Customer, Node, RecordReader};
use crate::ledger::{
    CustomerImportOptions, ImportReport, ReferenceRules, account_reference, generate_reference,
    reference_letters, source_text,
};
use crate::state::StateStore;
use crate::state::TRUTH_CUSTOMER;

/// Where an import reads and writes, and for which workflow (whose truth table maps a
/// website's customer `Id` to the code Tryton has).
pub struct Files<'a> {
    pub state: &'a StateStore,
    pub workflow: &'a str,
    pub input: &'a Path,
    pub success: &'a Path,
    pub fail: &'a Path,
}

/// Imports `Company/Customers/Customer` from `files.input` as Tryton parties.
///
/// # Errors
///
/// A statement-level [`TrytonError`]; records Tryton refuses go to the fail file.
pub fn import_customers(
    s: &mut Session,
    files: &Files<'_>,
    opts: &CustomerImportOptions,
    batch_size: usize,
    warehouse: &str,
) -> Result<ImportReport, TrytonError> {
    let mut reader = RecordReader::open(files.input, "Customers", "Customer")
        .map_err(crate::ledger::ImportError::from)?;
    let mut out = Outputs::create(
        files.success,
        files.fail,
        "Customers",
        "Customer",
        opts.encoding,
    )?;
    let company = Company::load(s, warehouse)?;
    let mut codes = Codes::default();
    let mut batch_nodes = Vec::new();
    loop {
        let node = reader
            .next_node()
            .map_err(crate::ledger::ImportError::from)?;
        let end = node.is_none();
        if let Some(node) = node {
            out.report.records += 1;
            batch_nodes.push((out.report.records, node));
        }
        if batch_nodes.len() >= batch_size.max(1) || (end && !batch_nodes.is_empty()) {
            let nodes = std::mem::take(&mut batch_nodes);
            import_batch(s, files, opts, &company, &mut codes, &mut out, nodes)?;
        }
        if end {
            break;
        }
        if crate::process::interrupt::cancelled() {
            return Err(TrytonError::Interrupted);
        }
    }
    Ok(out.finish()?)
}

/// Party codes known in this run: found in Tryton or created by it.
#[derive(Default)]
pub(super) struct Codes {
    known: HashSet<String>,
    /// Codes starting with some letters, read once per letters.
    by_letters: HashMap<String, HashSet<String>>,
}

impl Codes {
    /// Whether a party has `code` (asks Tryton for codes starting with its letters once).
    fn taken(&mut self, s: &mut Session, letters: &str, code: &str) -> Result<bool, TrytonError> {
        if self.known.contains(code) {
            return Ok(true);
        }
        if !self.by_letters.contains_key(letters) {
            let rows = s.search_read(
                "party.party",
                json!([["code", "ilike", format!("{letters}%")]]),
                &["code"],
            )?;
            let found = rows
                .iter()
                .filter_map(|r| r.get("code").and_then(Value::as_str))
                .map(str::to_uppercase)
                .collect();
            self.by_letters.insert(letters.to_string(), found);
        }
        Ok(self
            .by_letters
            .get(letters)
            .is_some_and(|set| set.contains(code)))
    }

    fn remember(&mut self, code: &str) {
        self.known.insert(code.to_string());
    }
}

/// A new code for a customer without one, by the embedded ledger's rules, unique in Tryton.
pub(super) fn generate_code(
    s: &mut Session,
    codes: &mut Codes,
    opts: &CustomerImportOptions,
    company: Option<&str>,
    contact: Option<&Contact>,
) -> Result<Result<String, String>, TrytonError> {
    let rules = ReferenceRules {
        convention: opts.reference_convention,
        alpha_length: opts.alpha_length,
        numeric_length: opts.numeric_length,
        mask: &opts.mask,
    };
    let letters = reference_letters(
        &source_text(opts.reference_convention, company, contact),
        opts.alpha_length,
    );
    let generated = generate_reference(&rules, &letters, 1, |candidate| {
        codes.taken(s, &letters, candidate)
    })?;
    Ok(generated.map(|(code, _)| {
        codes.remember(&code);
        code
    }))
}

/// What became of one customer record before the create.
enum Plan {
    Exists(String),
    Create(String, Value),
    Fail(&'static str, String),
}

fn import_batch(
    s: &mut Session,
    files: &Files<'_>,
    opts: &CustomerImportOptions,
    company: &Company,
    codes: &mut Codes,
    out: &mut Outputs,
    nodes: Vec<(u64, Node)>,
) -> Result<(), TrytonError> {
    let parsed: Vec<Result<Customer, String>> = nodes
        .iter()
        .map(|(_, n)| Customer::from_node(n).map_err(|e| e.to_string()))
        .collect();
    // The codes the records name, or that an earlier run gave their website Id.
    let mut named: Vec<Option<String>> = Vec::with_capacity(parsed.len());
    for c in &parsed {
        let code = match c {
            Ok(c) => match c.account_reference.as_deref() {
                Some(r) => account_reference(r).ok(),
                None => match c.id.as_deref() {
                    Some(id) => files
                        .state
                        .truth_lookup(files.workflow, TRUTH_CUSTOMER, id)
                        .map_err(|source| crate::ledger::ImportError::State { source })?,
                    None => None,
                },
            },
            Err(_) => None,
        };
        named.push(code);
    }
    let wanted: Vec<&str> = named.iter().flatten().map(String::as_str).collect();
    if !wanted.is_empty() {
        for row in s.search_read("party.party", json!([["code", "in", wanted]]), &["code"])? {
            if let Some(code) = row.get("code").and_then(Value::as_str) {
                codes.remember(code);
            }
        }
    }
    let mut plans = Vec::with_capacity(parsed.len());
    let mut created_here = HashSet::new();
    for (customer, code) in parsed.into_iter().zip(named) {
        let customer = match customer {
            Ok(c) => c,
            Err(e) => {
                plans.push(Plan::Fail("Validation", e));
                continue;
            }
        };
        if let Some(r) = customer.account_reference.as_deref()
            && let Err(e) = account_reference(r)
        {
            plans.push(Plan::Fail("Validation", e));
            continue;
        }
        let code = match code {
            Some(code) if codes.known.contains(&code) && !created_here.contains(&code) => {
                plans.push(Plan::Exists(code));
                continue;
            }
            Some(code) => code,
            None if opts.auto_reference => match generate_code(
                s,
                codes,
                opts,
                customer.company_name.as_deref(),
                customer.invoice.as_ref(),
            )? {
                Ok(code) => code,
                Err(e) => {
                    plans.push(Plan::Fail("Validation", e));
                    continue;
                }
            },
            None => {
                plans.push(Plan::Fail(
                    "Validation",
                    "the customer has no AccountReference and auto_reference is off".into(),
                ));
                continue;
            }
        };
        if created_here.contains(&code) {
            plans.push(Plan::Exists(code));
            continue;
        }
        let Some(name) = party_name(customer.company_name.as_deref(), customer.invoice.as_ref())
        else {
            plans.push(Plan::Fail(
                "Validation",
                "the customer has neither CompanyName nor a contact name".into(),
            ));
            continue;
        };
        let values = new_party(
            &code,
            &name,
            customer.invoice.as_ref(),
            customer.delivery.as_ref(),
            customer.vat_number.as_deref(),
            company,
        );
        created_here.insert(code.clone());
        codes.remember(&code);
        plans.push(Plan::Create(code, values));
    }
    let creates: Vec<(String, Value)> = plans
        .iter()
        .filter_map(|p| match p {
            Plan::Create(code, v) => Some((code.clone(), v.clone())),
            _ => None,
        })
        .collect();
    let mut results = batch::create(s, "party.party", "code", creates)?.into_iter();
    for ((index, node), plan) in nodes.into_iter().zip(plans) {
        let label = out.label(&node, index);
        let id = node.text_of("Id").map(str::to_string);
        match plan {
            Plan::Exists(code) => {
                out.again(&with_code(node, &code))?;
            }
            Plan::Create(code, _) => match results.next() {
                Some(Ok(_)) => {
                    if let Some(id) = id {
                        files
                            .state
                            .truth_store(files.workflow, TRUTH_CUSTOMER, &id, &code)
                            .map_err(|source| crate::ledger::ImportError::State { source })?;
                    }
                    out.imported(&with_code(node, &code))?;
                }
                Some(Err(refusal)) => {
                    if let Refusal::Warning(_) = refusal {
                        out.report
                            .warnings
                            .push(format!("{label}: {}", refusal.message()));
                    }
                    out.failed(node, &label, "Tryton", &refusal.message())?;
                }
                None => out.failed(node, &label, "Tryton", "no answer for this record")?,
            },
            Plan::Fail(stage, message) => out.failed(node, &label, stage, &message)?,
        }
    }
    Ok(())
}

/// The record as the success file carries it: with the code Tryton has.
pub(super) fn with_code(mut node: Node, code: &str) -> Node {
    node.set_child_text("AccountReference", code, &["Id", "UniqueId", "CompanyName"]);
    node
}
