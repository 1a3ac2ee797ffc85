//! Completion: statement names at the start of a line, the options of the statement at
//! the cursor, the script's variables, and the fields after `file.`.
use lsp_types::{CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind};

use super::context::{self, DeclarationKind, Script};
use super::hover::{param_doc, statement_doc};
use crate::check::FileField;
use crate::tasks::{self, Kind, Registry};

/// What may be written at `offset`.
#[must_use]
pub fn complete(text: &str, offset: usize) -> Vec<CompletionItem> {
    let offset = offset.min(text.len());
    let prefix_start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .last()
        .map_or(offset, |(i, _)| i);
    let prefix = &text[prefix_start..offset];
    // Only what is declared above the cursor can be used there.
    let script = Script::new(text);
    let declarations: Vec<context::Declaration> = script
        .declarations()
        .into_iter()
        .filter(|d| d.span.end <= prefix_start)
        .collect();
    match script.in_string(offset) {
        Some(false) => return Vec::new(),
        Some(true) => return values(prefix, &declarations),
        None => {}
    }
    if prefix.contains('.') {
        return values(prefix, &declarations);
    }
    let line = script.index().position(offset).line as usize;
    let statement = script.statement_at(line);
    let before: Vec<&str> = statement
        .tokens
        .iter()
        .filter(|(_, s)| s.end < prefix_start || (s.end == prefix_start && prefix.is_empty()))
        .map(|(w, _)| *w)
        .collect();
    if before.is_empty() {
        return statement_names();
    }
    let Some(task) = statement.task.filter(|t| t.head().len() <= before.len()) else {
        return rest_of_names(&before);
    };
    if let Some(values) = option_values(task, &before[task.head().len()..]) {
        return values;
    }
    let given: Vec<&str> = before.clone();
    let mut items = Vec::new();
    for param in task.params() {
        if let Some(keyword) = param.keyword {
            let first = keyword.split(' ').next().unwrap_or(keyword);
            if !param.repeat && given.contains(&first) {
                continue;
            }
            items.push(item(
                keyword,
                CompletionItemKind::KEYWORD,
                &param.usage(),
                &param_doc(task, param),
            ));
        } else if let Kind::Choice(choices) = param.kind {
            for choice in choices {
                items.push(item(
                    choice,
                    CompletionItemKind::ENUM_MEMBER,
                    &param.usage(),
                    param.doc,
                ));
            }
        }
    }
    if !task.results().is_empty() && !given.contains(&"as") {
        items.push(item(
            "as",
            CompletionItemKind::KEYWORD,
            "as NAME",
            "name this statement's results for later lines",
        ));
    }
    items.extend(values(prefix, &declarations));
    items
}

/// The words an option takes when the cursor is at its value: `duplicates ` offers its
/// choices, a yes/no option `true` and `false`, `keep 30 ` its units.
fn option_values(task: &dyn tasks::Task, after_head: &[&str]) -> Option<Vec<CompletionItem>> {
    let words = |list: &[&str], param: &tasks::Param| {
        list.iter()
            .map(|w| {
                item(
                    w,
                    CompletionItemKind::ENUM_MEMBER,
                    &param.usage(),
                    param.doc,
                )
            })
            .collect()
    };
    for param in task.params() {
        let Some(keyword) = param.keyword else {
            continue;
        };
        let parts: Vec<&str> = keyword.split(' ').collect();
        let ends_with = |tail: &[&str]| after_head.ends_with(tail);
        match param.kind {
            Kind::Choice(choices) if ends_with(&parts) => return Some(words(choices, param)),
            Kind::Bool if ends_with(&parts) => return Some(words(&["true", "false"], param)),
            Kind::CountUnit(units)
                if after_head.len() > parts.len()
                    && after_head[..after_head.len() - 1].ends_with(&parts)
                    && after_head
                        .last()
                        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit())) =>
            {
                return Some(words(units, param));
            }
            _ => {}
        }
    }
    None
}

/// Variables, or the fields of the variable before the `.`.
fn values(prefix: &str, declarations: &[context::Declaration]) -> Vec<CompletionItem> {
    if let Some((base, _)) = prefix.split_once('.') {
        let declared = declarations.iter().rev().find(|d| d.name == base);
        return match declared.map(|d| &d.kind) {
            Some(DeclarationKind::Results { statement, fields }) => fields
                .iter()
                .map(|(name, doc)| {
                    item(
                        name,
                        CompletionItemKind::FIELD,
                        &format!("a result of `{statement}`"),
                        doc,
                    )
                })
                .collect(),
            Some(DeclarationKind::Loop) | None => FileField::ALL
                .iter()
                .map(|(name, field)| {
                    item(name, CompletionItemKind::FIELD, "file field", field.doc())
                })
                .collect(),
            Some(_) => Vec::new(),
        };
    }
    let mut seen = Vec::new();
    declarations
        .iter()
        .filter(|d| {
            let fresh = !seen.contains(&d.name);
            seen.push(d.name.clone());
            fresh
        })
        .map(|d| item(&d.name, CompletionItemKind::VARIABLE, &d.line, ""))
        .collect()
}

fn statement_names() -> Vec<CompletionItem> {
    let mut items: Vec<CompletionItem> = Registry::standard()
        .tasks()
        .map(|t| {
            item(
                &t.name(),
                CompletionItemKind::FUNCTION,
                t.summary(),
                &statement_doc(t),
            )
        })
        .collect();
    for (word, doc) in [
        ("workflow", "workflow \"Name\""),
        ("param", "param name = value"),
        ("let", "let name = value"),
    ] {
        items.push(item(word, CompletionItemKind::KEYWORD, doc, ""));
    }
    items
}

/// The rest of a statement name whose first words are written (`import` → `customers`).
fn rest_of_names(before: &[&str]) -> Vec<CompletionItem> {
    Registry::standard()
        .tasks()
        .filter(|t| {
            let head = t.head();
            head.len() > before.len() && head.iter().zip(before).all(|(h, w)| h == w)
        })
        .map(|t| {
            let rest = t.head()[before.len()..].join(" ");
            item(
                &rest,
                CompletionItemKind::FUNCTION,
                t.summary(),
                &statement_doc(t),
            )
        })
        .collect()
}

fn item(label: &str, kind: CompletionItemKind, detail: &str, doc: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        documentation: (!doc.is_empty()).then(|| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: doc.to_string(),
            })
        }),
        ..CompletionItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::complete;

    fn labels(text: &str, at: usize) -> Vec<String> {
        complete(text, at).into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn file_fields_inside_an_interpolation() {
        let text = "foreach file in \"In\" {\n    log \"${file.stem}\"\n}\n";
        let at = text.find("stem").expect("stem");
        let got = labels(text, at);
        assert!(got.contains(&"stem".to_string()), "{got:?}");
    }

    #[test]
    fn the_rest_of_a_statement_name() {
        let got = labels("import ", 7);
        assert!(got.contains(&"customers".to_string()), "{got:?}");
        assert!(got.contains(&"sales orders".to_string()), "{got:?}");
    }

    #[test]
    fn an_option_with_choices_offers_them() {
        let text = "export stock to \"a.xml\"\nimport customers from \"a.xml\" success \"s.xml\" fail \"f.xml\" reference_convention ";
        let got = labels(text, text.len());
        assert!(got.contains(&"forename_surname".to_string()), "{got:?}");
        assert!(!got.contains(&"success".to_string()), "{got:?}");
    }
}
