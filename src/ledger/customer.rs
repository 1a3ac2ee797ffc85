//! Customer accounts (Sage `SALES_LEDGER`) and their extra delivery addresses.
use rusqlite::{OptionalExtension, params};

use super::{Ledger, LedgerError};
use crate::state::now_micros;

/// The columns of one customer account, as an import writes them. `None` leaves a column
/// unchanged on update (and takes the ledger default on create).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerRecord {
    /// `ACCOUNT_REF`: 1–8 characters, upper case.
    pub account_ref: String,
    /// `NAME` (60)
    pub name: Option<String>,
    /// `CONTACT_NAME` (30)
    pub contact_name: Option<String>,
    /// `ADDRESS_1..5`: street 1, street 2, `Address3, Town`, county, postcode (60 each).
    pub address: [Option<String>; 5],
    /// `COUNTRY_CODE` (2)
    pub country_code: Option<String>,
    /// `TELEPHONE` (30)
    pub telephone: Option<String>,
    /// `TELEPHONE_2` (30): the mobile.
    pub telephone_2: Option<String>,
    /// `FAX` (30)
    pub fax: Option<String>,
    /// `E_MAIL` (255)
    pub e_mail: Option<String>,
    /// `WEB_ADDRESS` (255)
    pub web_address: Option<String>,
    /// `TRADE_CONTACT` (30)
    pub trade_contact: Option<String>,
    /// `VAT_REG_NUMBER` (20)
    pub vat_reg_number: Option<String>,
    /// `ANALYSIS_1..3` (30)
    pub analysis: [Option<String>; 3],
    /// `PRICING_REF` (8)
    pub pricing_ref: Option<String>,
    /// `DEF_NOM_CODE` (8)
    pub def_nom_code: Option<String>,
    /// `DEF_TAX_CODE` (0–99)
    pub def_tax_code: Option<i64>,
    /// `CURRENCY`: only written when the account is created.
    pub currency: Option<String>,
    /// `CREDIT_LIMIT`
    pub credit_limit: Option<f64>,
    /// `TERMS` (30)
    pub terms: Option<String>,
    /// `TERMS_AGREED`
    pub terms_agreed: Option<bool>,
    /// `ACCOUNT_STATUS`
    pub account_status: Option<i64>,
    /// `ACCOUNT_ON_HOLD`
    pub account_on_hold: Option<bool>,
    /// `SETTLEMENT_DUE_DAYS`
    pub settlement_days: Option<i64>,
    /// `SETTLEMENT_DISC_RATE`
    pub settlement_discount: Option<f64>,
    /// `PAYMENT_DUE_DAYS`
    pub payment_days: Option<i64>,
    /// `MEMO`
    pub memo: Option<String>,
    /// `DEL_NAME` (60)
    pub del_name: Option<String>,
    /// `DEL_ADDRESS_1..5` (60 each)
    pub del_address: [Option<String>; 5],
    /// `DEL_CONTACT_NAME` (30)
    pub del_contact_name: Option<String>,
    /// `DEL_TELEPHONE` (30)
    pub del_telephone: Option<String>,
    /// `DEL_FAX` (30)
    pub del_fax: Option<String>,
    /// `DATE_ACCOUNT_OPENED` (`YYYY-MM-DD`): only written on create; defaults to today.
    pub date_account_opened: Option<String>,
}

impl CustomerRecord {
    /// The row this record becomes when inserted as a new account (what an order being
    /// checked sees of an account it is about to create). Created and modified are now.
    pub(crate) fn as_new_row(&self) -> CustomerRow {
        let now = now_micros();
        CustomerRow {
            account_ref: self.account_ref.clone(),
            name: self.name.clone().unwrap_or_default(),
            contact_name: self.contact_name.clone(),
            address: self.address.clone(),
            country_code: self.country_code.clone(),
            telephone: self.telephone.clone(),
            e_mail: self.e_mail.clone(),
            currency: self.currency.clone().unwrap_or_default(),
            def_tax_code: self.def_tax_code,
            del_name: self.del_name.clone(),
            del_address: self.del_address.clone(),
            date_account_opened: self.date_account_opened.clone().unwrap_or_default(),
            created: now,
            modified: now,
            balance: 0.0,
        }
    }
}

