//! Hand-made workflows: every ZynkObject kind, every Razor form, tasks four levels deep,
//! disabled tasks, `BreakOnFailure` false, encrypted, dotted and global variables.
use crate::convert::{check, convert};

#[test]
fn every_kind_of_value_converts() {
    let conversion = convert("kinds.wkf");
    let script = &conversion.script;
    check("kinds.zynk", script, &[]);
    let has = |line: &str| {
        assert!(
            script.lines().any(|l| l.trim() == line),
            "missing line\n  {line}\nin\n{script}"
        );
    };
    // VariableValue, a header and auth from an encrypted variable, ms → s, or continue.
    has("param Url_Base = \"http://127.0.0.1:9\"");
    has("let Api_Key = env(\"API_KEY\")");
    has(
        "fetch Url_Base to \"a.xml\" retries 3 timeout 30s user_agent \"Mine/1\" header \"X-Key\" Api_Key auth \"me\" Api_Key or continue",
    );
    // Razor @Context.Workflow, PreviousValue, a one-item ListValue, 1500 ms.
    has("notify \"${Url_Base}/notify\" with \"a.xml\" to \"r.txt\" timeout 1500ms");
    // UriValue, and ReadContentsOfFile on a body (which `with` sends anyway).
    has("http PUT \"http://127.0.0.1:9/put\" with \"a.xml\"");
    // Enabled false.
    has("# delete \"old.xml\"");
    // Nesting: loop › container › loop › container › task; Current is the inner file.
    has("foreach file in Folder matching \"*.xml\" recursive {");
    has("foreach file_2 in file {");
    has("notify Global_Upload with file_2 to \"${file_2.stem}${file_2.ext}.out\"");
    has("delete \"${file_2.dir}/${file_2.name}\"");
    has("# ── \"Depth three\" ──");
    has("let Global_Upload = env(\"GLOBAL_UPLOAD\")");
    // Invoices and transactions become their imports.
    has(
        "import invoices from \"invoices.xml\" success \"invoice_ok.xml\" fail \"invoice_bad.xml\" manual_invoice_numbers true prices_include_tax true",
    );
    has(
        "import transactions from \"payments.xml\" success \"payment_ok.xml\" fail \"payment_bad.xml\" allocate_receipts true",
    );
    // Defaults left out, others written.
    has("export stock all to \"products.xml\" published only");
    has("split \"products.xml\" by xpath `/Company/Products/Product` limit 50 into \"chunks\"");
    has(
        "import sales orders from \"a.xml\" success \"ok.xml\" fail \"bad.xml\" reference_convention surname_forename alpha_length 0 mask \"WEB???\" auto_create_customer true allocate_stock true default_bank_account \"1210\"",
    );
    has("archive to \"Old Runs\" keep 30 days");
    // A variable named like the loop variable is renamed.
    has("param file_var = \"clash\"");

    let report = &conversion.report;
    let left = |what: &str| {
        report
            .not_converted
            .iter()
            .find(|u| u.trail.ends_with(what))
            .unwrap_or_else(|| panic!("{what} not in the report: {report:#?}"))
    };
    assert!(
        left("Post a record field")
            .reason
            .contains("SelectSingleNode")
    );
    assert!(
        left("Split into dated chunks")
            .reason
            .contains("DateTime.Now")
    );
    assert!(left("Delete by a code block").reason.contains("code block"));
    assert!(
        left("Something zynk has never heard of")
            .reason
            .contains("no statement")
    );
    let settings: Vec<&str> = report
        .not_converted
        .iter()
        .filter_map(|u| u.setting.as_deref())
        .collect();
    assert_eq!(
        settings,
        ["EncodingType", "ExportAttachments", "VatSettings"]
    );
    assert_eq!(report.disabled, ["Old clean-up"]);
    assert!(script.contains("Password = (set in the workflow; not copied)"));
    assert!(!script.contains("hunter2"), "secrets are not copied");
    insta::assert_snapshot!(script);
}

#[test]
fn the_report_reads_as_text() {
    let report = convert("kinds.wkf").report.text();
    assert!(
        report.starts_with("converted \"Every kind- of value\": "),
        "{report}"
    );
    assert!(report.contains("at /Workflow/Tasks/Task[15]"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn file_tasks_and_log_messages_convert() {
    let conversion = convert("files.wkf");
    check("files.zynk", &conversion.script, &[]);
    let lines: Vec<&str> = conversion
        .script
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(
        lines,
        [
            "workflow \"File tasks\"",
            "param Where = \"Done\"",
            "copy \"download.xml\" to \"Backup/download.xml\" overwrite",
            "move \"download.xml\" to \"Done/\"",
            "log \"Done/\"",
            "log \"Moved: ${Where}\"",
            "move \"a.xml\" to \"b.xml\"",
        ]
    );
    let left: Vec<_> = conversion
        .report
        .not_converted
        .iter()
        .map(|u| (u.trail.as_str(), u.setting.as_deref()))
        .collect();
    assert_eq!(left, [("Move with a timestamp", Some("PrependTimestamp"))]);
}

#[test]
fn record_repeaters_and_file_conditions_convert() {
    let conversion = convert("conditions.wkf");
    check("conditions.zynk", &conversion.script, &[]);
    assert!(conversion.report.complete(), "{}", conversion.report.text());
    let lines: Vec<&str> = conversion
        .script
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(
        lines,
        [
            "workflow \"Records and conditions\"",
            "if not exists \"download.xml\" {",
            "log \"no download today\"",
            "}",
            "foreach record in \"download.xml\" by xpath `Company/SalesOrders/SalesOrder` {",
            "notify \"http://127.0.0.1:9/order\" with record to \"order_${record `Id`}_response.xml\"",
            "if exists \"order_${record `Id`}_response.xml\" and size of \"order_${record `Id`}_response.xml\" >= 600 {",
            "log \"Order ${record `Id`} for ${record `CustomerInvoiceAddress/Email`}\"",
            "}",
            "}",
        ]
    );
}
