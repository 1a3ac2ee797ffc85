//! The pest parser and the conversion of its pairs into the `Ast`, one `parse_<rule>` each.
use std::time::Duration;

use pest::Parser as _;
use pest::iterators::Pair;
use pest_derive::Parser;

use super::ast::{
    Arg, Ast, Binding, Block, Expr, Field, FieldCondition, Item, Statement, StrPart, StringLit,
    Workflow,
};
use super::error::SyntaxError;
use crate::source::{Span, Spanned};

#[derive(Parser)]
#[grammar = "../grammar/zynk.pest"]
struct ZynkParser;

/// Builds the `Ast`, collecting every syntax error instead of stopping at the first.
pub(super) struct Builder<'s> {
    text: &'s str,
    is_statement_head: &'s dyn Fn(&str) -> bool,
    pub(super) errors: Vec<SyntaxError>,
}

impl<'s> Builder<'s> {
    pub(super) fn new(text: &'s str, is_statement_head: &'s dyn Fn(&str) -> bool) -> Builder<'s> {
        Builder {
            text,
            is_statement_head,
            errors: Vec::new(),
        }
    }

    pub(super) fn parse_script(&mut self) -> Ast {
        let pairs = match ZynkParser::parse(Rule::script, self.text) {
            Ok(mut pairs) => pairs.next(),
            Err(error) => {
                self.errors.push(self.unexpected(&error, 0));
                None
            }
        };
        let Some(script) = pairs else {
            return Ast::default();
        };
        let items = self.parse_lines(script.into_inner());
        Ast { items }
    }

    fn parse_lines<'i>(&mut self, pairs: impl Iterator<Item = Pair<'i, Rule>>) -> Vec<Item> {
        let mut items: Vec<Item> = Vec::new();
        for pair in pairs {
            let item = match pair.as_rule() {
                Rule::workflow => self.parse_workflow(pair),
                Rule::param => self.parse_binding(pair).map(Item::Param),
                Rule::let_decl => self.parse_binding(pair).map(Item::Let),
                Rule::statement => self.parse_statement(pair),
                Rule::field => self.parse_field(pair).map(Item::Field),
                Rule::junk => {
                    self.parse_junk(&pair);
                    None
                }
                Rule::stray_close => {
                    let start = pair.as_span().start();
                    self.errors.push(SyntaxError::UnmatchedBrace {
                        span: Span::new(start, start + 1).into(),
                    });
                    None
                }
                _ => None,
            };
            let Some(item) = item else { continue };
            if let Item::Statement(next) = item {
                match items.last_mut() {
                    Some(Item::Statement(previous)) if self.continues(previous, &next) => {
                        previous.args.extend(next.args);
                        previous.block = next.block;
                        previous.otherwise = next.otherwise;
                        previous.continue_on_failure = next.continue_on_failure;
                        previous.span = previous.span.join(next.span);
                    }
                    _ => items.push(Item::Statement(next)),
                }
            } else {
                items.push(item);
            }
        }
        items
    }

    /// A line continues the statement above it when it is indented deeper, starts with
    /// a word that is not a statement name, and the statement above has no block yet.
    fn continues(&self, previous: &Statement, next: &Statement) -> bool {
        if previous.block.is_some() || previous.continue_on_failure.is_some() {
            return false;
        }
        let Some(Arg::Word(first)) = next.args.first() else {
            return false;
        };
        if (self.is_statement_head)(&first.value) {
            return false;
        }
        self.indent_of(next.span.start) > self.indent_of(previous.span.start)
    }

    fn indent_of(&self, offset: usize) -> usize {
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        self.text[line_start..offset]
            .chars()
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum()
    }

    fn parse_workflow(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        let span = pair.as_span().into();
        let value = pair
            .into_inner()
            .find(|p| p.as_rule() != Rule::kw_workflow)?;
        let name = self.parse_value(value)?;
        Some(Item::Workflow(Workflow { name, span }))
    }

    fn parse_binding(&mut self, pair: Pair<'_, Rule>) -> Option<Binding> {
        let span: Span = pair.as_span().into();
        let mut inner = pair.into_inner().skip(1);
        let name = inner.next()?;
        let name = Spanned::new(name.as_str().to_string(), name.as_span().into());
        let value = self.parse_value(inner.next()?)?;
        Some(Binding { name, value, span })
    }

    fn parse_field(&mut self, pair: Pair<'_, Rule>) -> Option<Field> {
        let span: Span = pair.as_span().into();
        let mut inner = pair.into_inner();
        let target = self.parse_string(inner.next()?)?;
        let value = self.parse_value(inner.next()?)?;
        let mut field = Field {
            target,
            value,
            condition: None,
            default: None,
            span,
        };
        for part in inner {
            match part.as_rule() {
                Rule::if_not_empty => {
                    field.condition = Some(FieldCondition::NotEmpty(part.as_span().into()));
                }
                Rule::if_when => {
                    let value = part.into_inner().nth(1)?;
                    field.condition = Some(FieldCondition::When(self.parse_value(value)?));
                }
                Rule::default_value => {
                    let value = part.into_inner().nth(1)?;
                    field.default = Some(self.parse_value(value)?);
                }
                _ => {}
            }
        }
        Some(field)
    }

    fn parse_statement(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        let span: Span = pair.as_span().into();
        let mut statement = Statement {
            args: Vec::new(),
            block: None,
            otherwise: None,
            continue_on_failure: None,
            span,
        };
        let mut ok = true;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::block => statement.block = Some(self.parse_block(part)),
                Rule::else_clause => statement.otherwise = self.parse_else(part),
                Rule::kw_if => statement.args.push(Arg::Word(Spanned::new(
                    part.as_str().to_string(),
                    part.as_span().into(),
                ))),
                Rule::or_continue => statement.continue_on_failure = Some(part.as_span().into()),
                Rule::word | Rule::operator => statement.args.push(Arg::Word(Spanned::new(
                    part.as_str().to_string(),
                    part.as_span().into(),
                ))),
                _ => match self.parse_value(part) {
                    Some(value) => statement.args.push(Arg::Value(value)),
                    None => ok = false,
                },
            }
        }
        ok.then_some(Item::Statement(statement))
    }

    /// `else { … }`, or `else if …`, kept as a block holding that one `if` statement.
    fn parse_else(&mut self, pair: Pair<'_, Rule>) -> Option<Block> {
        let inner = pair.into_inner().find(|p| p.as_rule() != Rule::kw_else)?;
        match inner.as_rule() {
            Rule::block => Some(self.parse_block(inner)),
            _ => {
                let span: Span = inner.as_span().into();
                let Some(Item::Statement(nested)) = self.parse_statement(inner) else {
                    return None;
                };
                Some(Block {
                    items: vec![Item::Statement(nested)],
                    span,
                })
            }
        }
    }

    fn parse_block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let span = pair.as_span().into();
        let lines = pair
            .into_inner()
            .filter(|p| p.as_rule() != Rule::block_close);
        Block {
            items: self.parse_lines(lines),
            span,
        }
    }

    /// Explains a line the grammar could not read.
    fn parse_junk(&mut self, pair: &Pair<'_, Rule>) {
        let start = pair.as_span().start();
        let text = pair.as_str();
        let code = strip_comment(text).trim_end();
        if code.ends_with('{') {
            let at = start + code.len() - 1;
            self.errors.push(SyntaxError::UnclosedBlock {
                span: Span::new(at, at + 1).into(),
            });
            return;
        }
        match ZynkParser::parse(Rule::strict_line, text) {
            Ok(pairs) => {
                // The line is fine alone, so it failed because of where it stands:
                // re-parse its pieces to report any string errors inside it.
                for pair in pairs.flatten() {
                    if matches!(pair.as_rule(), Rule::bad_string | Rule::bad_xpath) {
                        let _ = self.parse_value_at(pair, start);
                    }
                }
            }
            Err(error) => self.errors.push(self.unexpected(&error, start)),
        }
    }

    fn parse_value_at(&mut self, pair: Pair<'_, Rule>, offset: usize) -> Option<Expr> {
        let before = self.errors.len();
        let value = self.parse_value(pair);
        for error in &mut self.errors[before..] {
            shift(error, offset);
        }
        value
    }

    fn parse_value(&mut self, pair: Pair<'_, Rule>) -> Option<Expr> {
        let span: Span = pair.as_span().into();
        match pair.as_rule() {
            Rule::string => self.parse_string(pair).map(Expr::String),
            Rule::bad_string => {
                self.errors
                    .push(explain_bad_string(pair.as_str(), span.start));
                None
            }
            Rule::xpath => {
                let text = pair.into_inner().next()?;
                Some(Expr::XPath {
                    text: text.as_str().to_string(),
                    text_span: text.as_span().into(),
                    span,
                })
            }
            Rule::bad_xpath => {
                self.errors.push(SyntaxError::UnterminatedXPath {
                    span: Span::new(span.start, span.start + 1).into(),
                });
                None
            }
            Rule::number => match pair.as_str().parse::<f64>() {
                Ok(value) => Some(Expr::Number { value, span }),
                Err(_) => None,
            },
            Rule::duration => Some(Expr::Duration {
                value: parse_duration(pair.as_str())?,
                span,
            }),
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = inner.next()?;
                let name = Spanned::new(name.as_str().to_string(), name.as_span().into());
                let mut args = Vec::new();
                for arg in inner {
                    args.push(self.parse_value(arg)?);
                }
                Some(Expr::Call { name, args, span })
            }
            Rule::word | Rule::ident => {
                Some(Expr::Path(Spanned::new(pair.as_str().to_string(), span)))
            }
            Rule::record_field => {
                let mut inner = pair.into_inner();
                let record = inner.next()?;
                let record = Spanned::new(record.as_str().to_string(), record.as_span().into());
                let xpath = inner.next()?.into_inner().next()?;
                Some(Expr::RecordField {
                    record,
                    xpath: xpath.as_str().to_string(),
                    text_span: xpath.as_span().into(),
                    span,
                })
            }
            _ => None,
        }
    }

    fn parse_string(&mut self, pair: Pair<'_, Rule>) -> Option<StringLit> {
        let span = pair.as_span().into();
        let mut parts: Vec<StrPart> = Vec::new();
        let mut ok = true;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::str_text => push_text(&mut parts, part.as_str()),
                Rule::escape => {
                    let escaped = match part.as_str() {
                        "\\\"" => "\"",
                        "\\\\" => "\\",
                        "\\$" => "$",
                        "\\n" => "\n",
                        "\\r" => "\r",
                        "\\t" => "\t",
                        other => {
                            self.errors.push(SyntaxError::UnknownEscape {
                                found: other.to_string(),
                                span: Span::from(part.as_span()).into(),
                            });
                            ok = false;
                            continue;
                        }
                    };
                    push_text(&mut parts, escaped);
                }
                Rule::interp => {
                    let inner = part.into_inner().next()?;
                    match self.parse_value(inner) {
                        Some(expr) => parts.push(StrPart::Interp(expr)),
                        None => ok = false,
                    }
                }
                _ => {}
            }
        }
        ok.then_some(StringLit { parts, span })
    }

    fn unexpected(&self, error: &pest::error::Error<Rule>, offset: usize) -> SyntaxError {
        let at = match error.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        } + offset;
        let rest = &self.text[at.min(self.text.len())..];
        let (found, len) = describe_found(rest);
        let expected = match &error.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => expected_words(positives),
            pest::error::ErrorVariant::CustomError { message } => message.clone(),
        };
        let help = if found == "`=`" {
            Some("`=` is only used in `param name = value` and `let name = value`".to_string())
        } else if rest.starts_with('\'') {
            Some("strings use double quotes: \"like this\"".to_string())
        } else {
            None
        };
        SyntaxError::Unexpected {
            found,
            span: Span::new(at, at + len).into(),
            expected,
            help,
        }
    }
}

