//! The grammar of `map` blocks (`zynk::syntax::map_block`), one table per rule: each row
//! is the lines of a block and the typed nodes parsed from them, in a compact s-expression
//! (one `(…)` per line, blocks in `{…}`), or the mistake a line makes.
//!
//! Every part of a node is rendered from its span (the script text the span covers), so a
//! wrong span changes the rendering; and every node's span must lie inside its line's.
//!
//! The rendering:
//!
//! - `(lookup FILE as NAME by … key … value …)`, `(root NAME)`, `(namespace [PREFIX] URI)`;
//! - `(for-each [distinct KEY in] SELECT (sorted KEY [numeric] [ORDER]) as TARGET {…})`,
//!   the `distinct` part being the text of its span;
//! - `(field TARGET VALUE [if not empty | if V] [default V])`, `(let NAME V)`;
//! - `(choose TARGET {(when TEST [then] V) … (otherwise V)})`;
//! - a line that does not fit: `(error KIND@LINE "label")`, LINE counted from the block's
//!   first line.
use zynk::source::{SourceFile, Span};
use zynk::syntax::ast::{Arg, Item};
use zynk::syntax::map_block::{
    Branch, FieldCondition, ForEach, MapSyntaxError, RecordLine, TopLine, parse_map_block,
};

/// A block's lines and what the grammar makes of them.
struct Row {
    body: &'static str,
    want: &'static str,
}

const fn row(body: &'static str, want: &'static str) -> Row {
    Row { body, want }
}

/// Renders typed nodes from the script text their spans cover.
struct Render<'s> {
    file: &'s SourceFile,
    /// Spans found outside their line's.
    strays: Vec<String>,
}

impl Render<'_> {
    fn text(&self, span: Span) -> &str {
        self.file
            .text
            .get(span.start..span.end)
            .unwrap_or("<bad span>")
    }

    /// The text at `inner`, which must lie inside `outer`.
    fn part(&mut self, outer: Span, inner: Span) -> String {
        if inner.start < outer.start || inner.end > outer.end {
            self.strays.push(format!(
                "{:?} is outside {:?}",
                self.text(inner),
                self.text(outer)
            ));
        }
        self.text(inner).to_string()
    }

    fn arg(&mut self, outer: Span, arg: &Arg) -> String {
        self.part(outer, arg.span())
    }

    fn error(&self, e: &MapSyntaxError) -> String {
        let kind = format!("{:?}", e.mistake).to_lowercase();
        let line = self.file.line_col(e.span.start).0 - 1;
        format!("(error {kind}@{line} {:?})", e.label)
    }

    fn top(&mut self, line: &TopLine) -> String {
        match line {
            TopLine::Lookup(l) => {
                let mut out = format!(
                    "(lookup {} as {}",
                    self.part(l.span, l.file.span()),
                    self.part(l.span, l.name.span)
                );
                for (word, option) in [("by", &l.by), ("key", &l.key), ("value", &l.value)] {
                    if let Some(arg) = option {
                        out.push_str(&format!(" {word} {}", self.arg(l.span, arg)));
                    }
                }
                out + ")"
            }
            TopLine::Root(r) => format!("(root {})", self.part(r.span, r.name.span())),
            TopLine::Namespace(n) => {
                let prefix = match &n.prefix {
                    Some(p) => format!(" {}", self.part(n.span, p.span)),
                    None => String::new(),
                };
                format!("(namespace{prefix} {})", self.part(n.span, n.uri.span()))
            }
            TopLine::ForEach(rule) => self.for_each(rule),
            TopLine::Invalid(e) => self.error(e),
        }
    }

    fn for_each(&mut self, rule: &ForEach) -> String {
        let at = rule.span;
        let mut out = String::from("(for-each ");
        if let Some(d) = &rule.distinct {
            let whole = self.part(at, d.span);
            self.part(d.span, d.key.span);
            out.push_str(&format!("[{whole}] "));
        }
        out.push_str(&self.part(at, rule.select.span));
        if let Some(s) = &rule.sort {
            self.part(at, s.span);
            let mut sorted = format!(" (sorted {}", self.part(s.span, s.key.span));
            if let Some(numeric) = s.numeric {
                sorted.push_str(&format!(" {}", self.part(s.span, numeric)));
            }
            if let Some(order) = &s.order {
                let text = self.part(s.span, order.span);
                assert_eq!(text, format!("{:?}", order.value).to_lowercase());
                sorted.push_str(&format!(" {text}"));
            }
            out.push_str(&sorted);
            out.push(')');
        }
        out.push_str(&format!(" as {} {{", self.part(at, rule.target.span)));
        let body: Vec<String> = rule.body.iter().map(|l| self.record_line(l)).collect();
        out.push_str(&body.join(" "));
        out + "})"
    }

    fn record_line(&mut self, line: &RecordLine) -> String {
        match line {
            RecordLine::Field(f) => {
                let at = f.span;
                let mut out = format!(
                    "(field {} {}",
                    self.part(at, f.target.span),
                    self.part(at, f.value.span())
                );
                match &f.condition {
                    Some(FieldCondition::NotEmpty(span)) => {
                        out.push_str(&format!(" {}", self.part(at, *span)));
                    }
                    Some(FieldCondition::When(v)) => {
                        out.push_str(&format!(" if {}", self.part(at, v.span())));
                    }
                    None => {}
                }
                if let Some(d) = &f.default {
                    out.push_str(&format!(" default {}", self.part(at, d.span())));
                }
                out + ")"
            }
            RecordLine::Let(l) => format!(
                "(let {} {})",
                self.part(l.span, l.name.span),
                self.part(l.span, l.value.span())
            ),
            RecordLine::Choose(c) => {
                let mut out = format!("(choose {} {{", self.part(c.span, c.target.span));
                let branches: Vec<String> = c
                    .branches
                    .iter()
                    .map(|b| {
                        let inside = match b {
                            Branch::When(w) => w.span,
                            Branch::Otherwise(o) => o.span,
                            Branch::Invalid(e) => e.span,
                        };
                        self.part(c.block, inside);
                        self.branch(b)
                    })
                    .collect();
                out.push_str(&branches.join(" "));
                out + "})"
            }
            RecordLine::ForEach(rule) => self.for_each(rule),
            RecordLine::Invalid(e) => self.error(e),
        }
    }

    fn branch(&mut self, branch: &Branch) -> String {
        match branch {
            Branch::When(w) => {
                let then = match w.then {
                    Some(span) => format!(" {}", self.part(w.span, span)),
                    None => String::new(),
                };
                format!(
                    "(when {}{then} {})",
                    self.part(w.span, w.test.span()),
                    self.part(w.span, w.value.span())
                )
            }
            Branch::Otherwise(o) => format!("(otherwise {})", self.part(o.span, o.value.span())),
            Branch::Invalid(e) => self.error(e),
        }
    }
}

