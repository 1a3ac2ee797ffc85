//! `import customers from FILE success FILE fail FILE`: Connect XML customers into the ledger.
super::ledger_io::import_task!(
    ImportCustomers,
    ["import", "customers"],
    crate::ledger::CustomerImportOptions,
    Customers,
    "Import Connect XML customers into the ledger; every record ends in the success or the fail file",
    "import customers from \"download.xml\" success \"customer_success.xml\" fail \"customer_fail.xml\""
);
