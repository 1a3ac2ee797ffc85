//! Variables in scope while checking: params, lets and loop variables.
use std::time::Duration;

use super::program::Template;
use crate::source::Span;

/// A value known when the script is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    Text(String),
    Number(f64),
    Duration(Duration),
    Bool(bool),
    XPath { text: String, text_span: Span },
}

impl Const {
    /// How the value is described in messages: "a string", "a number", …
    #[must_use]
    pub fn describe(&self) -> &'static str {
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
pub enum Resolved {
    Const(Const),
    /// Text known only while running (it uses `env(…)` or a loop variable).
    Template(Template),
}

/// A declared variable.
#[derive(Debug, Clone)]
pub struct Var {
    pub name: String,
    pub span: Span,
    pub kind: VarKind,
}

/// What a variable holds.
#[derive(Debug, Clone)]
pub enum VarKind {
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

/// Nested scopes: the script, then one per block.
#[derive(Debug, Default)]
pub struct Scope {
    frames: Vec<Vec<Var>>,
}

impl Scope {
    pub fn push(&mut self) {
        self.frames.push(Vec::new());
    }

    pub fn pop(&mut self) {
        self.frames.pop();
    }

    pub fn define(&mut self, var: Var) {
        if self.frames.is_empty() {
            self.frames.push(Vec::new());
        }
        if let Some(frame) = self.frames.last_mut() {
            frame.push(var);
        }
    }

    #[must_use]
    pub fn lookup(&self, name: &str) -> Option<&Var> {
        self.frames
            .iter()
            .rev()
            .flat_map(|f| f.iter().rev())
            .find(|v| v.name == name)
    }

    /// Every visible name, for suggestions.
    #[must_use]
    pub fn names(&self) -> Vec<String> {
        self.frames
            .iter()
            .flat_map(|f| f.iter().map(|v| v.name.clone()))
            .collect()
    }
}
