//! `import invoices from FILE success FILE fail FILE`: Connect XML invoices and credit notes into the ledger.
super::ledger_io::import_task!(
    ImportInvoices,
    ["import", "invoices"],
    crate::ledger::InvoiceImportOptions,
    Invoices,
    encoding order.customer.encoding,
    "Import Connect XML invoices and credit notes into the ledger, posted to the customer's balance; every invoice ends in the success or the fail file, none twice",
    "import invoices from \"download.xml\" success \"invoice_success.xml\" fail \"invoice_fail.xml\""
);