/// One account as `zynk ledger customers` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRow {
    /// Account reference.
    pub account_ref: String,
    /// Name.
    pub name: String,
    /// Contact name.
    pub contact_name: Option<String>,
    /// Address lines 1–5.
    pub address: [Option<String>; 5],
    /// Country code.
    pub country_code: Option<String>,
    /// Telephone.
    pub telephone: Option<String>,
    /// E-mail.
    pub e_mail: Option<String>,
    /// Currency.
    pub currency: String,
    /// Default tax code, if set on the account.
    pub def_tax_code: Option<i64>,
    /// Delivery name.
    pub del_name: Option<String>,
    /// Delivery address lines 1–5.
    pub del_address: [Option<String>; 5],
    /// Date the account was opened.
    pub date_account_opened: String,
    /// Created (Unix microseconds).
    pub created: i64,
    /// Last modified (Unix microseconds).
    pub modified: i64,
    /// What the account owes: its invoices less its credit notes and receipts.
    pub balance: f64,
}

/// Whether an account exists (`?1` the reference).
pub(crate) const CUSTOMER_EXISTS: &str = "SELECT 1 FROM customer WHERE account_ref = ?1";

/// Inserts one account (parameters in the order of [`Ledger::insert_customer_with`]).
pub(crate) const INSERT_CUSTOMER: &str =
    "INSERT INTO customer (account_ref, name, contact_name, address_1, address_2, address_3,
        address_4, address_5, country_code, telephone, telephone_2, fax, e_mail, web_address,
        trade_contact, vat_reg_number, analysis_1, analysis_2, analysis_3, pricing_ref,
        def_nom_code, def_tax_code, currency, credit_limit, terms, terms_agreed, account_status,
        account_on_hold, settlement_days, settlement_discount, payment_days, memo, del_name,
        del_address_1, del_address_2, del_address_3, del_address_4, del_address_5,
        del_contact_name, del_telephone, del_fax, date_account_opened, created, modified)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
        ?19, ?20, ?21, ?22, ?23, coalesce(?24, 0), ?25, coalesce(?26, 1), coalesce(?27, 0),
        coalesce(?28, 0), ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42,
        ?43, ?43)";

const ROW_COLUMNS: &str =
    "account_ref, name, contact_name, address_1, address_2, address_3, address_4, address_5,
    country_code, telephone, e_mail, currency, def_tax_code, del_name, del_address_1, del_address_2,
    del_address_3, del_address_4, del_address_5, date_account_opened, created, modified, balance";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CustomerRow> {
    Ok(CustomerRow {
        account_ref: r.get(0)?,
        name: r.get(1)?,
        contact_name: r.get(2)?,
        address: [r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?],
        country_code: r.get(8)?,
        telephone: r.get(9)?,
        e_mail: r.get(10)?,
        currency: r.get(11)?,
        def_tax_code: r.get(12)?,
        del_name: r.get(13)?,
        del_address: [r.get(14)?, r.get(15)?, r.get(16)?, r.get(17)?, r.get(18)?],
        date_account_opened: r.get(19)?,
        created: r.get(20)?,
        modified: r.get(21)?,
        balance: r.get(22)?,
    })
}

impl Ledger {
    /// True when an account with this reference exists.
    pub fn customer_exists(&self, account_ref: &str) -> Result<bool, LedgerError> {
        let mut probe = self.conn.prepare_cached(CUSTOMER_EXISTS)?;
        self.customer_exists_with(&mut probe, account_ref)
    }

