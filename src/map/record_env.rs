//! `RecordEnv`: what a `map` XPath's `$name` and `lookup()` see while a record is built — the record's lets, the script's params, the lookup tables.

use crate::xpath::{Env, Value};

use super::lookup::Tables;
use super::spec::Constant;

/// The lets evaluated so far for the record being built, innermost last.
pub(crate) type Lets<'s, 'a, 'i> = Vec<(&'s str, Value<'a, 'i>)>;

/// The params of a spec as XPath values.
pub(crate) fn constant_values(
    constants: &[(String, Constant)],
) -> Vec<(String, Value<'static, 'static>)> {
    constants
        .iter()
        .map(|(name, constant)| {
            let value = match constant {
                Constant::Text(text) => Value::String(text.clone()),
                Constant::Number(n) => Value::Number(*n),
                Constant::Boolean(b) => Value::Boolean(*b),
            };
            (name.clone(), value)
        })
        .collect()
}

/// The variables and tables of one evaluation.
pub(crate) struct RecordEnv<'b, 's, 'a, 'i> {
    pub(crate) lets: &'b [(&'s str, Value<'a, 'i>)],
    pub(crate) constants: &'b [(String, Value<'static, 'static>)],
    pub(crate) tables: &'b Tables,
}

impl<'a, 'i> Env<'a, 'i> for RecordEnv<'_, '_, 'a, 'i> {
    fn variable(&self, name: &str) -> Option<&Value<'a, 'i>> {
        if let Some((_, value)) = self.lets.iter().rev().find(|(n, _)| *n == name) {
            return Some(value);
        }
        self.constants
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }

    fn lookup(&self, table: &str, key: &str) -> Option<&str> {
        self.tables.get(table, key)
    }
}
