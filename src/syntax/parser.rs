//! The pest parser and the conversion of its pairs into the `Ast`, one `parse_<rule>` each.
use std::time::Duration;

use pest::Parser as _;
use pest::iterators::Pair;
use pest_derive::Parser;

use super::ast::{
    Arg, Binding, Block, Expr, Field, FieldCondition, Item, Statement, StrPart, StringLit, Workflow,
};
use super::error::SyntaxError;
use super::tokens::before_comment;
use crate::source::{Span, Spanned};

#[derive(Parser)]
#[grammar = "../grammar/zynk.pest"]
struct ZynkParser;

/// Where a line's calls or interpolations first nest deeper than `MAX_NESTING` (a
/// line's own `{ … }` blocks are counted by the block stack instead).
fn too_deep(line: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in line.char_indices() {
        match c {
            '(' | '{' => depth += 1,
            ')' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let is_call = c == '(' || (c == '{' && line[..i].ends_with('$'));
        if depth > MAX_NESTING && is_call {
            return Some(i);
        }
    }
    None
}

/// How deep blocks, calls and interpolations may nest.
pub const MAX_NESTING: usize = 64;

/// The largest number a script may write (beyond it, `f64` loses whole digits).
pub const MAX_NUMBER: f64 = 1e15;
const MAX_NUMBER_TEXT: &str = "1000000000000000";

/// The longest duration a script may write.
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);

/// A block still open while the script is read.
enum Frame {
    /// A statement whose `{` was read and whose `}` was not yet.
    Block {
        statement: Statement,
        open: Span,
        items: Vec<Item>,
    },
    /// The `else {` branch of an `if` whose first block is closed.
    Else {
        statement: Statement,
        open: Span,
        items: Vec<Item>,
    },
    /// An `if` whose `else if …` is being read: that inner `if`, once closed, becomes
    /// its `else` block.
    ElseIf { statement: Statement, span: Span },
    /// A `{` on a line that did not parse, or nested too deep: the lines up to its `}`
    /// are read for their errors only.
    Opaque { open: Span },
}

/// A block closed by a `}` indented less than the line that opened it.
struct Misclosed {
    open: Span,
    /// The indentation of the line that opened the block.
    block_indent: usize,
    /// The indentation of the `}` that closed it.
    close_indent: usize,
}

/// The open blocks and the script's top-level lines.
#[derive(Default)]
struct Nest {
    root: Vec<Item>,
    frames: Vec<Frame>,
}

impl Nest {
    /// Where a line read now goes; `None` inside an opaque block.
    fn items(&mut self) -> Option<&mut Vec<Item>> {
        match self.frames.last_mut() {
            None => Some(&mut self.root),
            Some(Frame::Block { items, .. } | Frame::Else { items, .. }) => Some(items),
            Some(Frame::Opaque { .. } | Frame::ElseIf { .. }) => None,
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(items) = self.items() {
            items.push(item);
        }
    }

    /// Hands every top-level line but the last to `each`: only the last can still change
    /// (a continuation line or a `{` on one joins it).
    fn hand_over(&mut self, each: &mut dyn FnMut(Item)) {
        if self.root.len() > 1 {
            let last = self.root.pop();
            for item in self.root.drain(..) {
                each(item);
            }
            self.root.extend(last);
        }
    }

    /// Adds a finished block statement: as the `else` of the `if` waiting for it, or as
    /// a line of the innermost block.
    fn finish(&mut self, mut statement: Statement) {
        while let Some(Frame::ElseIf { .. }) = self.frames.last() {
            let Some(Frame::ElseIf {
                statement: mut outer,
                span,
            }) = self.frames.pop()
            else {
                break;
            };
            outer.continue_on_failure = statement.continue_on_failure.take();
            outer.span = outer.span.join(statement.span);
            outer.otherwise = Some(Block {
                span: span.join(statement.span),
                items: vec![Item::Statement(statement)],
            });
            statement = outer;
        }
        self.push(Item::Statement(statement));
    }
}

/// Bytes of script read in one pest pass (see [`Builder::parse_script`]).
const CHUNK: usize = 64 * 1024;

/// Where the chunk starting at `start` ends: after the first `\n` at or past
/// `start + CHUNK`, or at the end of the text.
fn chunk_end(text: &str, start: usize) -> usize {
    let from = start.saturating_add(CHUNK);
    if from >= text.len() {
        return text.len();
    }
    text.as_bytes()
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(text.len(), |at| from + at + 1)
}

/// Appends a continuation line to the statement it continues.
fn merge(previous: &mut Statement, next: Statement) {
    previous.args.extend(next.args);
    previous.block = next.block;
    previous.otherwise = next.otherwise;
    previous.continue_on_failure = next.continue_on_failure;
    previous.span = previous.span.join(next.span);
}

/// Builds the `Ast`, collecting every syntax error instead of stopping at the first.
pub(super) struct Builder<'s> {
    text: &'s str,
    /// Where the text being read starts in the script (a `junk` line is re-read alone).
    base: usize,
    is_statement_head: &'s dyn Fn(&str) -> bool,
    /// Whether words name a statement or an option (`published only`).
    is_phrase: &'s dyn Fn(&str) -> bool,
    pub(super) errors: Vec<SyntaxError>,
    /// Blocks closed by a `}` indented less than the line that opened them: when a block
    /// is left unclosed, the `}` it lacks is most likely one of these blocks'.
    misclosed: Vec<Misclosed>,
    /// The error of the line just read when it ended at its `=` (`"Id" =`): a value alone
    /// on the next line is that line's value, not a mistake of its own.
    dangling_equals: Option<usize>,
}