fn push_text(parts: &mut Vec<StrPart>, text: &str) {
    if let Some(StrPart::Text(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(StrPart::Text(text.to_string()));
    }
}

fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Says why a string that starts at `start` does not parse.
fn explain_bad_string(text: &str, start: usize) -> SyntaxError {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => break,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                let close = text[i..].find('}').map(|c| c + i);
                let quote = text[i..].find('"').map(|q| q + i);
                match (close, quote) {
                    (Some(c), Some(q)) if c < q => {
                        let inner = &text[i + 2..c];
                        let valid = ZynkParser::parse(Rule::interp, &text[i..=c]).is_ok();
                        if !valid || inner.trim().is_empty() {
                            return SyntaxError::InvalidInterpolation {
                                span: Span::new(start + i, start + c + 1).into(),
                            };
                        }
                        i = c + 1;
                    }
                    (Some(c), None) => {
                        let valid = ZynkParser::parse(Rule::interp, &text[i..=c]).is_ok();
                        if !valid {
                            return SyntaxError::InvalidInterpolation {
                                span: Span::new(start + i, start + c + 1).into(),
                            };
                        }
                        i = c + 1;
                    }
                    _ => {
                        return SyntaxError::UnterminatedInterpolation {
                            span: Span::new(start + i, start + i + 2).into(),
                        };
                    }
                }
            }
            _ => i += 1,
        }
    }
    SyntaxError::UnterminatedString {
        span: Span::new(start, start + text.trim_end().len()).into(),
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.checked_mul(60)?),
        "h" => Duration::from_secs(n.checked_mul(3600)?),
        _ => return None,
    })
}

