//! `import sales orders from FILE success FILE fail FILE`: Connect XML orders into the ledger.
super::ledger_io::import_task!(
    ImportSalesOrders,
    ["import", "sales", "orders"],
    crate::ledger::SalesOrderImportOptions,
    SalesOrders,
    "Import Connect XML sales orders into the ledger; every order ends in the success or the fail file, none twice",
    "import sales orders from \"download.xml\" success \"salesorder_success.xml\" fail \"salesorder_fail.xml\""
);