impl<'s> Builder<'s> {
    pub(super) fn new(
        text: &'s str,
        is_statement_head: &'s dyn Fn(&str) -> bool,
        is_phrase: &'s dyn Fn(&str) -> bool,
    ) -> Builder<'s> {
        Builder {
            text,
            base: 0,
            is_statement_head,
            is_phrase,
            errors: Vec::new(),
            misclosed: Vec::new(),
            dangling_equals: None,
        }
    }

    /// Reads the script, handing each top-level line (with its block) to `each` once it
    /// is complete.
    pub(super) fn parse_script(&mut self, each: &mut dyn FnMut(Item)) {
        let guarded = self.guard_nesting();
        let text = guarded.as_deref().unwrap_or(self.text);
        let mut nest = Nest::default();
        // No piece spans a line break, so the script is read in chunks of whole lines:
        // pest's token queue then holds one chunk, not the whole script.
        let mut start = 0;
        while start < text.len() {
            let end = chunk_end(text, start);
            self.base = start;
            match ZynkParser::parse(Rule::script, &text[start..end]) {
                Ok(pairs) => {
                    for script in pairs {
                        for pair in script.into_inner() {
                            self.parse_piece(pair, &mut nest);
                            nest.hand_over(each);
                        }
                    }
                }
                Err(error) => self.errors.push(self.unexpected(&error, start)),
            }
            start = end;
        }
        self.base = 0;
        for frame in nest.frames {
            let open = match frame {
                Frame::Block { open, .. } | Frame::Else { open, .. } | Frame::Opaque { open } => {
                    open
                }
                Frame::ElseIf { .. } => continue,
            };
            // A block inside this one, closed by a `}` indented as this one's line, is
            // the one whose `}` is missing (a `foreach` left open in an `if` block).
            let inner = self
                .missing_close(open)
                .map(|at| self.misclosed.remove(at).open);
            self.errors.push(self.unclosed(inner.unwrap_or(open)));
        }
        for item in nest.root {
            each(item);
        }
    }

    /// Blanks every line whose calls or interpolations nest deeper than `MAX_NESTING`
    /// (reporting each), so that the grammar's recursion stays shallow. `None` when no
    /// line needed it.
    fn guard_nesting(&mut self) -> Option<String> {
        let mut blanked: Option<String> = None;
        let mut line_start = 0;
        for line in self.text.split_inclusive('\n') {
            if let Some(at) = too_deep(line) {
                self.errors.push(SyntaxError::NestingTooDeep {
                    limit: MAX_NESTING,
                    span: Span::new(line_start + at, line_start + at + 1).into(),
                });
                let text = blanked.get_or_insert_with(|| self.text.to_string());
                let end = line_start + line.trim_end_matches(['\n', '\r']).len();
                text.replace_range(line_start..end, &" ".repeat(end - line_start));
            }
            line_start += line.len();
        }
        blanked
    }

    /// A span of the text being read, as a span of the script.
    fn at(&self, span: pest::Span<'_>) -> Span {
        Span::new(self.base + span.start(), self.base + span.end())
    }

    fn parse_piece(&mut self, pair: Pair<'_, Rule>, nest: &mut Nest) {
        if let Some(error) = self.dangling_equals.take()
            && pair.as_rule() == Rule::statement
            && self.value_after_equals(error, &pair)
        {
            return;
        }
        match pair.as_rule() {
            Rule::block_close => self.close_block(&pair, nest),
            Rule::bad_close => {
                let start = self.at(pair.as_span()).start;
                let rest = pair.as_str()[1..].trim_start();
                let at = self.at(pair.as_span()).end - rest.len();
                let else_if = rest
                    .strip_prefix("else")
                    .filter(|r| r.trim_start().starts_with("if "))
                    .map(str::trim_start);
                let inner_error = else_if.and_then(|inner| {
                    let offset = self.at(pair.as_span()).end - inner.len();
                    ZynkParser::parse(Rule::strict_line, inner)
                        .err()
                        .map(|e| self.unexpected(&e, offset))
                });
                let (found, len) = describe_found(rest);
                let help = super::habits::habit_help("} ", rest).unwrap_or_else(|| {
                    "a `}` ends its line; write what follows on a new line".into()
                });
                self.errors
                    .push(inner_error.unwrap_or(SyntaxError::Unexpected {
                        found,
                        span: Span::new(at, at + len).into(),
                        expected: "the end of the line after `}`".into(),
                        help: Some(help),
                    }));
                let close = Span::new(start, start + 1);
                self.close(close, None, nest);
                // `} elif x {`: the block it opens is read for its errors only, so that
                // its `}` is not reported as unmatched.
                if before_comment(rest).trim_end().ends_with('{') {
                    let end = self.at(pair.as_span()).start
                        + before_comment(pair.as_str()).trim_end().len();
                    self.open(
                        Frame::Opaque {
                            open: Span::new(end - 1, end),
                        },
                        nest,
                    );
                }
            }
            Rule::junk if self.parse_junk(&pair) => {
                let end = before_comment(pair.as_str()).trim_end().len();
                let at = self.at(pair.as_span()).start + end - 1;
                self.open(
                    Frame::Opaque {
                        open: Span::new(at, at + 1),
                    },
                    nest,
                );
            }
            Rule::statement => {
                let (statement, open) = self.parse_statement(pair);
                if let Some(open) = open
                    && starts_else(&statement)
                    && matches!(nest.frames.last(), Some(Frame::Block { statement, .. }) if is_if(statement))
                {
                    self.else_without_close(statement, open, nest);
                    return;
                }
                match open {
                    Some(open) => {
                        let statement = match nest.items() {
                            Some(items) => match items.last_mut() {
                                Some(Item::Statement(previous))
                                    if self.continues(previous, &statement) =>
                                {
                                    merge(previous, statement);
                                    match items.pop() {
                                        Some(Item::Statement(merged)) => merged,
                                        _ => return,
                                    }
                                }
                                _ => statement,
                            },
                            None => statement,
                        };
                        self.open(
                            Frame::Block {
                                statement,
                                open,
                                items: Vec::new(),
                            },
                            nest,
                        );
                    }
                    None => self.push_statement(statement, nest),
                }
            }
            Rule::workflow => {
                if let Some(item) = self.parse_workflow(pair) {
                    nest.push(item);
                }
            }
            Rule::param => {
                if let Some(binding) = self.parse_binding(pair) {
                    nest.push(Item::Param(binding));
                }
            }
            Rule::let_decl => {
                if let Some(binding) = self.parse_binding(pair) {
                    nest.push(Item::Let(binding));
                }
            }
            Rule::field => {
                if let Some(field) = self.parse_field(pair) {
                    nest.push(Item::Field(field));
                }
            }
            _ => {}
        }
    }

    /// `else {` (or `else if … {`) on a line of its own inside an `if` block: the `}`
    /// before it is missing. Reported at the `else`, and read as `} else {` so that the
    /// lines after it are not mistakes of their own.
    fn else_without_close(&mut self, mut statement: Statement, open: Span, nest: &mut Nest) {
        let else_span = statement.args.first().map_or(statement.span, Arg::span);
        statement.args.remove(0);
        let written = if statement.args.is_empty() {
            "} else {"
        } else {
            "} else if … {"
        };
        self.errors.push(SyntaxError::Unexpected {
            found: "`else`".into(),
            span: else_span.into(),
            expected: "`}` before `else`".into(),
            help: Some(format!(
                "the `}}` that closes the `if` block goes before `else`, on the same line: write `{written}`"
            )),
        });
        let Some(Frame::Block {
            statement: mut branch_if,
            open: if_open,
            items,
        }) = nest.frames.pop()
        else {
            return;
        };
        branch_if.block = Some(Block {
            items,
            span: Span::new(if_open.start, else_span.start),
        });
        match statement.args.first().map(Arg::span) {
            None => self.open(
                Frame::Else {
                    statement: branch_if,
                    open,
                    items: Vec::new(),
                },
                nest,
            ),
            Some(first) => {
                statement.span = Span::new(first.start, statement.span.end);
                nest.frames.push(Frame::ElseIf {
                    statement: branch_if,
                    span: statement.span,
                });
                self.open(
                    Frame::Block {
                        statement,
                        open,
                        items: Vec::new(),
                    },
                    nest,
                );
            }
        }
    }

    /// Adds a statement without a block, as a line of its own or as the continuation of
    /// the statement above it.
    fn push_statement(&self, statement: Statement, nest: &mut Nest) {
        let Some(items) = nest.items() else { return };
        match items.last_mut() {
            Some(Item::Statement(previous)) if self.continues(previous, &statement) => {
                merge(previous, statement);
            }
            _ => items.push(Item::Statement(statement)),
        }
    }

    /// Opens a block; beyond `MAX_NESTING` its lines are read for errors only.
    fn open(&mut self, frame: Frame, nest: &mut Nest) {
        if nest.frames.len() >= MAX_NESTING {
            let open = match frame {
                Frame::Block { open, .. } | Frame::Else { open, .. } | Frame::Opaque { open } => {
                    open
                }
                Frame::ElseIf { span, .. } => span,
            };
            if nest.frames.len() == MAX_NESTING {
                self.errors.push(SyntaxError::NestingTooDeep {
                    limit: MAX_NESTING,
                    span: open.into(),
                });
            }
            nest.frames.push(Frame::Opaque { open });
        } else {
            nest.frames.push(frame);
        }
    }

    /// A `{` never closed, named by the first word of its line (`foreach`, `else`).
    fn unclosed(&self, open: Span) -> SyntaxError {
        let line_start = self.text[..open.start]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let line = self.text[line_start..open.start].trim_start();
        let line = line.strip_prefix('}').map_or(line, str::trim_start);
        let mut opener: String = line
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if opener == "for" && line[3..].trim_start().starts_with("each") {
            opener = "for each".into();
        }
        SyntaxError::UnclosedBlock {
            opener: if opener.is_empty() {
                "{".into()
            } else {
                opener
            },
            span: open.into(),
        }
    }

    /// Of the blocks inside the unclosed one opened at `open` that a less indented `}`
    /// closed, the one whose own `}` is missing: the last that no block inside it
    /// explains. A block left open takes the next `}` (indented as the block's own line
    /// is), which leaves the block around it to a `}` indented less than its line, and so
    /// on outwards; each of those is explained by the one inside it.
    fn missing_close(&self, open: Span) -> Option<usize> {
        let inside = |m: &Misclosed| m.open.start > open.start;
        (0..self.misclosed.len()).rev().find(|&i| {
            let block = &self.misclosed[i];
            inside(block)
                && !self.misclosed[..i].iter().any(|inner| {
                    inside(inner)
                        && inner.open.start > block.open.start
                        && inner.close_indent == block.block_indent
                })
        })
    }

    /// The indentation of the line holding `offset`.
    fn line_indent(&self, offset: usize) -> usize {
        let line_start = self.text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        self.text[line_start..]
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t'))
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum()
    }

    /// The indentation of the line that opened a frame.
    fn frame_indent(&self, frame: &Frame) -> usize {
        let at = match frame {
            Frame::Block { statement, .. } | Frame::ElseIf { statement, .. } => {
                statement.span.start
            }
            Frame::Else { open, .. } | Frame::Opaque { open } => open.start,
        };
        self.line_indent(at)
    }

    /// Before `} else` closes the innermost block: when that block is no `if`, its line
    /// is indented deeper than the `}`, and an outer `if`'s line is indented as the `}`
    /// is, the blocks in between were left open (a `foreach` missing its `}` inside
    /// `if … else`): each is reported where it opened and closed here, so the `else`
    /// goes with the `if` its indentation says. The script is wrong either way (only an
    /// `if` takes an `else`), so a well-formed script never takes this path.
    fn close_by_indent(&mut self, close: Span, nest: &mut Nest) {
        let indent = self.line_indent(close.start);
        let real = |f: &Frame| !matches!(f, Frame::ElseIf { .. });
        let Some(innermost) = nest.frames.iter().rev().find(|f| real(f)) else {
            return;
        };
        let is_if = |f: &Frame| match f {
            Frame::Block { statement, .. } => {
                matches!(statement.args.first(), Some(Arg::Word(w)) if w.value == "if")
            }
            _ => false,
        };
        if self.frame_indent(innermost) <= indent || is_if(innermost) {
            return;
        }
        let Some(target) = nest
            .frames
            .iter()
            .rposition(|f| real(f) && self.frame_indent(f) == indent)
        else {
            return;
        };
        if !is_if(&nest.frames[target]) {
            return;
        }
        while nest.frames.len() > target + 1 {
            let open = match nest.frames.last() {
                Some(
                    Frame::Block { open, .. } | Frame::Else { open, .. } | Frame::Opaque { open },
                ) => Some(*open),
                _ => None,
            };
            if let Some(open) = open {
                self.errors.push(self.unclosed(open));
            }
            let before = nest.frames.len();
            self.close(close, None, nest);
            if nest.frames.len() >= before {
                // An `else if` waiting for its inner block: it goes with it.
                nest.frames.pop();
            }
        }
    }

    fn close_block(&mut self, pair: &Pair<'_, Rule>, nest: &mut Nest) {
        let close = self.at(pair.as_span());
        let close = Span::new(close.start, close.start + 1);
        if pair
            .clone()
            .into_inner()
            .any(|p| p.as_rule() == Rule::else_clause)
        {
            self.close_by_indent(close, nest);
        }
        let mut or_continue = None;
        let mut otherwise = None;
        for part in pair.clone().into_inner() {
            match part.as_rule() {
                Rule::or_continue => or_continue = Some(self.at(part.as_span())),
                Rule::else_clause => otherwise = Some(part),
                _ => {}
            }
        }
        let Some(otherwise) = otherwise else {
            self.close(close, or_continue, nest);
            return;
        };
        // `} else …`: the `if` stays open for its next branch.
        let statement = match nest.frames.pop() {
            Some(Frame::Block {
                mut statement,
                open,
                items,
            }) => {
                // An `if` indented deeper than this `}`: if a block is left open at the
                // end, this `if` most likely took the `else` of an outer one.
                let block_indent = self.line_indent(statement.span.start);
                let close_indent = self.line_indent(close.start);
                if block_indent > close_indent {
                    self.misclosed.push(Misclosed {
                        open,
                        block_indent,
                        close_indent,
                    });
                }
                statement.block = Some(Block {
                    items,
                    span: open.join(close),
                });
                statement.span = statement.span.join(close);
                Some(statement)
            }
            Some(frame @ Frame::Opaque { .. }) => {
                nest.frames.push(frame);
                None
            }
            Some(frame) => {
                let span = self.at(otherwise.as_span());
                nest.frames.push(frame);
                self.errors.push(SyntaxError::Unexpected {
                    found: "`else`".into(),
                    span: Span::new(span.start, span.start + 4).into(),
                    expected: "the end of the line".into(),
                    help: Some("an `if` takes one `else` block, after its first block".into()),
                });
                None
            }
            None => {
                self.errors
                    .push(SyntaxError::UnmatchedBrace { span: close.into() });
                None
            }
        };
        let Some(inner) = otherwise
            .into_inner()
            .find(|p| p.as_rule() != Rule::kw_else)
        else {
            return;
        };
        let span = self.at(inner.as_span());
        if inner.as_rule() == Rule::block_open {
            let frame = match statement {
                Some(statement) => Frame::Else {
                    statement,
                    open: span,
                    items: Vec::new(),
                },
                None => Frame::Opaque { open: span },
            };
            self.open(frame, nest);
            return;
        }
        // `else if … {`: the inner `if` opens its block; once closed it is the `else`.
        let (nested, open) = self.parse_statement(inner);
        let Some(open) = open else { return };
        if let Some(statement) = statement {
            nest.frames.push(Frame::ElseIf { statement, span });
        }
        self.open(
            Frame::Block {
                statement: nested,
                open,
                items: Vec::new(),
            },
            nest,
        );
    }

    /// Closes the innermost open block at the `}` spanning `close`.
    fn close(&mut self, close: Span, or_continue: Option<Span>, nest: &mut Nest) {
        if let Some(frame) = nest.frames.last()
            && let Frame::Block { open, .. } | Frame::Else { open, .. } = frame
            && self.frame_indent(frame) > self.line_indent(close.start)
        {
            self.misclosed.push(Misclosed {
                open: *open,
                block_indent: self.frame_indent(frame),
                close_indent: self.line_indent(close.start),
            });
        }
        match nest.frames.pop() {
            None => self
                .errors
                .push(SyntaxError::UnmatchedBrace { span: close.into() }),
            Some(Frame::Opaque { .. }) => {}
            Some(frame @ Frame::ElseIf { .. }) => nest.frames.push(frame),
            Some(Frame::Block {
                mut statement,
                open,
                items,
            }) => {
                statement.block = Some(Block {
                    items,
                    span: open.join(close),
                });
                statement.span = statement.span.join(or_continue.unwrap_or(close));
                statement.continue_on_failure = or_continue;
                nest.finish(statement);
            }
            Some(Frame::Else {
                mut statement,
                open,
                items,
            }) => {
                statement.otherwise = Some(Block {
                    items,
                    span: open.join(close),
                });
                statement.span = statement.span.join(or_continue.unwrap_or(close));
                statement.continue_on_failure = or_continue;
                nest.finish(statement);
            }
        }
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
        let span = self.at(pair.as_span());
        let value = pair
            .into_inner()
            .find(|p| p.as_rule() != Rule::kw_workflow)?;
        let name = self.parse_value(value)?;
        Some(Item::Workflow(Workflow { name, span }))
    }

    fn parse_binding(&mut self, pair: Pair<'_, Rule>) -> Option<Binding> {
        let span: Span = self.at(pair.as_span());
        let mut inner = pair.into_inner().skip(1);
        let name = inner.next()?;
        let name = Spanned::new(name.as_str().to_string(), self.at(name.as_span()));
        let value = self.parse_value(inner.next()?)?;
        Some(Binding { name, value, span })
    }

    fn parse_field(&mut self, pair: Pair<'_, Rule>) -> Option<Field> {
        let span: Span = self.at(pair.as_span());
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
                    field.condition = Some(FieldCondition::NotEmpty(self.at(part.as_span())));
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

    /// A statement line, and the span of the `{` that ends it, if any. A value that
    /// does not parse has been reported and is left out.
    fn parse_statement(&mut self, pair: Pair<'_, Rule>) -> (Statement, Option<Span>) {
        let mut span: Span = self.at(pair.as_span());
        let mut statement = Statement {
            args: Vec::new(),
            block: None,
            otherwise: None,
            continue_on_failure: None,
            span,
        };
        let mut open = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::block_open => {
                    let at: Span = self.at(part.as_span());
                    span = Span::new(span.start, at.start);
                    open = Some(at);
                }
                Rule::or_continue => statement.continue_on_failure = Some(self.at(part.as_span())),
                Rule::word | Rule::operator | Rule::kw_if => statement.args.push(Arg::Word(
                    Spanned::new(part.as_str().to_string(), self.at(part.as_span())),
                )),
                _ => {
                    if let Some(value) = self.parse_value(part) {
                        statement.args.push(Arg::Value(value));
                    }
                }
            }
        }
        statement.span = span;
        statement.args.shrink_to_fit();
        (statement, open)
    }

    /// Explains a line the grammar could not read; `true` when the line ends with a `{`
    /// (so the `}` that closes it is not reported as unmatched).
    fn parse_junk(&mut self, pair: &Pair<'_, Rule>) -> bool {
        let start = self.at(pair.as_span()).start;
        let text = pair.as_str();
        let opens = before_comment(text).trim_end().ends_with('{');
        match ZynkParser::parse(Rule::strict_line, text) {
            Ok(pairs) => {
                // The line is fine alone, so it failed because of where it stands:
                // re-parse its pieces to report any string errors inside it.
                let base = std::mem::replace(&mut self.base, start);
                for pair in pairs.flatten() {
                    if matches!(pair.as_rule(), Rule::bad_string | Rule::bad_xpath) {
                        let _ = self.parse_value(pair);
                    }
                }
                self.base = base;
            }
            Err(error) => {
                self.errors.push(self.unexpected(&error, start));
                if before_comment(text).trim_end().ends_with('=') {
                    self.dangling_equals = Some(self.errors.len() - 1);
                }
            }
        }
        opens
    }

    /// Whether `pair`, the line after one that ended at its `=` (whose error is
    /// `errors[error]`), is one value alone: then it is the value that line lacks, and
    /// that line's error says to write it there.
    fn value_after_equals(&mut self, error: usize, pair: &Pair<'_, Rule>) -> bool {
        let mut inner = pair.clone().into_inner();
        let (Some(value), None) = (inner.next(), inner.next()) else {
            return false;
        };
        let is_value = matches!(
            value.as_rule(),
            Rule::string | Rule::xpath | Rule::number | Rule::duration | Rule::call | Rule::word
        );
        if !is_value || (value.as_rule() == Rule::word && (self.is_statement_head)(value.as_str()))
        {
            return false;
        }
        let Some(SyntaxError::Unexpected { span, help, .. }) = self.errors.get_mut(error) else {
            return false;
        };
        let at = span.offset();
        let line_start = self.text[..at.min(self.text.len())]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let line = before_comment(&self.text[line_start..at.min(self.text.len())]).trim();
        *help = Some(format!(
            "the value goes on the same line as `=`: `{line} {}`",
            value.as_str()
        ));
        true
    }

    fn parse_value(&mut self, pair: Pair<'_, Rule>) -> Option<Expr> {
        let span: Span = self.at(pair.as_span());
        match pair.as_rule() {
            Rule::string => self.parse_string(pair).map(Expr::String),
            Rule::bad_string => {
                self.errors
                    .push(explain_bad_string(pair.as_str(), span.start));
                None
            }
            Rule::xpath => {
                let Some(text) = pair.into_inner().next() else {
                    return self.lost(span);
                };
                Some(Expr::XPath {
                    text: text.as_str().to_string(),
                    text_span: self.at(text.as_span()),
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
                Ok(value) if value.abs() <= MAX_NUMBER => Some(Expr::Number { value, span }),
                _ => {
                    self.errors.push(SyntaxError::NumberOutOfRange {
                        span: span.into(),
                        help: format!(
                            "numbers range from -{max} to {max}; to keep a longer number as text, put it in double quotes: \"{}\"",
                            pair.as_str(),
                            max = MAX_NUMBER_TEXT,
                        ),
                    });
                    None
                }
            },
            Rule::duration => match parse_duration(pair.as_str()) {
                Some(value) => Some(Expr::Duration { value, span }),
                None => {
                    self.errors
                        .push(SyntaxError::DurationOutOfRange { span: span.into() });
                    None
                }
            },
            Rule::call => {
                let mut inner = pair.into_inner();
                let Some(name) = inner.next() else {
                    return self.lost(span);
                };
                let name = Spanned::new(name.as_str().to_string(), self.at(name.as_span()));
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
                let record = inner.next();
                let xpath = inner.next().and_then(|x| x.into_inner().next());
                let (Some(record), Some(xpath)) = (record, xpath) else {
                    return self.lost(span);
                };
                let record = Spanned::new(record.as_str().to_string(), self.at(record.as_span()));
                Some(Expr::RecordField {
                    record,
                    xpath: xpath.as_str().to_string(),
                    text_span: self.at(xpath.as_span()),
                    span,
                })
            }
            _ => self.lost(span),
        }
    }

    /// A piece the grammar accepted but the tree has no place for: reported, never
    /// dropped silently.
    fn lost(&mut self, span: Span) -> Option<Expr> {
        self.errors
            .push(SyntaxError::Internal { span: span.into() });
        None
    }

    fn parse_string(&mut self, pair: Pair<'_, Rule>) -> Option<StringLit> {
        let span = self.at(pair.as_span());
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
                                span: self.at(part.as_span()).into(),
                            });
                            ok = false;
                            continue;
                        }
                    };
                    push_text(&mut parts, escaped);
                }
                Rule::interp => {
                    let at = self.at(part.as_span());
                    let value = match part.into_inner().next() {
                        Some(inner) => self.parse_value(inner),
                        None => self.lost(at),
                    };
                    match value {
                        Some(expr) => parts.push(StrPart::Interp(expr)),
                        None => ok = false,
                    }
                }
                _ => {}
            }
        }
        parts.shrink_to_fit();
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
        let line_start = self.text[..at.min(self.text.len())]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let before = &self.text[line_start..at.min(self.text.len())];
        let help = super::habits::hyphenated_phrase(before, rest, self.is_phrase)
            .or_else(|| super::habits::habit_help(before, rest))
            .or_else(|| super::field_words::field_word_help(before, rest))
            .or_else(|| {
                (found == "`=`").then(|| {
                    "`=` is only used in `param name = value` and `let name = value`".to_string()
                })
            });
        SyntaxError::Unexpected {
            found,
            span: Span::new(at, at + len).into(),
            expected,
            help,
        }
    }
}