/// What the grammar makes of the block holding `body`.
fn outcome(body: &str) -> String {
    let file = SourceFile::from_text(
        "row.zynk",
        &format!("map \"s.xml\" to \"o.xml\" {{\n{body}\n}}\n"),
    );
    let ast = match zynk::syntax::parse(&file, zynk::tasks::Registry::standard()) {
        Ok(ast) => ast,
        Err(errors) => return format!("does not parse: {errors:?}"),
    };
    let Some(Item::Statement(statement)) = ast.items.into_iter().next() else {
        return "no statement".into();
    };
    let Some(block) = statement.block else {
        return "no block".into();
    };
    let parsed = parse_map_block(block, &|w: &str| {
        zynk::tasks::Registry::standard().is_statement_head(w)
    });
    let mut render = Render {
        file: &file,
        strays: Vec::new(),
    };
    let lines: Vec<String> = parsed
        .lines
        .iter()
        .map(|line| {
            let span = match line {
                TopLine::Lookup(l) => l.span,
                TopLine::Root(r) => r.span,
                TopLine::Namespace(n) => n.span,
                TopLine::ForEach(f) => f.span,
                TopLine::Invalid(e) => e.span,
            };
            render.part(parsed.span, span);
            render.top(line)
        })
        .collect();
    if render.strays.is_empty() {
        lines.join(" ")
    } else {
        format!("spans astray: {}", render.strays.join("; "))
    }
}

