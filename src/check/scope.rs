//! Variables in scope while checking: params, lets and loop variables.
use std::collections::HashMap;
use std::time::Duration;

use super::program::Template;
use crate::source::Span;

/// A value known when the script is checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Const {
    Text(String),
    Number(f64),
    Duration(Duration),
    Bool(bool),
    XPath { text: String, text_span: Span },
}

impl Const {
    /// How the value is described in messages: "a string", "a number", …
    #[must_use]
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Const::Text(_) => "a string",
            Const::Number(_) => "a number",
            Const::Duration(_) => "a duration",
            Const::Bool(_) => "a boolean",
            Const::XPath { .. } => "an XPath",
        }
    }
}

/// What a name or expression stands for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Resolved {
    Const(Const),
    /// Text known only while running (it uses `env(…)` or a loop variable).
    Template(Template),
}

/// A declared variable.
#[derive(Debug, Clone)]
pub(crate) struct Var {
    pub name: String,
    pub span: Span,
    pub kind: VarKind,
}

/// What a variable holds.
#[derive(Debug, Clone)]
pub(crate) enum VarKind {
    Value(Resolved),
    /// A `foreach` file.
    File,
    /// A `foreach` record of an XML file.
    Record,
    /// A named statement (`… as orders`) and the results it reports.
    Result {
        statement: String,
        fields: &'static [(&'static str, &'static str)],
    },
}

/// Nested scopes: the script, then one per block. Each name is found in constant time,
/// so a script with thousands of variables checks in linear time.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    /// Every visible variable, outer scopes first.
    vars: Vec<Var>,
    /// Where each open scope starts in `vars`.
    frames: Vec<usize>,
    /// Where each name is defined in `vars`, innermost last.
    by_name: HashMap<String, Vec<usize>>,
}

impl Scope {
    pub(crate) fn push(&mut self) {
        self.frames.push(self.vars.len());
    }

    pub(crate) fn pop(&mut self) {
        let start = self.frames.pop().unwrap_or(0);
        while self.vars.len() > start {
            let Some(var) = self.vars.pop() else { break };
            if let Some(at) = self.by_name.get_mut(&var.name) {
                at.pop();
                if at.is_empty() {
                    self.by_name.remove(&var.name);
                }
            }
        }
    }

    pub(crate) fn define(&mut self, var: Var) {
        if self.frames.is_empty() {
            self.frames.push(0);
        }
        self.by_name
            .entry(var.name.clone())
            .or_default()
            .push(self.vars.len());
        self.vars.push(var);
    }

    #[must_use]
    pub(crate) fn lookup(&self, name: &str) -> Option<&Var> {
        let at = *self.by_name.get(name)?.last()?;
        self.vars.get(at)
    }

    /// Every visible name, for suggestions.
    #[must_use]
    pub(crate) fn names(&self) -> Vec<String> {
        self.vars.iter().map(|v| v.name.clone()).collect()
    }
}
