//! The parser's token stream: for every script in the repository that parses, the tokens
//! give the text back byte for byte, and every word and value of the syntax tree starts
//! and ends where tokens do, so `zynk fmt` and `zynk lsp` read the script as the parser
//! cut it. (A run of comparison signs is one token, `<>`, where the grammar may read two.)
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use zynk::source::{SourceFile, Span};
use zynk::syntax::TokenKind;
use zynk::syntax::ast::{Arg, Expr, FieldCondition, Item};

fn zynk_scripts(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            zynk_scripts(&path, out);
        } else if path.extension().is_some_and(|e| e == "zynk") {
            out.push(path);
        }
    }
}

/// Where tokens start and end.
struct Bounds {
    starts: HashSet<usize>,
    ends: HashSet<usize>,
}

impl Bounds {
    fn check(&self, what: &str, span: Span, wrong: &mut Vec<String>) {
        if !self.starts.contains(&span.start) || !self.ends.contains(&span.end) {
            wrong.push(format!("{what} {}..{}", span.start, span.end));
        }
    }

    fn expr(&self, value: &Expr, wrong: &mut Vec<String>) {
        self.check("value", value.span(), wrong);
        if let Expr::Call { name, args, .. } = value {
            self.check("call name", name.span, wrong);
            for arg in args {
                self.expr(arg, wrong);
            }
        }
    }

    fn items(&self, items: &[Item], wrong: &mut Vec<String>) {
        for item in items {
            match item {
                Item::Workflow(w) => self.expr(&w.name, wrong),
                Item::Param(b) | Item::Let(b) => {
                    self.check("name", b.name.span, wrong);
                    self.expr(&b.value, wrong);
                }
                Item::Field(f) => {
                    self.check("target", f.target.span, wrong);
                    self.expr(&f.value, wrong);
                    if let Some(FieldCondition::When(e)) = &f.condition {
                        self.expr(e, wrong);
                    }
                    if let Some(d) = &f.default {
                        self.expr(d, wrong);
                    }
                }
                Item::Statement(s) => {
                    for arg in &s.args {
                        match arg {
                            Arg::Word(w) => self.check("word", w.span, wrong),
                            Arg::Value(v) => self.expr(v, wrong),
                        }
                    }
                    for block in [&s.block, &s.otherwise].into_iter().flatten() {
                        self.items(&block.items, wrong);
                    }
                }
            }
        }
    }
}

#[test]
fn the_parsers_tokens_give_back_the_script_and_bound_every_value() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples", "scripts", "tests/fixtures"] {
        zynk_scripts(&root.join(dir), &mut files);
    }
    let mut parsed_scripts = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let source = SourceFile::from_text(&path.display().to_string(), &text);
        let parsed = zynk::syntax::parse_with_tokens(&source, zynk::tasks::Registry::standard());
        let joined: String = parsed.tokens.iter().map(|t| t.text(&text)).collect();
        assert_eq!(joined, text, "{}", path.display());
        let Ok(ast) = parsed.ast else {
            continue;
        };
        let inside_operators: Vec<usize> = parsed
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Operator)
            .flat_map(|t| t.span.start + 1..t.span.end)
            .collect();
        let bounds = Bounds {
            starts: parsed
                .tokens
                .iter()
                .map(|t| t.span.start)
                .chain(inside_operators.iter().copied())
                .collect(),
            ends: parsed
                .tokens
                .iter()
                .map(|t| t.span.end)
                .chain(inside_operators.iter().copied())
                .collect(),
        };
        let mut wrong = Vec::new();
        bounds.items(&ast.items, &mut wrong);
        assert!(
            wrong.is_empty(),
            "{}: parts of the tree that cut a token: {wrong:?}",
            path.display()
        );
        parsed_scripts += 1;
    }
    assert!(parsed_scripts > 50, "only {parsed_scripts} scripts parsed");
}