/// Runs a table: the rows that differ are listed together, with the table as it is now.
fn table(name: &str, rows: &[Row]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            let got = outcome(row.body);
            (got != row.want).then(|| {
                format!(
                    "  body: {:?}\n    want: {}\n     got: {got}",
                    row.body, row.want
                )
            })
        })
        .collect();
    if !wrong.is_empty() {
        let now: String = rows
            .iter()
            .map(|row| format!("row({:?}, {:?}),\n", row.body, outcome(row.body)))
            .collect();
        panic!(
            "{name}: {} of {} rows differ:\n{}\n\nthe table as it is now:\n{now}",
            wrong.len(),
            rows.len(),
            wrong.join("\n")
        );
    }
}

#[test]
fn top_line() {
    table(
        "top_line",
        &[
            row(
                "lookup \"c.csv\" as c\nroot \"catalog\"\nfor each `/o` as \"S/S\" {\n\"Id\" = `@id`\n}",
                "(lookup \"c.csv\" as c) (root \"catalog\") (for-each `/o` as \"S/S\" {(field \"Id\" `@id`)})",
            ),
            row(
                "\"Id\" = `@id`",
                "(error mapping@1 \"expected `for each` here\")",
            ),
            row(
                "let x = 1",
                "(error mapping@1 \"expected `for each` here\")",
            ),
            row(
                "foreach `/o` as \"S\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"write `for each`\")",
            ),
            row(
                "encoding \"UTF-8\"",
                "(error rule@1 \"move it to the `map` line\")",
            ),
            row("log \"x\"", "(error rule@1 \"a statement inside `map`\")"),
            row(
                "choose \"X\" {\nwhen `a` \"b\"\n}",
                "(error rule@1 \"expected `for each`\")",
            ),
            row("\"Id\" == `@id`", "(error field@1 \"expected `=`\")"),
            // A mistake stays on its line; the lines around it are read.
            row(
                "for each `/o` as \"S\" {\n\"Id\" = `@id`\n}\nfour each `/p` as \"P\" {\n\"Id\" = `@id`\n}",
                "(for-each `/o` as \"S\" {(field \"Id\" `@id`)}) (error rule@4 \"expected `for each`\")",
            ),
        ],
    );
}

#[test]
fn for_each() {
    table(
        "for_each",
        &[
            row(
                "for each `/orders/order` as \"SalesOrders/SalesOrder\" {\n\"Id\" = `@id`\nfor each `items/item` as \"SalesOrderItems/Item\" {\n\"Sku\" = `sku`\n}\n}",
                "(for-each `/orders/order` as \"SalesOrders/SalesOrder\" {(field \"Id\" `@id`) (for-each `items/item` as \"SalesOrderItems/Item\" {(field \"Sku\" `sku`)})})",
            ),
            row(
                "for each \"/o\" as \"S\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"expected the XPath that selects the records, in backticks\")",
            ),
            row(
                "for each `/o` \"S\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"expected `as \\\"Wrapper/Record\\\"`\")",
            ),
            row(
                "for each `/o` as S {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"expected the target, e.g. \\\"SalesOrders/SalesOrder\\\"\")",
            ),
            row(
                "for each `/o` as \"S\" extra {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"unexpected after the target\")",
            ),
            row(
                "for each `/o` as \"S\"",
                "(error mapping@1 \"no `{ … }` block\")",
            ),
            row(
                "for each `/o` as \"S\" {\nlookup \"c.csv\" as c\nworkflow \"w\"\nforeach `x` as \"X\" {\n}\n}",
                "(for-each `/o` as \"S\" {(error rule@2 \"not at the top of the block\") (error mapping@3 \"not a field\") (error rule@4 \"write `for each`\")})",
            ),
            // A nested rule's mistake is on its own line.
            row(
                "for each `/o` as \"S\" {\nfor each `i` as {\n\"Sku\" = `sku`\n}\n}",
                "(for-each `/o` as \"S\" {(error rule@2 \"expected the target, e.g. \\\"SalesOrders/SalesOrder\\\"\")})",
            ),
        ],
    );
}

#[test]
fn distinct() {
    table(
        "distinct",
        &[
            row(
                "for each distinct `customer/email` in `/orders/order` as \"Customers/Customer\" {\n\"Id\" = `@id`\n}",
                "(for-each [distinct `customer/email` in] `/orders/order` as \"Customers/Customer\" {(field \"Id\" `@id`)})",
            ),
            row(
                "for each distinct in `/o` as \"C\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"expected the key, e.g. `customer/email`, in backticks\")",
            ),
            row(
                "for each distinct `email` `/o` as \"C\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"expected `in` and the records' XPath\")",
            ),
        ],
    );
}

