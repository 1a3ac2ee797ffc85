//! `editors/`: the TextMate grammar is the one generated from the statement registry, its
//! keyword lists name every statement and option, and the VS Code extension starts
//! `zynk lsp` with that grammar.
use std::path::Path;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const GRAMMAR: &str = "editors/vscode/syntaxes/zynk.tmLanguage.json";

#[test]
fn the_grammar_is_generated_from_the_registry() {
    assert!(
        read(GRAMMAR) == zynk::editor_grammar::textmate_grammar(),
        "{GRAMMAR} is out of date: regenerate it with `zynk editors-grammar > {GRAMMAR}`"
    );
}

/// The whole-word matcher of one keyword list of the grammar.
fn matcher(grammar: &Value, rule: &str) -> regex::Regex {
    let pattern = grammar["repository"][rule]["match"]
        .as_str()
        .unwrap_or_else(|| panic!("no `{rule}` rule"));
    regex::Regex::new(&format!("^(?:{pattern})$")).expect("the pattern compiles")
}

#[test]
fn the_grammar_names_every_statement_and_option() {
    let grammar: Value = serde_json::from_str(&read(GRAMMAR)).expect("JSON");
    let statements = matcher(&grammar, "statement");
    let options = matcher(&grammar, "option");
    for task in zynk::tasks::Registry::standard().tasks() {
        let name = task.name();
        assert!(
            statements.is_match(&name),
            "statement `{name}` is not highlighted"
        );
        assert!(
            statements.is_match(&name.replace(' ', "  ")),
            "`{name}` with two spaces is not highlighted"
        );
        for keyword in task.params().iter().filter_map(|p| p.keyword) {
            assert!(
                options.is_match(keyword),
                "option `{keyword}` of `{name}` is not highlighted"
            );
        }
    }
    assert!(!statements.is_match("fetchx") && !options.is_match("retriesx"));
}

#[test]
fn the_vscode_extension_starts_zynk_lsp_with_the_grammar() {
    let package: Value = serde_json::from_str(&read("editors/vscode/package.json")).expect("JSON");
    let grammars = &package["contributes"]["grammars"][0];
    assert_eq!(grammars["path"], "./syntaxes/zynk.tmLanguage.json");
    assert_eq!(grammars["scopeName"], "source.zynk");
    assert_eq!(
        package["contributes"]["languages"][0]["extensions"][0],
        ".zynk"
    );
    let main = package["main"].as_str().expect("main");
    let extension = read(&format!("editors/vscode/{}", main.trim_start_matches("./")));
    assert!(extension.contains("args: [\"lsp\"]"), "{extension}");
    let _: Value = serde_json::from_str(&read("editors/vscode/language-configuration.json"))
        .expect("language configuration is JSON");
}
