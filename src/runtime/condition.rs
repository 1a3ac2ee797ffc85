//! Evaluating the conditions of `if` while running.
use super::{RunCode, RunError, Runtime};
use crate::check::Template;
use crate::check::condition::{CompareOp, Condition, Operand};
use crate::source::Span;

/// A value an operand has while running.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Number(f64),
    Bool(bool),
    Text(String),
}

impl Runtime<'_> {
    /// Whether `condition` holds now.
    pub fn holds(&self, condition: &Condition) -> Result<bool, RunError> {
        Ok(match condition {
            Condition::And(a, b) => self.holds(a)? && self.holds(b)?,
            Condition::Or(a, b) => self.holds(a)? || self.holds(b)?,
            Condition::Not(c) => !self.holds(c)?,
            Condition::Is(operand) => match self.value(operand)? {
                Value::Bool(b) => b,
                Value::Number(n) => n != 0.0,
                Value::Text(t) => !t.is_empty(),
            },
            Condition::Compare {
                op,
                left,
                right,
                span,
            } => {
                let (a, b) = (self.value(left)?, self.value(right)?);
                compare(*op, a, b, *span)?
            }
        })
    }

    fn value(&self, operand: &Operand) -> Result<Value, RunError> {
        Ok(match operand {
            Operand::Number(n) => Value::Number(*n),
            Operand::Bool(b) => Value::Bool(*b),
            Operand::Text(t) => Value::Text(t.clone()),
            Operand::Runtime(t) => Value::Text(self.render(t)?.text),
            Operand::Result(t) => {
                let text = self.render(t)?.text;
                Value::Number(text.parse().unwrap_or_default())
            }
            Operand::Exists(file) => Value::Bool(self.path(file)?.exists()),
            Operand::Size(file) => {
                let path = self.path(file)?;
                let meta = std::fs::metadata(&path)
                    .map_err(|_| RunError::not_found(&path, file.span, "the file to measure"))?;
                #[allow(clippy::cast_precision_loss)]
                Value::Number(meta.len() as f64)
            }
            Operand::Count { xpath, file } =>
            {
                #[allow(clippy::cast_precision_loss)]
                Value::Number(self.count(xpath, file)? as f64)
            }
        })
    }

    /// How many nodes `xpath` selects in the XML file: streamed in constant memory for a
    /// path of child steps, from a tree otherwise.
    fn count(&self, xpath: &crate::xpath::XPath, file: &Template) -> Result<u64, RunError> {
        let path = self.path(file)?;
        if !path.is_file() {
            return Err(RunError::not_found(
                &path,
                file.span,
                "the file to count in",
            ));
        }
        let failed = |e: &dyn miette::Diagnostic| {
            RunError::from_diagnostic(
                e,
                crate::process::FailureKind::Fail,
                file.span,
                "counting in this file",
            )
        };
        if let Some(steps) = xpath.child_steps().filter(|p| p.absolute) {
            return crate::split::for_each_record(&path, &steps, |_| {
                std::ops::ControlFlow::Continue(())
            })
            .map_err(|e| failed(&e));
        }
        let text = crate::xml_input::read_text(&path).map_err(|e| match e {
            crate::xml_input::SourceError::Io(e) => RunError::io(&e, "read", &path, file.span),
            crate::xml_input::SourceError::Encoding(e) => failed(&e),
        })?;
        let doc = roxmltree::Document::parse(&text).map_err(|e| {
            RunError::raise(
                RunCode::Record,
                format!("`{}` is not well-formed XML: {e}", self.show(&path)),
                file.span,
                "counting in this file",
            )
        })?;
        match xpath.evaluate(doc.root()) {
            Ok(crate::xpath::Value::Nodes(nodes)) => Ok(nodes.len() as u64),
            Ok(_) => Ok(0),
            Err(e) => Err(failed(&e)),
        }
    }
}

pub(crate) fn compare(op: CompareOp, a: Value, b: Value, span: Span) -> Result<bool, RunError> {
    let number = |v: Value| -> Result<f64, RunError> {
        match v {
            Value::Number(n) => Ok(n),
            Value::Text(t) => t.trim().parse().map_err(|_| {
                RunError::raise(
                    RunCode::NotANumber,
                    format!("`{t}` is not a number"),
                    span,
                    "compared with a number here",
                )
                .with_help("the text is read as a number because the other side is one")
            }),
            Value::Bool(b) => Ok(f64::from(u8::from(b))),
        }
    };
    let ordering = match (&a, &b) {
        (Value::Number(_), _) | (_, Value::Number(_)) => {
            let (x, y) = (number(a)?, number(b)?);
            x.partial_cmp(&y)
        }
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    };
    let Some(ordering) = ordering else {
        return Ok(op == CompareOp::Ne);
    };
    use std::cmp::Ordering::{Equal, Greater, Less};
    Ok(match op {
        CompareOp::Eq => ordering == Equal,
        CompareOp::Ne => ordering != Equal,
        CompareOp::Lt => ordering == Less,
        CompareOp::Le => ordering != Greater,
        CompareOp::Gt => ordering == Greater,
        CompareOp::Ge => ordering != Less,
    })
}