/// Whether a statement is an `if`.
fn is_if(statement: &Statement) -> bool {
    matches!(statement.args.first(), Some(Arg::Word(w)) if w.value == "if")
}

/// Whether a statement line starts with `else`.
fn starts_else(statement: &Statement) -> bool {
    matches!(statement.args.first(), Some(Arg::Word(w)) if w.value == "else")
}

fn push_text(parts: &mut Vec<StrPart>, text: &str) {
    if let Some(StrPart::Text(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(StrPart::Text(text.to_string()));
    }
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

/// A duration such as `30s`; `None` when it is not one or is longer than `MAX_DURATION`.
#[must_use]
pub fn parse_duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let millis = match unit {
        "ms" => Some(n),
        "s" => n.checked_mul(1000),
        "m" => n.checked_mul(60_000),
        "h" => n.checked_mul(3_600_000),
        _ => None,
    }?;
    let duration = Duration::from_millis(millis);
    (duration <= MAX_DURATION).then_some(duration)
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
                Rule::EOI | Rule::piece_end => "the end of the line",
                Rule::ident | Rule::word => "a name",
                Rule::string | Rule::bad_string => "a string",
                Rule::number => "a number",
                Rule::duration => "a duration",
                Rule::xpath | Rule::bad_xpath => "an XPath",
                Rule::call => "a function call",
                Rule::block_open => "`{`",
                Rule::block_close => "`}`",
                Rule::or_continue => "`or continue`",
                Rule::else_clause => "`else`",
                Rule::operator => "a comparison",
                Rule::statement | Rule::strict_statement | Rule::strict_line => "a statement",
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