    /// [`Ledger::customer_exists`] through `probe`, a statement prepared from
    /// [`CUSTOMER_EXISTS`] and held by the caller.
    pub(crate) fn customer_exists_with(
        &self,
        probe: &mut rusqlite::Statement<'_>,
        account_ref: &str,
    ) -> Result<bool, LedgerError> {
        Ok(probe
            .query_row([account_ref], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// One account.
    pub fn customer(&self, account_ref: &str) -> Result<Option<CustomerRow>, LedgerError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM customer WHERE account_ref = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([account_ref], row)
            .optional()?)
    }

    /// Every account, by reference.
    pub fn customers(&self) -> Result<Vec<CustomerRow>, LedgerError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM customer ORDER BY account_ref");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Creates an account; missing columns take the ledger defaults (base currency, today).
    pub fn insert_customer(&self, c: &CustomerRecord) -> Result<(), LedgerError> {
        let mut insert = self.conn.prepare_cached(INSERT_CUSTOMER)?;
        self.insert_customer_with(&mut insert, c)
    }

    /// [`Ledger::insert_customer`] through `insert`, a statement prepared from
    /// [`INSERT_CUSTOMER`] and held by the caller (an import prepares it once).
    pub(crate) fn insert_customer_with(
        &self,
        insert: &mut rusqlite::Statement<'_>,
        c: &CustomerRecord,
    ) -> Result<(), LedgerError> {
        let now = now_micros();
        let currency = match &c.currency {
            Some(cur) => cur.clone(),
            None => self
                .setting("base_currency")?
                .unwrap_or_else(|| "GBP".into()),
        };
        let opened = c
            .date_account_opened
            .clone()
            .unwrap_or_else(|| jiff::Zoned::now().date().to_string());
        insert.execute(params![
            c.account_ref,
            c.name.clone().unwrap_or_default(),
            c.contact_name,
            c.address[0],
            c.address[1],
            c.address[2],
            c.address[3],
            c.address[4],
            c.country_code,
            c.telephone,
            c.telephone_2,
            c.fax,
            c.e_mail,
            c.web_address,
            c.trade_contact,
            c.vat_reg_number,
            c.analysis[0],
            c.analysis[1],
            c.analysis[2],
            c.pricing_ref,
            c.def_nom_code,
            c.def_tax_code,
            currency,
            c.credit_limit,
            c.terms,
            c.terms_agreed,
            c.account_status,
            c.account_on_hold,
            c.settlement_days,
            c.settlement_discount,
            c.payment_days,
            c.memo,
            c.del_name,
            c.del_address[0],
            c.del_address[1],
            c.del_address[2],
            c.del_address[3],
            c.del_address[4],
            c.del_contact_name,
            c.del_telephone,
            c.del_fax,
            opened,
            now
        ])?;
        Ok(())
    }

    /// Updates an account: every `Some` column is written, every `None` left as it is.
    /// Currency and the opening date are never changed.
    pub fn update_customer(&self, c: &CustomerRecord) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached(
                "UPDATE customer SET name = coalesce(?2, name), contact_name = coalesce(?3, contact_name),
                    address_1 = coalesce(?4, address_1), address_2 = coalesce(?5, address_2),
                    address_3 = coalesce(?6, address_3), address_4 = coalesce(?7, address_4),
                    address_5 = coalesce(?8, address_5), country_code = coalesce(?9, country_code),
                    telephone = coalesce(?10, telephone), telephone_2 = coalesce(?11, telephone_2),
                    fax = coalesce(?12, fax), e_mail = coalesce(?13, e_mail),
                    web_address = coalesce(?14, web_address), trade_contact = coalesce(?15, trade_contact),
                    vat_reg_number = coalesce(?16, vat_reg_number), analysis_1 = coalesce(?17, analysis_1),
                    analysis_2 = coalesce(?18, analysis_2), analysis_3 = coalesce(?19, analysis_3),
                    pricing_ref = coalesce(?20, pricing_ref), def_nom_code = coalesce(?21, def_nom_code),
                    def_tax_code = coalesce(?22, def_tax_code), credit_limit = coalesce(?23, credit_limit),
                    terms = coalesce(?24, terms), terms_agreed = coalesce(?25, terms_agreed),
                    account_status = coalesce(?26, account_status),
                    account_on_hold = coalesce(?27, account_on_hold),
                    settlement_days = coalesce(?28, settlement_days),
                    settlement_discount = coalesce(?29, settlement_discount),
                    payment_days = coalesce(?30, payment_days), memo = coalesce(?31, memo),
                    del_name = coalesce(?32, del_name), del_address_1 = coalesce(?33, del_address_1),
                    del_address_2 = coalesce(?34, del_address_2), del_address_3 = coalesce(?35, del_address_3),
                    del_address_4 = coalesce(?36, del_address_4), del_address_5 = coalesce(?37, del_address_5),
                    del_contact_name = coalesce(?38, del_contact_name),
                    del_telephone = coalesce(?39, del_telephone), del_fax = coalesce(?40, del_fax),
                    modified = ?41
                 WHERE account_ref = ?1",
            )?
            .execute(params![
                c.account_ref,
                c.name,
                c.contact_name,
                c.address[0],
                c.address[1],
                c.address[2],
                c.address[3],
                c.address[4],
                c.country_code,
                c.telephone,
                c.telephone_2,
                c.fax,
                c.e_mail,
                c.web_address,
                c.trade_contact,
                c.vat_reg_number,
                c.analysis[0],
                c.analysis[1],
                c.analysis[2],
                c.pricing_ref,
                c.def_nom_code,
                c.def_tax_code,
                c.credit_limit,
                c.terms,
                c.terms_agreed,
                c.account_status,
                c.account_on_hold,
                c.settlement_days,
                c.settlement_discount,
                c.payment_days,
                c.memo,
                c.del_name,
                c.del_address[0],
                c.del_address[1],
                c.del_address[2],
                c.del_address[3],
                c.del_address[4],
                c.del_contact_name,
                c.del_telephone,
                c.del_fax,
                now_micros()
            ])?;
        Ok(())
    }