#[test]
fn sorted() {
    table(
        "sorted",
        &[
            row(
                "for each `line` sorted by `qty` numeric descending as \"Items/Item\" {\n\"Id\" = `@id`\n}",
                "(for-each `line` (sorted `qty` numeric descending) as \"Items/Item\" {(field \"Id\" `@id`)})",
            ),
            row(
                "for each `line` sorted by `name` as \"Items/Item\" {\n\"Id\" = `@id`\n}",
                "(for-each `line` (sorted `name`) as \"Items/Item\" {(field \"Id\" `@id`)})",
            ),
            row(
                "for each distinct `sku` in `line` sorted by `sku` ascending numeric as \"I\" {\n\"Id\" = `@id`\n}",
                "(for-each [distinct `sku` in] `line` (sorted `sku` numeric ascending) as \"I\" {(field \"Id\" `@id`)})",
            ),
            row(
                "for each `line` sorted `qty` as \"I\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"expected `by` and the sort key\")",
            ),
            row(
                "for each `line` sorted by qty as \"I\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"expected the sort key, e.g. `sku`, in backticks\")",
            ),
            row(
                "for each `line` sorted by `qty` decending as \"I\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"not a sort option; did you mean `descending`?\")",
            ),
            row(
                "for each `line` sorted by `qty` numeric numeric as \"I\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"not a sort option; did you mean `numeric`?\")",
            ),
            row(
                "for each `line` sorted by `qty` ascending descending as \"I\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"not a sort option; did you mean `descending`?\")",
            ),
            row(
                "for each `line` sorted by `qty` \"I\" {\n\"Id\" = `@id`\n}",
                "(error rule@1 \"not a sort option\")",
            ),
        ],
    );
}

#[test]
fn field() {
    table(
        "field",
        &[
            row(
                "for each `/o` as \"S\" {\n\"Notes1\" = `note` if not empty\n\"Notes2\" = `note` if `string-length(note) > 0`\n\"Currency\" = `currency` default \"GBP\"\n\"Total\" = 12.5\n\"Site\" = site\n}",
                "(for-each `/o` as \"S\" {(field \"Notes1\" `note` if not empty) (field \"Notes2\" `note` if `string-length(note) > 0`) (field \"Currency\" `currency` default \"GBP\") (field \"Total\" 12.5) (field \"Site\" site)})",
            ),
            row(
                "for each `/o` as \"S\" {\n\"Notes1\" = `note` if empty\n}",
                "(for-each `/o` as \"S\" {(error fieldcondition@2 \"`if empty` would skip every field that has a value\")})",
            ),
            row(
                "for each `/o` as \"S\" {\n\"Id\" == `@id`\n}",
                "(for-each `/o` as \"S\" {(error field@2 \"expected `=`\")})",
            ),
        ],
    );
}

#[test]
fn let_line() {
    table(
        "let",
        &[row(
            "for each `/o` as \"S\" {\nlet net = `sum-of(items/item, price * qty)`\nlet site = \"MAG\"\n\"Id\" = `$net`\n}",
            "(for-each `/o` as \"S\" {(let net `sum-of(items/item, price * qty)`) (let site \"MAG\") (field \"Id\" `$net`)})",
        )],
    );
}

