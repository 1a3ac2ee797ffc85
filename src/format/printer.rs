//! Prints a parsed script in the canonical layout, taking its comments from the text.
//!
//! Every token is printed from the script's own text; only the whitespace between tokens
//! and the order of a statement's options change. A statement whose header holds a
//! comment, or whose tokens would not survive, keeps its text as written (re-indented).
use super::options::{self, Unit};
use crate::source::Span;
use crate::syntax::ast::{Arg, Block, Expr, FieldCondition, Item, Statement};
use crate::syntax::{Token, TokenKind};
use crate::tasks;

/// The width a statement may take before its options go onto lines of their own.
pub const MAX_WIDTH: usize = 100;

const INDENT: &str = "    ";

pub(super) struct Printer<'t> {
    text: &'t str,
    /// The script's tokens but its spaces and line breaks, which the printer lays out.
    tokens: Vec<Token>,
    out: String,
    /// Nothing printed since the script or the innermost block began.
    fresh: bool,
}

impl<'t> Printer<'t> {
    pub(super) fn new(text: &'t str, tokens: &[Token]) -> Printer<'t> {
        Printer {
            text,
            tokens: tokens
                .iter()
                .filter(|t| !t.kind.is_trivia())
                .copied()
                .collect(),
            out: String::new(),
            fresh: true,
        }
    }

    pub(super) fn finish(self) -> String {
        self.out
    }

    fn src(&self, span: Span) -> &'t str {
        &self.text[span.start..span.end]
    }

    /// Prints `items` at `depth`; `from..to` is the region of text they stand in, so the
    /// comments around them are found.
    pub(super) fn items(&mut self, items: &[Item], depth: usize, from: usize, to: usize) {
        let mut cursor = from;
        for item in items {
            let span = self.trimmed(item_span(item));
            self.gap(cursor, span.start, depth, true);
            self.item(item, depth);
            cursor = span.end;
        }
        self.gap(cursor, to, depth, false);
    }

    /// The comments and blank lines between `from` and `to`. A comment on the line of the
    /// text before it stays at the end of that line.
    fn gap(&mut self, from: usize, to: usize, depth: usize, before_item: bool) {
        let mut cursor = from;
        for comment in self.comments_in(from, to) {
            let between = &self.text[cursor..comment.span.start];
            let text = self.src(comment.span).trim_end();
            let trailing =
                cursor == from && from > 0 && !between.contains('\n') && !self.out.is_empty();
            if trailing {
                self.out.pop();
                self.out.push_str("  ");
                self.out.push_str(text);
                self.out.push('\n');
            } else {
                self.blank_line_if(between);
                self.indent(depth);
                self.out.push_str(text);
                self.out.push('\n');
                self.fresh = false;
            }
            cursor = comment.span.end;
        }
        if before_item {
            self.blank_line_if(&self.text[cursor..to]);
        }
    }

