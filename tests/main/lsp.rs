//! `zynk lsp`: a client in the test drives the real binary over stdio, as an editor does.
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// A language client talking to one `zynk lsp` process.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zynk"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start zynk lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                reader.read_exact(&mut body).expect("body");
                let value: Value = serde_json::from_slice(&body).expect("JSON");
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 1,
        };
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        assert!(
            init["capabilities"]["hoverProvider"]
                .as_bool()
                .unwrap_or(false),
            "{init}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Waits for a message that `wanted` accepts, skipping others.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(20))
                .expect("zynk lsp answered in time");
            if wanted(&message) {
                return message;
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait(|m| m["id"] == json!(id));
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "zynk", "version": 1, "text": text}}),
        );
        self.wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
            ["params"]["diagnostics"]
            .clone()
    }

    fn at(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("zynk lsp exits");
        assert!(status.success(), "zynk lsp exited with {status}");
    }
}

/// UTF-16 code units before byte `offset` of `line`, as LSP columns count.
fn utf16(line: &str, offset: usize) -> u32 {
    line[..offset].encode_utf16().count() as u32
}

const URI: &str = "file:///project/shop%20sync.zynk";

#[test]
fn a_typo_in_an_option_is_a_diagnostic_with_its_code_and_utf16_range() {
    let mut client = Client::start();
    let line = "fetch \"http://127.0.0.1:8080/caf\u{e9}/\u{1f600}\" to \"a.xml\" retrys 2";
    let diagnostics = client.open(URI, &format!("workflow \"Shop\"\n{line}\n"));
    let list = diagnostics.as_array().expect("list");
    assert_eq!(list.len(), 1, "{diagnostics}");
    let d = &list[0];
    assert_eq!(d["code"], "zynk::check::unknown_option", "{d}");
    assert_eq!(d["severity"], 1);
    let start = utf16(line, line.find("retrys").expect("retrys"));
    assert_eq!(
        d["range"]["start"],
        json!({"line": 1, "character": start}),
        "{d}"
    );
    assert_eq!(
        d["range"]["end"],
        json!({"line": 1, "character": start + 6}),
        "{d}"
    );
    assert!(
        d["message"]
            .as_str()
            .expect("message")
            .contains("help: did you mean `retries`?"),
        "{d}"
    );

    // Fixing it clears the diagnostic.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"text": "workflow \"Shop\"\nfetch \"http://127.0.0.1:8080/a\" to \"a.xml\" retries 2\n"}]}),
    );
    let cleared = client.wait(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(cleared["params"]["diagnostics"], json!([]), "{cleared}");
    client.stop();
}

#[test]
fn syntax_errors_are_diagnostics_too() {
    let mut client = Client::start();
    let diagnostics = client.open(URI, "fetch \"http://127.0.0.1:8080/a to \"a.xml\"\n");
    assert_eq!(
        diagnostics[0]["code"], "zynk::syntax::unterminated_string",
        "{diagnostics}"
    );
    client.stop();
}

#[test]
fn an_option_given_twice_points_at_its_first_use_too() {
    let mut client = Client::start();
    let line = "fetch \"http://127.0.0.1:8080/a\" to \"a.xml\" retries 1 retries 2";
    let diagnostics = client.open(URI, &format!("{line}\n"));
    let d = &diagnostics[0];
    assert_eq!(d["code"], "zynk::check::duplicate_option", "{d}");
    let second = line.rfind("2").expect("2") as u32;
    assert_eq!(d["range"]["start"]["character"], second, "{d}");
    let related = &d["relatedInformation"][0];
    assert_eq!(related["message"], "first given here", "{d}");
    let first = line.find("1 ").expect("1") as u32;
    assert_eq!(
        related["location"]["range"]["start"]["character"], first,
        "{d}"
    );
    assert_eq!(related["location"]["uri"], URI);
    client.stop();
}

const SCRIPT: &str = "workflow \"Shop\"
param site = \"http://127.0.0.1:8080\"
fetch \"${site}/zynk/download\" to \"download.xml\" retries 2
foreach file in \"In\" {
    delete file
    log \"${file.stem}\"
}
fetch \"${site}/b\" 
";

#[test]
fn hover_shows_the_registry_text_of_options_statements_and_fields() {
    let mut client = Client::start();
    client.open(URI, SCRIPT);
    let retries_doc = zynk::tasks::Registry::standard()
        .named("fetch")
        .and_then(|t| t.params().iter().find(|p| p.keyword == Some("retries")))
        .map(|p| p.doc)
        .expect("fetch has retries");
    let col = SCRIPT
        .lines()
        .nth(2)
        .expect("line")
        .find("retries")
        .expect("retries") as u32;
    let hover = client.at("textDocument/hover", URI, 2, col + 2);
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains(retries_doc), "{hover}");
    assert_eq!(
        hover["range"]["start"],
        json!({"line": 2, "character": col})
    );

    let hover = client.at("textDocument/hover", URI, 2, 1);
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.starts_with("**fetch**"), "{text}");

    let stem = SCRIPT
        .lines()
        .nth(5)
        .expect("line")
        .find("stem")
        .expect("stem") as u32;
    let hover = client.at("textDocument/hover", URI, 5, stem + 1);
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains(zynk::check::FileField::Stem.doc()), "{text}");

    let hover = client.at("textDocument/hover", URI, 2, 10);
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        text.contains("param site = \"http://127.0.0.1:8080\""),
        "{text}"
    );
    client.stop();
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str().map(String::from))
        .collect()
}

