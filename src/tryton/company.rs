//! What zynk reads once per statement from the Tryton company: currency, taxes, countries, warehouse.
use std::collections::HashMap;

use serde_json::{Value, json};

use super::error::TrytonError;
use super::rpc::Session;
use super::values::{number, text};

/// The company's set-up as the imports need it.
#[derive(Debug)]
pub(super) struct Company {
    pub(super) currency: i64,
    pub(super) currency_code: String,
    /// Top-level percentage taxes: (rate as a fraction, id, name).
    taxes: Vec<(f64, i64, String)>,
    countries: HashMap<String, i64>,
    pub(super) warehouse: i64,
}

/// The rate of a Sage tax code as the embedded ledger seeds it: T1 20 %, T5 5 %, others 0 %.
#[must_use]
pub(super) fn sage_rate(code: i64) -> f64 {
    match code {
        1 => 20.0,
        5 => 5.0,
        _ => 0.0,
    }
}

impl Company {
    pub(super) fn load(s: &mut Session, warehouse: &str) -> Result<Company, TrytonError> {
        let database = s.database().to_string();
        let setup = |what: String, help: &str| TrytonError::Setup {
            database: database.clone(),
            what,
            help: help.to_string(),
        };
        let company = s.company();
        let rows = s.search_read(
            "company.company",
            json!([["id", "=", company]]),
            &["currency", "currency.code"],
        )?;
        let currency = rows
            .first()
            .and_then(|r| r.get("currency"))
            .and_then(Value::as_i64);
        let currency_code = rows
            .first()
            .and_then(|r| r.get("currency.").and_then(|c| text(c, "code")))
            .unwrap_or_default();
        let Some(currency) = currency else {
            return Err(setup(
                "the company has no currency".into(),
                "set the company's currency in Tryton",
            ));
        };
        let taxes = s
            .search_read(
                "account.tax",
                json!([["parent", "=", null], ["type", "=", "percentage"]]),
                &["rate", "name"],
            )?
            .iter()
            .filter_map(|t| {
                Some((
                    number(t.get("rate")?)?,
                    t.get("id")?.as_i64()?,
                    text(t, "name").unwrap_or_default(),
                ))
            })
            .collect();
        let countries = s
            .search_read("country.country", json!([]), &["code"])?
            .iter()
            .filter_map(|c| Some((text(c, "code")?.to_uppercase(), c.get("id")?.as_i64()?)))
            .collect();
        let warehouses = s.search_read(
            "stock.location",
            json!([["type", "=", "warehouse"], ["code", "=", warehouse]]),
            &["code"],
        )?;
        let Some(warehouse_id) = warehouses
            .first()
            .and_then(|w| w.get("id"))
            .and_then(Value::as_i64)
        else {
            return Err(setup(
                format!("no warehouse has the code `{warehouse}`"),
                "create the warehouse, or name another with `warehouse \"CODE\"` on `ledger tryton`",
            ));
        };
        Ok(Company {
            currency,
            currency_code,
            taxes,
            countries,
            warehouse: warehouse_id,
        })
    }

    /// The tax of a Sage tax code, found by its rate; the message when none has it.
    pub(super) fn tax(&self, code: i64) -> Result<(i64, f64), String> {
        let rate = sage_rate(code);
        self.taxes
            .iter()
            .find(|(r, _, _)| (r * 100.0 - rate).abs() < 1e-6)
            .map(|(_, id, _)| (*id, rate))
            .ok_or_else(|| {
                format!(
                    "tax code T{code} is a {rate} % tax and the Tryton company has no percentage tax at {rate} %"
                )
            })
    }

    /// The id of a country by its ISO code.
    pub(super) fn country(&self, code: &str) -> Option<i64> {
        self.countries.get(&code.trim().to_uppercase()).copied()
    }
}
