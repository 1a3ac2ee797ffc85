//! `import transactions from FILE success FILE fail FILE`: Connect XML receipts, payments and bank transactions posted to the ledger.
super::ledger_io::import_task!(
    ImportTransactions,
    ["import", "transactions"],
    crate::ledger::TransactionImportOptions,
    Transactions,
    encoding encoding,
    "Post Connect XML sales and bank transactions (receipts, payments, invoices, credits) to customer and bank balances; every transaction ends in the success or the fail file, none twice",
    "import transactions from \"payments.xml\" success \"transaction_success.xml\" fail \"transaction_fail.xml\""
);
