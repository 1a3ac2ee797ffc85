//! `zynk plan`: every effect of a run, in order, with nothing touched and nothing sent.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::harness::Project;
use crate::support::server::{TestResponse, TestServer};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/connect")
            .join(name),
    )
    .expect("fixture")
}

/// Every file and folder below `dir`: its bytes and modification time (folders: none).
fn fingerprint(dir: &Path) -> BTreeMap<PathBuf, Option<(Vec<u8>, std::time::SystemTime)>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Option<(Vec<u8>, std::time::SystemTime)>>) {
        for entry in std::fs::read_dir(dir).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                out.insert(path.clone(), None);
                walk(&path, out);
            } else {
                let modified = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .expect("mtime");
                out.insert(
                    path.clone(),
                    Some((std::fs::read(&path).expect("read"), modified)),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, &mut out);
    out
}

const SEED_WORKDIR: &str = "data/Website Script Based Sage 50 Integration";

#[test]
fn the_seed_workflow_is_planned_effect_by_effect_and_nothing_is_touched() {
    let project = Project::new();
    let server = TestServer::start(|_| TestResponse::ok("<Company/>"));
    // A working folder as an earlier run left it: two chunks whose upload failed, a stray
    // file, a ledger.
    let product = fixture("Product Import or Export Sample.xml");
    project.write(
        &format!("{SEED_WORKDIR}/Stock Export/product_export_10.xml"),
        &product,
    );
    project.write(
        &format!("{SEED_WORKDIR}/Stock Export/product_export_2.xml"),
        &product,
    );
    project.write(&format!("{SEED_WORKDIR}/notes.txt"), "kept from yesterday");
    drop(zynk::ledger::Ledger::open(&project.path("data/ledger.sqlite")).expect("ledger"));
    drop(zynk::state::StateStore::open(&project.path("data/state.sqlite")).expect("state"));
    let before = fingerprint(project.dir.path());

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/website-sage50.zynk");
    let site = server.url("").trim_end_matches('/').to_string();
    let out = project.zynk(&[
        "plan",
        script.to_str().expect("utf-8"),
        "--data",
        "data",
        "--var",
        &format!("site={site}"),
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(fingerprint(project.dir.path()), before, "a file changed");
    assert!(server.requests().is_empty(), "a request was sent");
    insta::assert_snapshot!(out.stdout.replace(&site, "http://SHOP"));
}

#[test]
fn foreach_is_expanded_over_the_files_there_now_in_natural_order() {
    let project = Project::new();
    for name in ["b_10.xml", "b_2.xml", "a.XML", "skip.txt"] {
        project.write(&format!("data/t/Out/{name}"), "<Company/>");
    }
    project.script(
        "workflow \"t\"\nforeach file in \"Out\" matching \"*.xml\" {\n    copy file to \"Sent/${file.stem}.bak\"\n    delete file\n}\nforeach file in \"Sent\" {\n    log \"${file.name}\"\n}\n",
    );
    let before = fingerprint(project.dir.path());
    let out = project.zynk(&["plan", "script.zynk"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(fingerprint(project.dir.path()), before);
    let text = &out.stdout;
    let order: Vec<usize> = [
        "list Out: 3 files (matching *.xml)",
        "[file 1 of 3: Out/a.XML]",
        "write Sent/a.bak",
        "delete Out/a.XML",
        "[file 2 of 3: Out/b_2.xml]",
        "write Sent/b_2.bak",
        "[file 3 of 3: Out/b_10.xml]",
        "delete Out/b_10.xml",
        // The second loop sees the copies the first one makes.
        "list Sent: 3 files",
        "[file 1 of 3: Sent/a.bak (written by line 3)]",
        "log: a.bak",
        "[file 3 of 3: Sent/b_10.bak (written by line 3)]",
    ]
    .iter()
    .map(|needle| {
        text.find(needle)
            .unwrap_or_else(|| panic!("no `{needle}` in\n{text}"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "out of order:\n{text}"
    );
    assert!(!text.contains("skip.txt"), "{text}");
}

#[test]
fn an_import_of_a_file_an_earlier_fetch_writes_is_marked_as_depending_on_it() {
    let project = Project::new();
    project.write(
        "data/t/customers.xml",
        &fixture("Customer with Sales Order and Card Payment [DOWNLOAD].xml"),
    );
    project.script(
        "workflow \"t\"\n\nfetch \"https://shop.example/orders?token=s3cret\" to \"orders.xml\"\nimport sales orders from \"orders.xml\" success \"ok.xml\" fail \"bad.xml\"\nimport customers from \"customers.xml\" success \"c_ok.xml\" fail \"c_bad.xml\"\n",
    );
    let out = project.zynk(&["plan", "script.zynk"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = &out.stdout;
    assert!(
        text.contains("GET https://shop.example/orders?token=***"),
        "{text}"
    );
    assert!(!text.contains("s3cret"), "{text}");
    assert!(
        text.contains("read orders.xml (count unknown: written by line 3)"),
        "{text}"
    );
    let customers = zynk::connect::RecordReader::count(
        &project.path("data/t/customers.xml"),
        "Customers",
        "Customer",
    )
    .expect("count");
    assert!(customers > 0);
    assert!(
        text.contains(&format!(
            "read customers.xml: {customers} record{}",
            if customers == 1 { "" } else { "s" }
        )),
        "{text}"
    );
    assert!(
        text.contains("ledger data/ledger.sqlite: import customers; the ledger does not exist yet"),
        "{text}"
    );
    assert!(!project.path("data/ledger.sqlite").exists());
}

#[test]
fn an_invalid_script_gets_the_diagnostics_and_exit_code_of_check() {
    let project = Project::new();
    project.script("workflow \"t\"\nfetch \"https://shop.example/x\" to \"a.xml\" retrys 1\n");
    let path = "script.zynk";
    let check = project.zynk(&["check", path]);
    for format in ["text", "json"] {
        let plan = project.zynk(&["plan", path, "--format", format]);
        assert_eq!(plan.code, 2, "{}", plan.stderr);
        assert_eq!(plan.code, check.code);
        assert_eq!(plan.stderr, check.stderr);
        assert!(plan.stderr.contains("retries"), "{}", plan.stderr);
        assert!(plan.stdout.is_empty(), "{}", plan.stdout);
    }
    assert!(!project.path("data").exists());
}

#[test]
fn conditions_are_evaluated_when_known_and_both_branches_shown_when_not() {
    let project = Project::new();
    project.write("data/t/here.xml", "<Company/>");
    project.script(concat!(
        "workflow \"t\"\n",
        "if exists \"here.xml\" {\n    delete \"here.xml\"\n} else {\n    log \"never\"\n}\n",
        "fetch \"https://shop.example/x\" to \"x.xml\" as got\n",
        "if got.size > 0 {\n    log \"got ${got.size} bytes\"\n} else {\n    stop \"empty\"\n}\n",
        "log \"after\"\n",
    ));
    let out = project.zynk(&["plan", "script.zynk"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = &out.stdout;
    assert!(text.contains("test exists \"here.xml\": holds"), "{text}");
    assert!(text.contains("[the condition holds]"), "{text}");
    assert!(!text.contains("never"), "{text}");
    assert!(
        text.contains("test got.size > 0: known only while running (depends on line 7)"),
        "{text}"
    );
    assert!(
        text.contains("[if the condition holds] (conditional)"),
        "{text}"
    );
    assert!(text.contains("log: got ${got.size} bytes"), "{text}");
    assert!(text.contains("[else] (conditional)"), "{text}");
    // A `stop` that may not run does not end the plan.
    assert!(text.contains("log: after"), "{text}");
}

#[test]
fn a_record_loop_is_expanded_over_the_records_of_the_file() {
    let project = Project::new();
    project.write(
        "data/t/orders.xml",
        "<Company><SalesOrders><SalesOrder><Id>7</Id></SalesOrder><SalesOrder><Id>9</Id></SalesOrder></SalesOrders></Company>",
    );
    project.script(
        "workflow \"t\"\nforeach order in \"orders.xml\" by xpath `/Company/SalesOrders/SalesOrder` {\n    notify \"https://shop.example/done/${order `Id`}\" with order to \"r_${order `Id`}.txt\"\n}\n",
    );
    let out = project.zynk(&["plan", "script.zynk"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = &out.stdout;
    for needle in [
        "read orders.xml: 2 records",
        "[record 1 of 2 in orders.xml]",
        "POST https://shop.example/done/7",
        "write r_7.txt",
        "[record 2 of 2 in orders.xml]",
        "POST https://shop.example/done/9",
    ] {
        assert!(text.contains(needle), "no `{needle}` in\n{text}");
    }
}

#[test]
fn the_json_plan_has_the_documented_shape() {
    let project = Project::new();
    project.script(
        "workflow \"t\"\nfetch \"https://shop.example/a\" to \"a.xml\"\nimport customers from \"a.xml\" success \"s.xml\" fail \"f.xml\"\narchive\n",
    );
    let out = project.zynk(&["plan", "script.zynk", "--format", "json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let plan: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(plan["workflow"], "t");
    assert_eq!(
        plan["workdir"],
        Path::new("data").join("t").display().to_string()
    );
    let statements = plan["statements"].as_array().expect("statements");
    let names: Vec<&str> = statements
        .iter()
        .map(|s| s["statement"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["fetch", "import customers", "archive"]);
    let fetch = &statements[0]["effects"];
    assert_eq!(fetch[0]["action"], "request");
    assert_eq!(fetch[0]["method"], "GET");
    assert_eq!(fetch[0]["url"], "https://shop.example/a");
    assert_eq!(fetch[1]["action"], "write");
    assert_eq!(fetch[1]["path"], "a.xml");
    let read = &statements[1]["effects"][0];
    assert_eq!(read["action"], "read");
    assert_eq!(read["state"], "written");
    assert_eq!(read["depends_on"], 2);
    assert!(read.get("records").is_none());
    assert_eq!(statements[1]["effects"][1]["action"], "ledger");
    let archive = statements[2]["effects"]
        .as_array()
        .expect("effects")
        .iter()
        .find(|e| e["action"] == "archive")
        .expect("archive effect");
    assert_eq!(
        archive["files"],
        serde_json::json!([
            "a.xml (written by line 2)",
            "f.xml (written by line 3)",
            "s.xml (written by line 3)"
        ])
    );
}

#[test]
// A `stop` known to run ends the plan; a moved file is gone from where it was.
fn moves_and_a_certain_stop_shape_what_comes_after() {
    let project = Project::new();
    project.write("data/t/in.xml", "<Company/>");
    project.write("data/t/enough.txt", "yes");
    project.script(concat!(
        "workflow \"t\"\n",
        "move \"in.xml\" to \"Done/\"\n",
        "copy \"in.xml\" to \"again.xml\"\n",
        "copy \"Done/in.xml\" to \"again.xml\"\n",
        "if exists \"enough.txt\" {\n    stop \"that is all\"\n}\n",
        "log \"never planned\"\n",
    ));
    let out = project.zynk(&["plan", "script.zynk"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = &out.stdout;
    for needle in [
        "move in.xml → Done/in.xml",
        "read in.xml (removed by line 2: the run would fail here)",
        "read Done/in.xml (written by line 2)",
        "stop: the run ends here as succeeded: that is all; nothing after it runs",
    ] {
        assert!(text.contains(needle), "no `{needle}` in\n{text}");
    }
    assert!(!text.contains("never planned"), "{text}");
    assert!(project.path("data/t/in.xml").exists());
}

#[test]
// Counted from the ledger and the state store as they are, read only.
fn an_export_counts_the_products_it_would_write_since_the_last_export() {
    let project = Project::new();
    project.write(
        "products.xml",
        &fixture("Stationary & Computer Mart - Product Export.xml"),
    );
    let mut ledger =
        zynk::ledger::Ledger::open(&project.path("data/ledger.sqlite")).expect("ledger");
    let state =
        zynk::state::StateStore::open(&project.path("data/state.sqlite")).expect("state store");
    let seeded = zynk::ledger::import_products(
        &mut ledger,
        &state,
        "seed",
        &project.path("products.xml"),
        &project.path("seed_success.xml"),
        &project.path("seed_fail.xml"),
        &zynk::ledger::ProductImportOptions::default(),
    )
    .expect("seed the ledger")
    .succeeded;
    drop(ledger);
    drop(state);
    assert!(seeded > 1);
    project.script("workflow \"t\"\nexport stock modified to \"p.xml\"\n");
    let plural = |n: u64| format!("{n} record{}", if n == 1 { "" } else { "s" });

    let before = fingerprint(project.dir.path());
    let first = project.zynk(&["plan", "script.zynk"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains(&format!(
            "ledger data/ledger.sqlite: export stock modified, {}",
            plural(seeded)
        )),
        "{}",
        first.stdout
    );
    assert_eq!(fingerprint(project.dir.path()), before);

    let run = project.zynk(&["run", "script.zynk"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let before = fingerprint(project.dir.path());
    let second = project.zynk(&["plan", "script.zynk"]);
    assert!(
        second
            .stdout
            .contains("ledger data/ledger.sqlite: export stock modified, 0 records"),
        "{}",
        second.stdout
    );
    assert!(
        second
            .stdout
            .contains("write p.xml (replaces the file there now)"),
        "{}",
        second.stdout
    );
    assert_eq!(fingerprint(project.dir.path()), before, "a file changed");
}

#[test]
fn a_loop_over_files_modified_since_the_last_run_takes_only_those() {
    let project = Project::new();
    project.write("data/t/In/a.txt", "a");
    project.write("data/t/In/b.txt", "b");
    project.script(
        "workflow \"t\"\nforeach file in \"In\" matching \"*.txt\" modified since last run {\n    log \"saw ${file.name}\"\n}\n",
    );
    let first = project.zynk(&["plan", "script.zynk"]);
    assert!(
        first.stdout.contains(
            "list In: 2 files (matching *.txt; every file: the loop has not completed before)"
        ),
        "{}",
        first.stdout
    );
    let run = project.zynk(&["run", "script.zynk"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    std::thread::sleep(std::time::Duration::from_millis(20));
    project.write("data/t/In/b.txt", "b2");
    let second = project.zynk(&["plan", "script.zynk"]);
    let text = &second.stdout;
    assert!(
        text.contains("list In: 1 file (matching *.txt; only files modified since the last run, "),
        "{text}"
    );
    assert!(text.contains("[file 1 of 1: In/b.txt]"), "{text}");
    assert!(text.contains("log: saw b.txt"), "{text}");
    assert!(!text.contains("saw a.txt"), "{text}");
}

#[test]
fn every_field_and_word_of_the_json_plan_is_documented() {
    fn walk(value: &serde_json::Value, keys: &mut Vec<String>, words: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(object) => {
                for (key, field) in object {
                    keys.push(key.clone());
                    if let ("action" | "state", Some(word)) = (key.as_str(), field.as_str()) {
                        words.push(word.to_string());
                    }
                    walk(field, keys, words);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(item, keys, words);
                }
            }
            _ => {}
        }
    }
    let project = Project::new();
    project.write("data/t/Out/a.xml", "<Company/>");
    project.write("data/t/old.txt", "x");
    project.script(concat!(
        "workflow \"t\"\n",
        "fetch \"https://shop.example/a\" to \"a.xml\"\n",
        "notify \"https://shop.example/n\" with \"a.xml\" to \"r.txt\" as sent\n",
        "import customers from \"a.xml\" success \"s.xml\" fail \"f.xml\"\n",
        "export stock all to \"p.xml\"\n",
        "split \"p.xml\" by xpath `/Company/Products/Product` into \"Chunks\"\n",
        "foreach file in \"Out\" {\n    move file to \"Done/\"\n}\n",
        "if sent.status == 200 {\n    log \"sent\"\n} else {\n    stop failed \"not sent\"\n}\n",
        "delete \"gone.txt\"\n",
        "archive\n",
    ));
    let out = project.zynk(&["plan", "script.zynk", "--format", "json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let plan: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let (mut keys, mut words) = (Vec::new(), Vec::new());
    walk(&plan, &mut keys, &mut words);
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/plan.md"))
        .expect("docs/plan.md");
    for key in &keys {
        assert!(
            doc.contains(&format!("| `{key}` |")),
            "`{key}` is not in docs/plan.md"
        );
    }
    for word in &words {
        assert!(
            doc.contains(&format!("`{word}`")),
            "`{word}` is not in docs/plan.md"
        );
    }
    for action in [
        "request",
        "read",
        "write",
        "move",
        "delete",
        "create_folder",
        "list",
        "archive",
        "ledger",
        "test",
        "log",
        "stop",
    ] {
        assert!(
            words.iter().any(|w| w == action),
            "no `{action}` in\n{}",
            out.stdout
        );
    }
}

#[test]
// The chunks of a file there now are known by name, numbered after those still waiting.
fn a_split_of_a_file_there_now_names_its_chunks_and_the_loop_over_them() {
    let project = Project::new();
    let products = fixture("Product Import or Export Sample.xml");
    project.write("data/t/p.xml", &products);
    project.write("data/t/Chunks/p_1.xml", &products);
    let n =
        zynk::connect::RecordReader::count(&project.path("data/t/p.xml"), "Products", "Product")
            .expect("count");
    project.script(concat!(
        "workflow \"t\"\n",
        "split \"p.xml\" by xpath `/Company/Products/Product` limit 1 into \"Chunks\"\n",
        "foreach chunk in \"Chunks\" {\n    delete chunk\n}\n",
    ));
    let out = project.zynk(&["plan", "script.zynk"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = &out.stdout;
    let records = format!("{n} record{}", if n == 1 { "" } else { "s" });
    assert!(text.contains(&format!("read p.xml: {records}")), "{text}");
    for k in 2..=n + 1 {
        assert!(
            text.contains(&format!("write Chunks/p_{k}.xml\n")),
            "{text}"
        );
        assert!(
            text.contains(&format!("Chunks/p_{k}.xml (written by line 2)]")),
            "{text}"
        );
    }
    assert!(!text.contains("write Chunks/p_1.xml"), "{text}");
    assert!(
        text.contains(&format!("[file 1 of {}: Chunks/p_1.xml]", n + 1)),
        "{text}"
    );
    assert!(!text.contains("names known only while running"), "{text}");
}

#[test]
fn a_stop_known_to_run_inside_a_loop_ends_the_loop_and_the_plan() {
    let project = Project::new();
    for name in ["a.txt", "b.txt", "c.txt"] {
        project.write(&format!("data/t/In/{name}"), name);
    }
    project.script(concat!(
        "workflow \"t\"\n",
        "foreach file in \"In\" {\n",
        "    if file.name == \"b.txt\" {\n        stop \"found ${file.name}\"\n    }\n",
        "    log \"saw ${file.name}\"\n",
        "}\n",
        "log \"after the loop\"\n",
    ));
    let out = project.zynk(&["plan", "script.zynk"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = &out.stdout;
    assert!(text.contains("log: saw a.txt"), "{text}");
    assert!(
        text.contains("test file.name == \"b.txt\": holds"),
        "{text}"
    );
    assert!(
        text.contains("stop: the run ends here as succeeded: found b.txt"),
        "{text}"
    );
    assert!(!text.contains("saw b.txt"), "{text}");
    assert!(!text.contains("c.txt]"), "{text}");
    assert!(!text.contains("after the loop"), "{text}");
}