    /// A blank line when `between` held one, except at the start of a block.
    fn blank_line_if(&mut self, between: &str) {
        let newlines = between.matches('\n').count();
        if newlines >= 2 && !self.fresh && !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    /// The tokens that start at or after `from` and before `to` (tokens are in order).
    fn tokens_from(&self, from: usize, to: usize) -> &[Token] {
        let first = self.tokens.partition_point(|t| t.span.start < from);
        let last = self.tokens.partition_point(|t| t.span.start < to);
        &self.tokens[first..last.max(first)]
    }

    fn comments_in(&self, from: usize, to: usize) -> Vec<Token> {
        self.tokens_from(from, to)
            .iter()
            .filter(|t| t.kind == TokenKind::Comment && t.span.end <= to)
            .copied()
            .collect()
    }

    fn has_comment(&self, from: usize, to: usize) -> bool {
        self.tokens_from(from, to)
            .iter()
            .any(|t| t.kind == TokenKind::Comment)
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
    }

    fn item(&mut self, item: &Item, depth: usize) {
        self.fresh = false;
        match item {
            Item::Statement(statement) => {
                self.indent(depth);
                self.statement(statement, depth);
                self.out.push('\n');
            }
            Item::Workflow(w) => {
                let line = format!("workflow {}", self.value(&w.name));
                self.line_or_verbatim(self.trimmed(w.span), &line, depth);
            }
            Item::Param(b) | Item::Let(b) => {
                let keyword = if matches!(item, Item::Param(_)) {
                    "param"
                } else {
                    "let"
                };
                let line = format!("{keyword} {} = {}", b.name.value, self.value(&b.value));
                self.line_or_verbatim(self.trimmed(b.span), &line, depth);
            }
            Item::Field(f) => {
                let mut line = format!("{} = {}", self.src(f.target.span), self.value(&f.value));
                match &f.condition {
                    Some(FieldCondition::NotEmpty(_)) => line.push_str(" if not empty"),
                    Some(FieldCondition::When(e)) => {
                        line.push_str(" if ");
                        line.push_str(&self.value(e));
                    }
                    None => {}
                }
                if let Some(default) = &f.default {
                    line.push_str(" default ");
                    line.push_str(&self.value(default));
                }
                self.line_or_verbatim(self.trimmed(f.span), &line, depth);
            }
        }
    }

    /// Prints `line`, or the item's own text when `line` would lose or add a token.
    fn line_or_verbatim(&mut self, span: Span, line: &str, depth: usize) {
        self.indent(depth);
        if self.same_tokens(span, line) {
            self.out.push_str(line);
        } else {
            self.verbatim(span, depth);
        }
        self.out.push('\n');
    }

    /// `span` without the spaces and comment the grammar lets a line's rule end with.
    fn trimmed(&self, span: Span) -> Span {
        let end = self
            .tokens_from(span.start, span.end)
            .iter()
            .rev()
            .find(|t| t.kind != TokenKind::Comment && t.span.end <= span.end)
            .map_or(span.end, |t| t.span.end);
        Span::new(span.start, end)
    }

    fn same_tokens(&self, span: Span, printed: &str) -> bool {
        !self.has_comment(span.start, span.end)
            && super::token_multiset(self.src(span)) == super::token_multiset(printed)
    }

    /// The text of `span` as written, each line that does not start inside a token
    /// re-indented (continuation lines one level deeper), trailing spaces removed.
    fn verbatim(&mut self, span: Span, depth: usize) {
        let mut offset = span.start;
        for (n, line) in self.src(span).split_inclusive('\n').enumerate() {
            let inside = self.inside_token(offset);
            let ends_inside = self.inside_token(offset + line.len());
            let body = line.trim_end_matches(['\n', '\r']);
            let body = if ends_inside { body } else { body.trim_end() };
            if n > 0 {
                self.out.push('\n');
                if inside {
                    self.out.push_str(body);
                } else {
                    self.indent(depth + 1);
                    self.out.push_str(body.trim_start());
                }
            } else {
                self.out.push_str(body);
            }
            offset += line.len();
        }
    }

    /// Whether `offset` falls strictly inside a token (a multi-line string or XPath).
    fn inside_token(&self, offset: usize) -> bool {
        let next = self.tokens.partition_point(|t| t.span.start < offset);
        next > 0 && self.tokens[next - 1].span.end > offset
    }

    /// A statement from its first word to its closing `}` (no indent before, no newline
    /// after).
    fn statement(&mut self, statement: &Statement, depth: usize) {
        let header_end = statement
            .block
            .as_ref()
            .map_or(statement.span.end, |b| b.span.start);
        let header_span = self.trimmed(Span::new(statement.span.start, header_end));
        let mut header = self.header(statement, depth);
        if let Some(header) = &mut header
            && statement.block.is_none()
            && statement.continue_on_failure.is_some()
        {
            header.push_str(" or continue");
        }
        if let Some(header) = header.filter(|h| self.same_tokens(header_span, h)) {
            self.out.push_str(&header);
        } else {
            self.verbatim(header_span, depth);
        }
        let Some(block) = &statement.block else {
            return;
        };
        self.block(block, depth);
        if let Some(otherwise) = &statement.otherwise {
            self.out.push_str(" else");
            let is_else_if = self.text.as_bytes().get(otherwise.span.start) != Some(&b'{');
            match otherwise.items.as_slice() {
                [Item::Statement(inner)] if is_else_if => {
                    self.out.push(' ');
                    self.statement(inner, depth);
                }
                _ => self.block(otherwise, depth),
            }
        }
        if statement.continue_on_failure.is_some() {
            self.out.push_str(" or continue");
        }
    }

    /// `{`, the block's lines one level deeper, and the `}` at `depth`.
    fn block(&mut self, block: &Block, depth: usize) {
        self.out.push_str(" {\n");
        self.fresh = true;
        let end = block.span.end.saturating_sub(1).max(block.span.start + 1);
        self.items(&block.items, depth + 1, block.span.start + 1, end);
        self.fresh = false;
        self.indent(depth);
        self.out.push('}');
    }

    /// A statement's words and values: the head, its positional arguments, then its
    /// options in the order the statement lists them; onto indented lines when too long.
    fn header(&self, statement: &Statement, depth: usize) -> Option<String> {
        let args = &statement.args;
        let texts: Vec<String> = args.iter().map(|a| self.arg(a)).collect();
        let joined = |range: std::ops::Range<usize>| texts[range].join(" ");
        let Some(task) = options::task_of(args).filter(|t| !t.takes_condition()) else {
            return self.as_written(statement, &texts);
        };
        let head = task.head().len();
        let (rest, result) = options::split_result_name(&args[head..]);
        let Some(mut units) = options::units(task.params(), rest) else {
            return self.as_written(statement, &texts);
        };
        units.sort_by_key(|u| u.param);
        let params = task.params();
        let unit_text = |u: &Unit| joined(u.args.start + head..u.args.end + head);
        let result_text = joined(args.len() - result.len()..args.len());
        let last_positional = units.iter().rposition(|u| u.positional);
        let leading_required = units
            .iter()
            .take_while(|u| u.positional || params[u.param].required)
            .count();
        let split = last_positional.map_or(0, |p| p + 1).max(leading_required);
        let mut first: Vec<String> = vec![joined(0..head)];
        first.extend(units[..split].iter().map(unit_text));
        let mut lines: Vec<String> = units[split..].iter().map(unit_text).collect();
        let mut all = first.clone();
        all.extend(lines.iter().cloned());
        if !result_text.is_empty() {
            all.push(result_text.clone());
        }
        let one_line = all.join(" ");
        let extra = if statement.block.is_some() { 2 } else { 0 };
        let wraps = !lines.is_empty()
            && width(&one_line) + depth * INDENT.len() + extra > MAX_WIDTH
            && units[split..]
                .iter()
                .all(|u| self.can_start_line(&args[u.args.start + head]));
        if !wraps {
            return Some(one_line);
        }
        if let Some(last) = lines.last_mut()
            && !result_text.is_empty()
        {
            last.push(' ');
            last.push_str(&result_text);
        }
        let indent = INDENT.repeat(depth + 1);
        let mut out = first.join(" ");
        for line in lines {
            out.push('\n');
            out.push_str(&indent);
            out.push_str(&line);
        }
        Some(out)
    }

    /// The arguments in the order written, one space apart; a statement written over
    /// several lines keeps its line breaks (it is printed as written).
    fn as_written(&self, statement: &Statement, texts: &[String]) -> Option<String> {
        let first = statement.args.first().map_or(0, |a| a.span().start);
        let last = statement.args.last().map_or(0, |a| a.span().end);
        if self.text[first..last].contains('\n') && !self.single_token_lines(first, last) {
            return None;
        }
        Some(texts.join(" "))
    }

    /// Whether every line break between `from` and `to` is inside a token.
    fn single_token_lines(&self, from: usize, to: usize) -> bool {
        self.text[from..to]
            .match_indices('\n')
            .all(|(i, _)| self.inside_token(from + i))
    }

    /// Whether an option may begin a continuation line: the parser joins such a line to
    /// the statement above only if it starts with a word that names no statement.
    fn can_start_line(&self, arg: &Arg) -> bool {
        match arg {
            Arg::Word(w) => {
                !tasks::Registry::standard().is_statement_head(&w.value) && w.value != "else"
            }
            Arg::Value(_) => false,
        }
    }

    fn arg(&self, arg: &Arg) -> String {
        match arg {
            Arg::Word(w) => self.src(w.span).to_string(),
            Arg::Value(v) => self.value(v),
        }
    }

    /// A value: as written, except that a call's arguments are spaced canonically.
    fn value(&self, value: &Expr) -> String {
        match value {
            Expr::Call { name, args, .. } => {
                let args: Vec<String> = args.iter().map(|a| self.value(a)).collect();
                format!("{}({})", name.value, args.join(", "))
            }
            other => self.src(other.span()).to_string(),
        }
    }
}

/// The width of the widest line of `text`, in characters.
fn width(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Where an item starts and ends in the script.
pub(super) fn item_span(item: &Item) -> Span {
    match item {
        Item::Workflow(w) => w.span,
        Item::Param(b) | Item::Let(b) => b.span,
        Item::Statement(s) => s.span,
        Item::Field(f) => f.span,
    }
}
