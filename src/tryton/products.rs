//! Products by code (= Sku), read once per run, and goods created for unknown Skus when a category is named.
use std::collections::HashMap;

use serde_json::{Value, json};

use super::batch;
use super::error::TrytonError;
use super::rpc::Session;
use super::values::{decimal, number, text};
use crate::connect::Item;

/// A product as a sale line needs it.
#[derive(Debug, Clone)]
pub(super) struct ProductRow {
    pub(super) id: i64,
    pub(super) name: String,
    /// The unit it is sold in.
    pub(super) unit: i64,
    pub(super) list_price: f64,
}

/// The run's product cache.
pub(super) struct Products {
    by_code: HashMap<String, Option<ProductRow>>,
    /// The accounting category new goods go in (by name), from `product_category`.
    category_name: Option<String>,
    /// The category's id and the unit new goods are sold in, looked up on first use.
    category: Option<(i64, i64)>,
}

const FIELDS: [&str; 5] = ["code", "name", "sale_uom", "default_uom", "list_price_used"];

impl Products {
    pub(super) fn new(category_name: Option<String>) -> Products {
        Products {
            by_code: HashMap::new(),
            category_name,
            category: None,
        }
    }

    /// Reads the products of `codes` not read yet, in one call.
    pub(super) fn prefetch(
        &mut self,
        s: &mut Session,
        codes: &[String],
    ) -> Result<(), TrytonError> {
        let mut wanted: Vec<&str> = codes
            .iter()
            .map(String::as_str)
            .filter(|c| !self.by_code.contains_key(*c))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(());
        }
        let rows = s.search_read("product.product", json!([["code", "in", wanted]]), &FIELDS)?;
        for code in wanted {
            let found = rows
                .iter()
                .find(|r| r.get("code").and_then(Value::as_str) == Some(code))
                .and_then(row);
            self.by_code.insert(code.to_string(), found);
        }
        Ok(())
    }

    /// The product with `code`, created from the item when unknown and `create` is on (and a
    /// category is named); the reason when there is none.
    pub(super) fn get(
        &mut self,
        s: &mut Session,
        code: &str,
        item: &Item,
        create: bool,
    ) -> Result<Result<ProductRow, String>, TrytonError> {
        if !self.by_code.contains_key(code) {
            let rows = s.search_read("product.product", json!([["code", "=", code]]), &FIELDS)?;
            self.by_code
                .insert(code.to_string(), rows.first().and_then(row));
        }
        if let Some(Some(p)) = self.by_code.get(code) {
            return Ok(Ok(p.clone()));
        }
        if !create {
            return Ok(Err(format!(
                "product `{code}` is not in Tryton and auto_create_products is off"
            )));
        }
        let Some(category_name) = self.category_name.clone() else {
            return Ok(Err(format!(
                "product `{code}` is not in Tryton; to create it, name the accounting category of new goods with `product_category` on `ledger tryton`"
            )));
        };
        let (category, unit) = match self.category {
            Some(c) => c,
            None => {
                let c = self.category(s, &category_name)?;
                self.category = Some(c);
                c
            }
        };
        let name = item
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| code.to_string());
        let values = json!({
            "name": name,
            "type": "goods",
            "default_uom": unit,
            "salable": true,
            "sale_uom": unit,
            "list_price": decimal(item.unit_price.unwrap_or(0.0), 4),
            "account_category": category,
            "products": [["create", [{ "suffix_code": code }]]],
        });
        if let Some(Err(refusal)) =
            batch::create(s, "product.template", "name", vec![(name, values)])?.pop()
        {
            return Ok(Err(format!(
                "product `{code}` could not be created: {}",
                refusal.message()
            )));
        }
        let rows = s.search_read("product.product", json!([["code", "=", code]]), &FIELDS)?;
        let found = rows.first().and_then(row);
        self.by_code.insert(code.to_string(), found.clone());
        Ok(found
            .ok_or_else(|| format!("product `{code}` was created but cannot be found by its code")))
    }

    fn category(&mut self, s: &mut Session, name: &str) -> Result<(i64, i64), TrytonError> {
        let database = s.database().to_string();
        let setup = |what: String| TrytonError::Setup {
            database: database.clone(),
            what,
            help: "create it in Tryton, or name another with `product_category` on `ledger tryton`"
                .into(),
        };
        let rows = s.search_read(
            "product.category",
            json!([["name", "=", name], ["accounting", "=", true]]),
            &["name"],
        )?;
        let Some(category) = rows
            .first()
            .and_then(|r| r.get("id"))
            .and_then(Value::as_i64)
        else {
            return Err(setup(format!(
                "no accounting product category is named `{name}`"
            )));
        };
        let units = s.search_read("product.uom", json!([["name", "=", "Unit"]]), &["name"])?;
        let Some(unit) = units
            .first()
            .and_then(|r| r.get("id"))
            .and_then(Value::as_i64)
        else {
            return Err(setup("the unit of measure `Unit` is missing".into()));
        };
        Ok((category, unit))
    }
}

fn row(v: &Value) -> Option<ProductRow> {
    Some(ProductRow {
        id: v.get("id")?.as_i64()?,
        name: text(v, "name").unwrap_or_default(),
        unit: v
            .get("sale_uom")
            .and_then(Value::as_i64)
            .or_else(|| v.get("default_uom").and_then(Value::as_i64))?,
        list_price: v.get("list_price_used").and_then(number).unwrap_or(0.0),
    })
}
