//! The conditions of `if`, evaluated when they can be known before the run.
use std::path::Path;

use super::Planner;
use crate::check::condition::{Condition, Operand};
use crate::runtime::condition::{Value, compare};

/// A condition's value before the run: known, or known only while running because of the
/// statement on `depends_on` (a file it writes, a result it gives).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub holds: Option<bool>,
    pub depends_on: Option<usize>,
}

impl Known {
    fn value(holds: bool) -> Known {
        Known {
            holds: Some(holds),
            depends_on: None,
        }
    }

    fn unknown(depends_on: Option<usize>) -> Known {
        Known {
            holds: None,
            depends_on,
        }
    }
}

impl Planner<'_> {
    /// Whether `condition` holds, if that can be known now.
    #[must_use]
    pub fn holds(&self, condition: &Condition) -> Known {
        match condition {
            Condition::And(a, b) => {
                let (a, b) = (self.holds(a), self.holds(b));
                match (a.holds, b.holds) {
                    (Some(false), _) | (_, Some(false)) => Known::value(false),
                    (Some(true), Some(true)) => Known::value(true),
                    _ => Known::unknown(a.depends_on.or(b.depends_on)),
                }
            }
            Condition::Or(a, b) => {
                let (a, b) = (self.holds(a), self.holds(b));
                match (a.holds, b.holds) {
                    (Some(true), _) | (_, Some(true)) => Known::value(true),
                    (Some(false), Some(false)) => Known::value(false),
                    _ => Known::unknown(a.depends_on.or(b.depends_on)),
                }
            }
            Condition::Not(c) => {
                let inner = self.holds(c);
                Known {
                    holds: inner.holds.map(|h| !h),
                    depends_on: inner.depends_on,
                }
            }
            Condition::Is(operand) => match self.operand(operand) {
                Ok(Value::Bool(b)) => Known::value(b),
                Ok(Value::Number(n)) => Known::value(n != 0.0),
                Ok(Value::Text(t)) => Known::value(!t.is_empty()),
                Err(line) => Known::unknown(line),
            },
            Condition::Compare {
                op,
                left,
                right,
                span,
            } => match (self.operand(left), self.operand(right)) {
                (Ok(a), Ok(b)) => match compare(*op, a, b, *span) {
                    Ok(holds) => Known::value(holds),
                    Err(_) => Known::unknown(None),
                },
                (Err(line), _) | (_, Err(line)) => Known::unknown(line),
            },
        }
    }

    /// An operand's value, or the line it depends on when it is known only while running.
    fn operand(&self, operand: &Operand) -> Result<Value, Option<usize>> {
        Ok(match operand {
            Operand::Number(n) => Value::Number(*n),
            Operand::Bool(b) => Value::Bool(*b),
            Operand::Text(t) => Value::Text(t.clone()),
            Operand::Runtime(t) => {
                let shown = self.render(t);
                if !shown.known {
                    return Err(shown.depends_on);
                }
                Value::Text(shown.text)
            }
            Operand::Result(t) => return Err(self.render(t).depends_on),
            Operand::Exists(file) => {
                let file = self.file(file);
                match file.state {
                    super::FileState::Present => Value::Bool(true),
                    super::FileState::Missing => Value::Bool(false),
                    _ => return Err(file.depends_on),
                }
            }
            Operand::Size(file) => {
                let file = self.file(file);
                if !file.is_present() {
                    return Err(file.depends_on);
                }
                let len = std::fs::metadata(&file.path).map_err(|_| None)?.len();
                #[allow(clippy::cast_precision_loss)]
                Value::Number(len as f64)
            }
            Operand::Count { xpath, file } => {
                let file = self.file(file);
                if !file.is_present() {
                    return Err(file.depends_on);
                }
                let n = count_nodes(&file.path, xpath).map_err(|_| None)?;
                #[allow(clippy::cast_precision_loss)]
                Value::Number(n as f64)
            }
        })
    }
}

/// How many nodes `xpath` selects in the XML file, streamed for a path of child steps.
pub(crate) fn count_nodes(path: &Path, xpath: &crate::xpath::XPath) -> Result<u64, String> {
    if let Some(steps) = xpath.child_steps().filter(|p| p.absolute) {
        return crate::split::for_each_record(
            path,
            &steps,
            |_| std::ops::ControlFlow::Continue(()),
        )
        .map_err(|e| e.to_string());
    }
    let text = crate::xml_input::read_text(path).map_err(|e| match e {
        crate::xml_input::SourceError::Io(e) => e.to_string(),
        crate::xml_input::SourceError::Encoding(e) => e.to_string(),
    })?;
    let doc = roxmltree::Document::parse(&text).map_err(|e| e.to_string())?;
    match xpath.evaluate(doc.root()) {
        Ok(crate::xpath::Value::Nodes(nodes)) => Ok(nodes.len() as u64),
        Ok(_) => Ok(0),
        Err(e) => Err(e.to_string()),
    }
}