#[test]
fn completion_offers_options_statements_variables_and_fields() {
    let mut client = Client::start();
    client.open(URI, SCRIPT);
    let last = SCRIPT.lines().nth(7).expect("line").len() as u32;
    let options = labels(&client.at("textDocument/completion", URI, 7, last));
    assert!(options.contains(&"retries".to_string()), "{options:?}");
    assert!(options.contains(&"to".to_string()), "{options:?}");
    assert!(options.contains(&"site".to_string()), "{options:?}");
    assert!(!options.contains(&"fetch".to_string()), "{options:?}");
    // `retries` is given on line 3 already, so it is not offered again there.
    let line2 = SCRIPT.lines().nth(2).expect("line").len() as u32;
    let given = labels(&client.at("textDocument/completion", URI, 2, line2));
    assert!(!given.contains(&"retries".to_string()), "{given:?}");

    let statements = labels(&client.at("textDocument/completion", URI, 8, 0));
    for task in zynk::tasks::Registry::standard().tasks() {
        assert!(
            statements.contains(&task.name()),
            "{} missing: {statements:?}",
            task.name()
        );
    }
    let dot = SCRIPT
        .lines()
        .nth(5)
        .expect("line")
        .find("stem")
        .expect("stem") as u32;
    let fields = labels(&client.at("textDocument/completion", URI, 5, dot));
    assert!(
        fields.contains(&"stem".to_string()) && fields.contains(&"size".to_string()),
        "{fields:?}"
    );
    client.stop();
}

#[test]
fn definition_symbols_and_formatting() {
    let mut client = Client::start();
    client.open(URI, SCRIPT);
    let col = SCRIPT
        .lines()
        .nth(2)
        .expect("line")
        .find("site")
        .expect("site") as u32;
    let location = client.at("textDocument/definition", URI, 2, col + 1);
    assert_eq!(location["uri"], URI);
    assert_eq!(
        location["range"],
        json!({"start": {"line": 1, "character": 6}, "end": {"line": 1, "character": 10}})
    );

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let names = labels_of(&symbols, "name");
    assert_eq!(
        names,
        ["workflow \"Shop\"", "site", "fetch", "foreach", "fetch"],
        "{symbols}"
    );
    let children = labels_of(&symbols[3]["children"], "name");
    assert_eq!(children, ["delete", "log"]);

    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let formatted = edits[0]["newText"].as_str().expect("edit");
    assert_eq!(formatted, zynk::format::format(SCRIPT).expect("formats"));
    assert!(formatted.ends_with("fetch \"${site}/b\"\n"), "{formatted}");
    client.stop();
}

fn labels_of(items: &Value, key: &str) -> Vec<String> {
    items
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i[key].as_str().map(String::from))
        .collect()
}

#[test]
fn hover_and_completion_never_panic_anywhere_in_a_script() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let scripts = [
        "scripts/website-sage50.zynk",
        "scripts/maps/magento.zynk",
        "tests/fixtures/syntax/several_errors.zynk",
        "tests/fixtures/format/comments.zynk",
    ];
    for rel in scripts {
        let text = std::fs::read_to_string(root.join(rel)).expect(rel);
        let text = format!("{text}caf\u{e9} \"${{\u{1f600}");
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let _ = zynk::lsp::hover::hover(&text, offset);
            let _ = zynk::lsp::completion::complete(&text, offset);
        }
        let _ = zynk::lsp::symbols::symbols(&zynk::source::SourceFile::from_text(rel, &text));
    }
}

/// While a line being typed has a syntax error the outline keeps the lines that parse, and
/// completion offers only what is declared above the cursor.
#[test]
fn the_outline_survives_a_syntax_error_and_completion_knows_declaration_order() {
    let mut client = Client::start();
    let text = "workflow \"Shop\"\nlet early = \"a\"\nfetch \"http://x/${e}\" to \"a.xml\n\nlet late = \"b\"\nfetch \"http://x/y\" to \"b.xml\"\n";
    client.open(URI, text);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let names = labels_of(&symbols, "name");
    assert!(
        names.contains(&"early".to_string()) && names.contains(&"late".to_string()),
        "{symbols}"
    );
    let col = text.lines().nth(2).expect("line").find("${e").expect("var") as u32 + 3;
    let offered = labels(&client.at("textDocument/completion", URI, 2, col));
    assert!(offered.contains(&"early".to_string()), "{offered:?}");
    assert!(!offered.contains(&"late".to_string()), "{offered:?}");
    client.stop();
}
