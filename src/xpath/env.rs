//! What an expression can name besides its context node: variables (`$name`) and lookup tables, at compile time ([`Names`]) and at run time ([`Env`]).

use super::value::Value;

/// The static type of a variable, known when an expression using it is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarType {
    /// A node-set: `$lines/line` and `count($lines)` are allowed.
    Nodes,
    String,
    Number,
    Boolean,
}

impl VarType {
    /// The type of a value an expression yields, from [`super::XPath::scalar_result`].
    #[must_use]
    pub fn of(xpath: &super::XPath) -> VarType {
        match xpath.scalar_result() {
            None => VarType::Nodes,
            Some("a number") => VarType::Number,
            Some("a boolean") => VarType::Boolean,
            Some(_) => VarType::String,
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            VarType::Nodes => "a node-set",
            VarType::String => "a string",
            VarType::Number => "a number",
            VarType::Boolean => "a boolean",
        }
    }
}

/// The variables and lookup tables an expression may use, for [`super::compile_with`].
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// `$name` and its type.
    pub variables: Vec<(String, VarType)>,
    /// Tables `lookup('name', key)` may name.
    pub tables: Vec<String>,
}

impl Names {
    pub(crate) fn variable(&self, name: &str) -> Option<VarType> {
        self.variables
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
    }
}

/// The values of variables and the lookup tables while an expression is evaluated, for
/// [`super::XPath::evaluate_in`].
pub trait Env<'a, 'i> {
    /// The value of `$name`; compile-time checks make `None` rare (it evaluates as `''`).
    fn variable(&self, name: &str) -> Option<&Value<'a, 'i>>;
    /// The value `table` maps `key` to.
    fn lookup(&self, table: &str, key: &str) -> Option<&str>;
}

/// No variables and no tables.
pub(crate) struct NoEnv;

impl<'a, 'i> Env<'a, 'i> for NoEnv {
    fn variable(&self, _: &str) -> Option<&Value<'a, 'i>> {
        None
    }
    fn lookup(&self, _: &str, _: &str) -> Option<&str> {
        None
    }
}
