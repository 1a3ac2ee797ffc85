//! What an order import reads from the ledger once and keeps for its whole run.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::connect::Product;

use super::customer::CustomerRow;
use super::import_customers::AccountDefaults;
use super::{Ledger, LedgerError};

/// Ledger data read once per import: tax rates, special codes, default nominals, and the
/// stock records, accounts and bank accounts already looked up (stock records also when an
/// imported order created them). None of these change during an order import except by the
/// import itself.
pub(super) struct Lookups {
    pub(super) rates: HashMap<i64, f64>,
    pub(super) specials: HashMap<String, (String, Option<i64>)>,
    pub(super) default_nominal: Option<String>,
    pub(super) carriage_nominal: Option<String>,
    pub(super) defaults: AccountDefaults,
    pub(super) products: RefCell<HashMap<String, Rc<Product>>>,
    /// Accounts read so far (an order import never changes an existing account).
    pub(super) accounts: RefCell<HashMap<String, Rc<CustomerRow>>>,
    /// Bank nominal codes asked about so far, and whether each is a bank account.
    pub(super) banks: RefCell<HashMap<String, bool>>,
}

impl Lookups {
    /// Reads tax rates, special codes, nominal settings and account defaults.
    pub(super) fn load(ledger: &Ledger) -> Result<Lookups, LedgerError> {
        let rates = ledger
            .tax_codes()?
            .into_iter()
            .map(|t| (t.id, t.rate))
            .collect();
        let mut specials = HashMap::new();
        for code in ["S1", "S2", "S3", "M"] {
            if let Some(s) = ledger.special_product(code)? {
                specials.insert(code.to_string(), s);
            }
        }
        Ok(Lookups {
            rates,
            specials,
            default_nominal: ledger.setting("default_sales_nominal")?,
            carriage_nominal: ledger.setting("carriage_nominal")?,
            defaults: AccountDefaults::load(ledger)?,
            products: RefCell::new(HashMap::new()),
            accounts: RefCell::new(HashMap::new()),
            banks: RefCell::new(HashMap::new()),
        })
    }

    /// Caches stock records an imported order created (they are in the ledger now).
    pub(super) fn remember(&self, created: Vec<Product>) {
        let mut cache = self.products.borrow_mut();
        for p in created {
            cache.insert(p.sku.clone(), Rc::new(p));
        }
    }
}
