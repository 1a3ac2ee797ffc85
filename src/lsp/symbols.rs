//! The outline of a script: its workflow, params, lets and statements, blocks nested.
use lsp_types::{DocumentSymbol, SymbolKind};

use super::position::LineIndex;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{Arg, Item};

/// The symbols of a script: of every top-level line that parses, so that the outline stays
/// while a line being typed has a syntax error.
#[must_use]
pub fn symbols(source: &SourceFile) -> Vec<DocumentSymbol> {
    let mut parsed = Vec::new();
    let _errors =
        crate::syntax::parse_each(source, crate::tasks::Registry::standard(), &mut |item| {
            parsed.push(item)
        });
    let index = LineIndex::new(&source.text);
    items(&parsed, &source.text, &index)
}

fn items(items: &[Item], text: &str, index: &LineIndex<'_>) -> Vec<DocumentSymbol> {
    items
        .iter()
        .map(|item| match item {
            Item::Workflow(w) => symbol(
                format!("workflow {}", &text[w.name.span().start..w.name.span().end]),
                SymbolKind::MODULE,
                w.span,
                w.span,
                index,
                Vec::new(),
            ),
            Item::Param(b) | Item::Let(b) => symbol(
                b.name.value.clone(),
                SymbolKind::VARIABLE,
                b.span,
                b.name.span,
                index,
                Vec::new(),
            ),
            Item::Field(f) => symbol(
                text[f.target.span.start..f.target.span.end].to_string(),
                SymbolKind::FIELD,
                f.span,
                f.target.span,
                index,
                Vec::new(),
            ),
            Item::Statement(s) => {
                let words: Vec<&str> = s
                    .args
                    .iter()
                    .map_while(|a| match a {
                        Arg::Word(w) => Some(w.value.as_str()),
                        Arg::Value(_) => None,
                    })
                    .collect();
                let name = crate::format::options::task_of(&s.args)
                    .map_or_else(|| words.first().unwrap_or(&"?").to_string(), |t| t.name());
                let detail = s.args.get(name.split(' ').count()).map(|a| {
                    let span = a.span();
                    text[span.start..span.end].to_string()
                });
                let mut children = Vec::new();
                if let Some(block) = &s.block {
                    children.extend(self::items(&block.items, text, index));
                }
                if let Some(block) = &s.otherwise {
                    children.extend(self::items(&block.items, text, index));
                }
                let selection = s.args.first().map_or(s.span, Arg::span);
                let mut symbol = symbol(
                    name,
                    SymbolKind::FUNCTION,
                    s.span,
                    selection,
                    index,
                    children,
                );
                symbol.detail = detail;
                symbol
            }
        })
        .collect()
}

#[allow(deprecated)] // `deprecated` is a required field of the type
fn symbol(
    name: String,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    index: &LineIndex<'_>,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range: index.range(span.start, span.end),
        selection_range: index.range(selection.start, selection.end),
        children: (!children.is_empty()).then_some(children),
    }
}