    /// The first account (lowest reference) whose columns all equal the given values,
    /// compared without regard to case. `columns` are `(column, value)` pairs.
    pub fn find_customer_matching(
        &self,
        columns: &[(&'static str, &str)],
    ) -> Result<Option<String>, LedgerError> {
        if columns.is_empty() {
            return Ok(None);
        }
        let mut sql = String::from("SELECT account_ref FROM customer WHERE ");
        for (i, (col, _)) in columns.iter().enumerate() {
            if i > 0 {
                sql.push_str(" AND ");
            }
            sql.push_str(&format!("{col} = ?{} COLLATE NOCASE", i + 1));
        }
        sql.push_str(" ORDER BY account_ref LIMIT 1");
        let values: Vec<&str> = columns.iter().map(|(_, v)| *v).collect();
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(values), |r| r.get(0))
            .optional()?)
    }

    /// The extra delivery addresses of an account as `[name, address_1..5]`.
    pub fn delivery_addresses(
        &self,
        account_ref: &str,
    ) -> Result<Vec<[Option<String>; 6]>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, address_1, address_2, address_3, address_4, address_5
             FROM delivery_address WHERE account_ref = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([account_ref], |r| {
            Ok([
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ])
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Adds an extra delivery address to an account (`Sage SALES_DEL_ADDR`).
    pub fn add_delivery_address(
        &self,
        account_ref: &str,
        name_and_lines: &[Option<String>; 6],
        contact_name: Option<&str>,
        telephone: Option<&str>,
    ) -> Result<(), LedgerError> {
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM delivery_address WHERE account_ref = ?1",
            [account_ref],
            |r| r.get(0),
        )?;
        let [name, a1, a2, a3, a4, a5] = name_and_lines;
        self.conn
            .prepare_cached(
                "INSERT INTO delivery_address (account_ref, reference, description, name, address_1,
                    address_2, address_3, address_4, address_5, contact_name, telephone)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                account_ref,
                format!("{account_ref}-{}", count + 1),
                name,
                name,
                a1,
                a2,
                a3,
                a4,
                a5,
                contact_name,
                telephone
            ])?;
        Ok(())
    }
}