fn describe_found(rest: &str) -> (String, usize) {
    match rest.chars().next() {
        None => ("end of script".to_string(), 0),
        Some('\n' | '\r') => ("end of line".to_string(), 0),
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (format!("`{}`", &rest[..len]), len)
        }
        Some(c) => (format!("`{c}`"), c.len_utf8()),
    }
}

fn expected_words(rules: &[Rule]) -> String {
    let mut words: Vec<&str> = rules
        .iter()
        .filter_map(|rule| {
            Some(match rule {
                Rule::EOI | Rule::line_end => "the end of the line",
                Rule::ident | Rule::word => "a name",
                Rule::string | Rule::bad_string => "a string",
                Rule::number => "a number",
                Rule::duration => "a duration",
                Rule::xpath | Rule::bad_xpath => "an XPath",
                Rule::call => "a function call",
                Rule::block => "`{`",
                Rule::block_close => "`}`",
                Rule::or_continue => "`or continue`",
                Rule::else_clause => "`else`",
                Rule::operator => "a comparison",
                Rule::statement | Rule::strict_line => "a statement",
                _ => return None,
            })
        })
        .collect();
    words.dedup();
    if words.contains(&"a string") {
        words.retain(|w| {
            !matches!(
                *w,
                "a number" | "a duration" | "an XPath" | "a function call"
            )
        });
        words.insert(0, "a value");
        words.retain(|w| *w != "a string");
    }
    match words.len() {
        0 => "something else".to_string(),
        1 => words[0].to_string(),
        _ => {
            let last = words.pop().unwrap_or_default();
            format!("{} or {last}", words.join(", "))
        }
    }
}

fn shift(error: &mut SyntaxError, offset: usize) {
    let span = match error {
        SyntaxError::UnterminatedString { span }
        | SyntaxError::UnterminatedInterpolation { span }
        | SyntaxError::InvalidInterpolation { span }
        | SyntaxError::UnknownEscape { span, .. }
        | SyntaxError::UnterminatedXPath { span }
        | SyntaxError::UnclosedBlock { span }
        | SyntaxError::UnmatchedBrace { span }
        | SyntaxError::Unexpected { span, .. } => span,
    };
    *span = miette::SourceSpan::new((span.offset() + offset).into(), span.len());
}
