//! `docs/ledger.md` shows each import's options exactly as they are declared in code.
use zynk::ledger::{
    CustomerImportOptions, OptionSpec, ProductImportOptions, SalesOrderImportOptions,
    StockTransactionImportOptions, options_markdown,
};

fn own(specs: &'static [OptionSpec]) -> Vec<&'static OptionSpec> {
    specs.iter().collect()
}

#[test]
fn the_option_tables_in_the_docs_are_derived_from_the_declarations() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ledger.md"))
        .unwrap_or_default();
    let missing: Vec<String> = [
        ("import customers", own(CustomerImportOptions::OPTIONS)),
        ("import sales orders", own(SalesOrderImportOptions::OPTIONS)),
        ("import products", own(ProductImportOptions::OPTIONS)),
        (
            "import stock transactions",
            own(StockTransactionImportOptions::OPTIONS),
        ),
    ]
    .into_iter()
    .map(|(statement, specs)| (statement, options_markdown(&specs)))
    .filter(|(_, table)| !doc.contains(table))
    .map(|(statement, table)| format!("<<{statement}>>\n{table}<<end>>"))
    .collect();
    assert!(
        missing.is_empty(),
        "docs/ledger.md is missing option tables:\n{}",
        missing.join("\n")
    );
}
