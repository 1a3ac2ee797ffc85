//! Every one of Zynk's 28 published sample workflows converts to a script that checks, and
//! its report names every task that was not converted.
use crate::convert::{check, convert, fixture};

fn samples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture("samples"))
        .expect("samples")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wkf"))
        .collect();
    names.sort();
    names
}

/// The number of `<Task>` elements in a workflow file, at any depth.
fn task_count(name: &str) -> usize {
    let text = std::fs::read_to_string(fixture(name)).expect("sample");
    let doc = roxmltree::Document::parse(&text).expect("xml");
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Task")
        .count()
}

#[test]
fn every_sample_workflow_converts_to_a_script_that_checks() {
    let names = samples();
    assert_eq!(names.len(), 28);
    let mut complete = Vec::new();
    for name in &names {
        let path = format!("samples/{name}");
        let conversion = convert(&path);
        check(name, &conversion.script, &[]);
        let report = &conversion.report;
        assert_eq!(
            report.tasks,
            task_count(&path),
            "{name}: every task is counted"
        );
        let left: Vec<_> = report
            .not_converted
            .iter()
            .filter(|u| u.setting.is_none())
            .collect();
        assert_eq!(
            report.converted + report.flattened + left.len(),
            report.tasks,
            "{name}: each task is converted, flattened or reported"
        );
        for u in &left {
            let marker = format!("[not converted] {} ", u.task);
            assert!(
                conversion.script.contains(&marker),
                "{name}: {} is reported but not in the script",
                u.path
            );
            assert!(u.path.starts_with("/Workflow/Tasks/Task["), "{}", u.path);
        }
        assert_eq!(
            conversion.script.matches("[not converted] ").count(),
            left.len(),
            "{name}: every comment block is in the report"
        );
        if report.complete() {
            complete.push(name.as_str());
        }
    }
    assert!(
        complete.contains(&"Website Script Based Sage 50 Integration.wkf"),
        "{complete:?}"
    );
}

#[test]
fn report_paths_point_at_the_tasks() {
    let conversion = convert("samples/FTP to Sage 50 Integration.wkf");
    let text =
        std::fs::read_to_string(fixture("samples/FTP to Sage 50 Integration.wkf")).expect("sample");
    let doc = roxmltree::Document::parse(&text).expect("xml");
    for u in conversion
        .report
        .not_converted
        .iter()
        .filter(|u| u.setting.is_none())
    {
        let xpath = zynk::xpath::compile(&u.path).expect("the path is an XPath");
        let nodes = xpath.select(doc.root()).expect("selects");
        assert_eq!(nodes.len(), 1, "{}", u.path);
        let task = nodes[0];
        assert!(
            task.attribute("type").is_some_and(|t| t.contains(&u.task)),
            "{}",
            u.path
        );
    }
    let names: Vec<&str> = conversion
        .report
        .not_converted
        .iter()
        .map(|u| u.trail.as_str())
        .collect();
    assert!(
        names.contains(&"Download Orders From FTP › For each file on the FTP"),
        "{names:?}"
    );
    assert!(
        names.contains(&"Download Orders From FTP › For each file on the FTP › If Order Imported Successfully › Move File on FTP"),
        "{names:?}"
    );
}
