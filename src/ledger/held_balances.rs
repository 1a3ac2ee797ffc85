//! The balance moves of one import, summed per customer account and bank account and written
//! once each just before the import commits (same transaction).
//!
//! Nothing an import checks reads a balance, and a write error rolls the whole import back, so
//! one update per account at the end leaves the ledger exactly as one update per record would:
//! the same balances, and the same accounts counted as modified (those with a move that was not
//! zero).
use std::cell::RefCell;
use std::collections::BTreeMap;

use super::money::round2;
use super::{Ledger, LedgerError};

/// One account's held move: the sum, and whether any move of it was not zero.
#[derive(Debug, Default, Clone, Copy)]
struct Held {
    amount: f64,
    moved: bool,
}

/// Customer and bank balance moves decided by an import, not yet written.
#[derive(Debug, Default)]
pub(crate) struct HeldBalances {
    customers: RefCell<BTreeMap<String, Held>>,
    banks: RefCell<BTreeMap<String, Held>>,
}

impl HeldBalances {
    /// Holds `amount` to add to customer `account_ref`'s balance.
    pub(crate) fn customer(&self, account_ref: &str, amount: f64) {
        hold(&self.customers, account_ref, amount);
    }

    /// Holds `amount` to add to bank `nominal_code`'s balance.
    pub(crate) fn bank(&self, nominal_code: &str, amount: f64) {
        hold(&self.banks, nominal_code, amount);
    }

    /// Writes every held move (by account, then by bank) and forgets them.
    pub(crate) fn write(&self, ledger: &Ledger) -> Result<(), LedgerError> {
        for (account, held) in std::mem::take(&mut *self.customers.borrow_mut()) {
            if held.moved {
                ledger.move_balance_always(&account, held.amount)?;
            }
        }
        for (bank, held) in std::mem::take(&mut *self.banks.borrow_mut()) {
            if held.moved {
                ledger.move_bank(&bank, held.amount)?;
            }
        }
        Ok(())
    }
}

fn hold(map: &RefCell<BTreeMap<String, Held>>, key: &str, amount: f64) {
    if amount == 0.0 {
        return;
    }
    let mut map = map.borrow_mut();
    let held = match map.get_mut(key) {
        Some(h) => h,
        None => map.entry(key.to_string()).or_default(),
    };
    held.amount = round2(held.amount + amount);
    held.moved = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_per_account_and_remembers_a_move_that_cancelled_out() {
        let held = HeldBalances::default();
        held.customer("A1", 125.94);
        held.customer("A1", -10.0);
        held.customer("B1", 5.0);
        held.customer("B1", -5.0);
        held.customer("C1", 0.0);
        let customers = held.customers.borrow();
        assert_eq!(customers["A1"].amount, 115.94);
        assert!(
            customers["B1"].moved,
            "B1 moved, though back to where it was"
        );
        assert_eq!(customers["B1"].amount, 0.0);
        assert!(!customers.contains_key("C1"), "a zero move touches nothing");
    }
}
