//! Creating records by the list, never twice: a refused list is retried one record at a time to find the culprit, and a lost answer is resolved by searching.
use serde_json::{Value, json};

use super::error::TrytonError;
use super::rpc::{CallError, Session};

/// Why one record of a batch was not created (or a workflow step refused it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refusal {
    /// Tryton's `UserError` message.
    Error(String),
    /// A `UserWarning` zynk does not confirm on the user's behalf.
    Warning(String),
}

impl Refusal {
    pub(super) fn message(&self) -> String {
        match self {
            Refusal::Error(m) => m.clone(),
            Refusal::Warning(m) => format!(
                "Tryton asks to confirm a warning, which zynk does not do on your behalf: {m}"
            ),
        }
    }
}

/// Creates `items` (each with the key it is found by later) in one call; returns the id or
/// the refusal of each, in order.
///
/// A refused list is split in one-record calls so that only the faulty records fail. When
/// the answer to a create is lost, the records are searched by `key_field`: those found
/// count as created; none found is a statement failure (the next run decides again).
pub(super) fn create(
    s: &mut Session,
    model: &str,
    key_field: &str,
    items: Vec<(String, Value)>,
) -> Result<Vec<Result<i64, Refusal>>, TrytonError> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let values: Vec<Value> = items.iter().map(|(_, v)| v.clone()).collect();
    let method = format!("model.{model}.create");
    crate::process::fault::point("tryton:create");
    match s.model(model, "create", vec![Value::Array(values)]) {
        Ok(Value::Array(ids)) if ids.len() == items.len() => Ok(ids
            .iter()
            .map(|id| {
                id.as_i64()
                    .ok_or_else(|| Refusal::Error("Tryton gave no id".into()))
            })
            .collect()),
        Ok(_) => Err(TrytonError::Answer {
            url: s.shown_url.clone(),
            method,
            reason: "create did not answer one id per record".into(),
        }),
        Err(CallError::User(m)) if items.len() == 1 => Ok(vec![Err(Refusal::Error(m))]),
        Err(CallError::Warning(m)) if items.len() == 1 => Ok(vec![Err(Refusal::Warning(m))]),
        Err(CallError::User(_) | CallError::Warning(_)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.extend(create(s, model, key_field, vec![item])?);
            }
            Ok(out)
        }
        Err(CallError::Lost(reason)) => {
            let keys: Vec<&str> = items.iter().map(|(k, _)| k.as_str()).collect();
            let found = s.search_read(model, json!([[key_field, "in", keys]]), &[key_field])?;
            let id_of = |key: &str| {
                found
                    .iter()
                    .find(|r| r.get(key_field).and_then(Value::as_str) == Some(key))
                    .and_then(|r| r.get("id"))
                    .and_then(Value::as_i64)
            };
            let ids: Vec<Option<i64>> = items.iter().map(|(k, _)| id_of(k)).collect();
            if ids.iter().all(Option::is_some) {
                Ok(ids
                    .into_iter()
                    .map(|id| Ok(id.unwrap_or_default()))
                    .collect())
            } else {
                Err(TrytonError::LostAnswer {
                    url: s.shown_url.clone(),
                    what: format!("{} {model} record(s)", items.len()),
                    reason,
                })
            }
        }
        Err(CallError::Fatal(e)) => Err(e),
    }
}

/// Runs a workflow button (`quote`, `confirm`) on `ids`; returns the refusal of each, in
/// order. A refused list is split in one-record calls; a lost answer is left to the caller,
/// which reads the states back.
pub(super) fn button(
    s: &mut Session,
    model: &str,
    button: &str,
    ids: &[i64],
) -> Result<Vec<Option<Refusal>>, TrytonError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    crate::process::fault::point(&format!("tryton:{button}"));
    match s.model(model, button, vec![json!(ids)]) {
        Ok(_) | Err(CallError::Lost(_)) => Ok(vec![None; ids.len()]),
        Err(CallError::User(m)) if ids.len() == 1 => Ok(vec![Some(Refusal::Error(m))]),
        Err(CallError::Warning(m)) if ids.len() == 1 => Ok(vec![Some(Refusal::Warning(m))]),
        Err(CallError::User(_) | CallError::Warning(_)) => {
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.extend(self::button(s, model, button, &[*id])?);
            }
            Ok(out)
        }
        Err(CallError::Fatal(e)) => Err(e),
    }
}