#[test]
fn choose() {
    table(
        "choose",
        &[
            row(
                "for each `/o` as \"S\" {\nchoose \"Ref\" {\nwhen `m = 'paypal'` then `tx`\nwhen `m = 'stripe'` \"Card\"\notherwise \"Bank\"\n}\n}",
                "(for-each `/o` as \"S\" {(choose \"Ref\" {(when `m = 'paypal'` then `tx`) (when `m = 'stripe'` \"Card\") (otherwise \"Bank\")})})",
            ),
            row(
                "for each `/o` as \"S\" {\nchoose \"Ref\" {\nwhen flag site\n}\n}",
                "(for-each `/o` as \"S\" {(choose \"Ref\" {(when flag site)})})",
            ),
            row(
                "for each `/o` as \"S\" {\nchoose \"Ref\" {\notherwise \"Bank\"\nwhen `a` \"b\"\n}\n}",
                "(for-each `/o` as \"S\" {(choose \"Ref\" {(otherwise \"Bank\") (error choose@4 \"after `otherwise`\")})})",
            ),
            row(
                "for each `/o` as \"S\" {\nchoose \"Ref\" {\nif `a` \"b\"\n\"X\" = `a`\n}\n}",
                "(for-each `/o` as \"S\" {(choose \"Ref\" {(error choose@3 \"not a branch\") (error choose@4 \"not a branch\")})})",
            ),
            row(
                "for each `/o` as \"S\" {\nchoose \"Ref\" {\nwhen\nwhen `a` \"b\" \"c\"\notherwise \"x\" \"y\"\n}\n}",
                "(for-each `/o` as \"S\" {(choose \"Ref\" {(error choose@3 \"no condition\") (error choose@4 \"one value after the condition\") (error choose@5 \"one value after `otherwise`\")})})",
            ),
            row(
                "for each `/o` as \"S\" {\nchoose Ref {\nwhen `a` \"b\"\n}\n}",
                "(for-each `/o` as \"S\" {(error choose@2 \"expected \\\"Field/Path\\\"\")})",
            ),
            row(
                "for each `/o` as \"S\" {\nchoose \"Ref\" \"Other\" {\nwhen `a` \"b\"\n}\n}",
                "(for-each `/o` as \"S\" {(error choose@2 \"unexpected\")})",
            ),
            row(
                "for each `/o` as \"S\" {\nchoose \"Ref\"\n}",
                "(for-each `/o` as \"S\" {(error choose@2 \"no `{ … }` block\")})",
            ),
        ],
    );
}

#[test]
fn lookup() {
    table(
        "lookup",
        &[
            row(
                "lookup \"countries.csv\" as countries key \"Name\" value \"Code\"",
                "(lookup \"countries.csv\" as countries key \"Name\" value \"Code\")",
            ),
            row(
                "lookup \"banks.xml\" as banks value `account` by `/banks/bank` key `method`",
                "(lookup \"banks.xml\" as banks by `/banks/bank` key `method` value `account`)",
            ),
            row(
                "lookup \"${tables}/c.csv\" as c",
                "(lookup \"${tables}/c.csv\" as c)",
            ),
            row(
                "lookup countries as c",
                "(error lookup@1 \"expected the table's file name\")",
            ),
            row(
                "lookup \"c.csv\" c",
                "(error lookup@1 \"expected `as NAME`\")",
            ),
            row(
                "lookup \"c.csv\" as \"c\"",
                "(error lookup@1 \"expected `as NAME`\")",
            ),
            row(
                "lookup \"c.csv\" as c column \"Name\"",
                "(error lookup@1 \"expected `by`, `key` or `value`, once each\")",
            ),
            row(
                "lookup \"c.csv\" as c key \"A\" key \"B\"",
                "(error lookup@1 \"expected `by`, `key` or `value`, once each\")",
            ),
            row(
                "lookup \"c.csv\" as c key",
                "(error lookup@1 \"unexpected here\")",
            ),
        ],
    );
}

#[test]
fn root() {
    table(
        "root",
        &[
            row("root \"catalog\"", "(root \"catalog\")"),
            row(
                "root name",
                "(error rootornamespace@1 \"the output's root element name\")",
            ),
            row(
                "root",
                "(error rootornamespace@1 \"the output's root element name\")",
            ),
            row(
                "root catalog products",
                "(error rootornamespace@1 \"the output's root element name\")",
            ),
            row(
                "root \"a\" \"b\"",
                "(error rootornamespace@1 \"the output's root element name\")",
            ),
        ],
    );
}

#[test]
fn namespace() {
    table(
        "namespace",
        &[
            row(
                "namespace \"http://example.com/c\"",
                "(namespace \"http://example.com/c\")",
            ),
            row(
                "namespace g \"http://base.google.com/ns/1.0\"",
                "(namespace g \"http://base.google.com/ns/1.0\")",
            ),
            row(
                "namespace g",
                "(error rootornamespace@1 \"invalid namespace\")",
            ),
            row(
                "namespace \"u\" \"v\"",
                "(error rootornamespace@1 \"invalid namespace\")",
            ),
            row(
                "namespace g h \"u\"",
                "(error rootornamespace@1 \"invalid namespace\")",
            ),
        ],
    );
}
