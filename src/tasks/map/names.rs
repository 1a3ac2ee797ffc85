//! The names a `map` XPath may use while it is checked: the record's lets, the script's params (as `$name`), the block's lookup tables.

use crate::check::scope::{Const, Resolved};
use crate::check::{CheckError, Checker};
use crate::map::Constant;
use crate::source::{Span, Spanned};
use crate::syntax::ast::Expr;
use crate::xpath::{Names, VarType, XPath, XPathError};

/// What is in scope at one point of a `map` block.
#[derive(Debug, Default)]
pub(super) struct MapNames {
    /// Params used as `$name` so far, with their values.
    pub(super) constants: Vec<(String, Constant)>,
    /// Lets of the enclosing `for each` blocks, outermost first.
    pub(super) lets: Vec<(String, VarType)>,
    /// Lookup tables declared so far.
    pub(super) tables: Vec<String>,
}

impl MapNames {
    fn names(&self) -> Names {
        let constants = self.constants.iter().map(|(name, value)| {
            let kind = match value {
                Constant::Text(_) => VarType::String,
                Constant::Number(_) => VarType::Number,
                Constant::Boolean(_) => VarType::Boolean,
            };
            (name.clone(), kind)
        });
        Names {
            variables: constants.chain(self.lets.iter().cloned()).collect(),
            tables: self.tables.clone(),
        }
    }

    /// Compiles the XPath `text` (at `text_span` in the script). A `$name` that is no let
    /// is looked up among the script's params and lets, whose value is then bound to it.
    pub(super) fn compile(
        &mut self,
        text: &str,
        text_span: Span,
        cx: &mut Checker<'_>,
    ) -> Option<XPath> {
        loop {
            let error = match crate::xpath::compile_with(text, &self.names()) {
                Ok(xpath) => return Some(xpath),
                Err(error) => error,
            };
            let XPathError::UnknownVariable { name, span, .. } = &error else {
                cx.error(CheckError::invalid_xpath(&error, text_span));
                return None;
            };
            if !cx.has_var(name) || self.constants.iter().any(|(n, _)| n == name) {
                let error = self.unknown(name, span.clone(), cx);
                cx.error(CheckError::invalid_xpath(&error, text_span));
                return None;
            }
            let name_span = Span::new(text_span.start + span.start + 1, text_span.start + span.end);
            let constant = self.param(name, name_span, cx)?;
            self.constants.push((name.clone(), constant));
        }
    }

    /// `$name` is neither a let here nor a param or let of the script.
    fn unknown(&self, name: &str, span: std::ops::Range<usize>, cx: &Checker<'_>) -> XPathError {
        let mut known: Vec<String> = self.lets.iter().map(|(n, _)| n.clone()).collect();
        known.extend(cx.var_names());
        let help = match crate::suggest::closest(name, known.iter()) {
            Some(close) => format!("did you mean `${close}`?"),
            None if known.is_empty() => format!(
                "declare it first: `let {name} = …` in the `for each`, or `param {name} = …` in the script"
            ),
            None => {
                let list: Vec<String> = known.iter().map(|n| format!("`${n}`")).collect();
                format!("the variables here are {}", list.join(", "))
            }
        };
        XPathError::UnknownVariable {
            name: name.to_owned(),
            span,
            help,
        }
    }

    /// The value of the script's param or let `name`, which must be known when checking.
    fn param(&self, name: &str, span: Span, cx: &mut Checker<'_>) -> Option<Constant> {
        let expr = Expr::Path(Spanned::new(name.to_owned(), span));
        match cx.resolve(&expr)? {
            Resolved::Const(Const::Text(text)) => Some(Constant::Text(text)),
            Resolved::Const(Const::Number(n)) => Some(Constant::Number(n)),
            Resolved::Const(Const::Bool(b)) => Some(Constant::Boolean(b)),
            Resolved::Const(Const::XPath { .. } | Const::Duration(_)) | Resolved::Template(_) => {
                cx.error(CheckError::NotConstant {
                    option: format!("`${name}` in an XPath"),
                    span: span.into(),
                });
                None
            }
        }
    }
}
