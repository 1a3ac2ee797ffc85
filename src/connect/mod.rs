//! Connect XML records: streaming reader, typed views, and atomic success/fail/export writers.
mod contact;
mod customer;
mod error;
mod errors;
mod field_limit;
mod fields;
mod node;
mod pool;
mod product;
mod reader;
mod sales_order;
pub(crate) mod schema;
mod transaction;
pub(crate) mod value;
mod writer;

pub use contact::Contact;
pub use customer::Customer;
pub use error::ConnectError;
pub use errors::{RecordError, mark_failed};
pub(crate) use field_limit::{FieldLimit, FieldTooLarge};
pub use node::Node;
pub use product::{Product, format_number};
pub use reader::{MAX_FIELD_BYTES, MAX_RECORD_DEPTH, RecordReader, line_column};
pub use sales_order::{DocumentNames, INVOICE_NAMES, Item, SALES_ORDER_NAMES, SalesOrder};
pub use transaction::Transaction;
pub use value::{FieldError, parse_bool, parse_datetime};
pub use writer::{
    COMPANY_COLLECTIONS, CompanyWriter, PendingFile, Shape, escape_into, write_document, write_node,
};

/// Reads every record of `/Company/<collection>/<record>` from `path` (small files and tests).
pub fn read_all(
    path: &std::path::Path,
    collection: &str,
    record: &str,
) -> Result<Vec<Node>, ConnectError> {
    let mut reader = RecordReader::open(path, collection, record)?;
    let mut out = Vec::new();
    while let Some(node) = reader.next_node()? {
        out.push(node);
    }
    Ok(out)
}
