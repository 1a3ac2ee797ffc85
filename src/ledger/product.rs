//! Stock records (Sage `STOCK`): quantities, prices, web flags and created/modified times.
use rusqlite::{OptionalExtension, params};

use super::{Ledger, LedgerError};
use crate::connect::Product;
use crate::state::{from_micros, now_micros};

/// One stock record as `zynk ledger products` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    /// Stock code.
    pub stock_code: String,
    /// Description.
    pub description: Option<String>,
    /// Quantity in stock.
    pub qty_in_stock: f64,
    /// Quantity allocated to sales orders.
    pub qty_allocated: f64,
    /// Quantity on purchase order.
    pub qty_on_order: f64,
    /// Sale price.
    pub sales_price: f64,
    /// Tax code id.
    pub tax_code: i64,
    /// Sales nominal code.
    pub nominal_code: String,
    /// Publish to web.
    pub web_publish: bool,
    /// `Stock`, `NonStock` or `Service`.
    pub item_type: String,
    /// Last cost price.
    pub cost_price: Option<f64>,
    /// Category (Sage `STOCK_CAT`, Connect `GroupCode`).
    pub category: i64,
    /// Unit of sale.
    pub unit_of_sale: Option<String>,
    /// Barcode.
    pub barcode: Option<String>,
    /// Web categories (Connect `Custom1..3`), joined with ` / `.
    pub web_category: Option<String>,
    /// Created (Unix microseconds).
    pub created: i64,
    /// Last modified (Unix microseconds).
    pub modified: i64,
}

impl ProductRow {
    /// Free stock: in stock less allocated.
    pub fn free_stock(&self) -> f64 {
        self.qty_in_stock - self.qty_allocated
    }
}

const ROW_COLUMNS: &str =
    "stock_code, description, qty_in_stock, qty_allocated, qty_on_order, sales_price,
    tax_code, nominal_code, web_publish, item_type, created, modified, last_cost_price, stock_cat,
    unit_of_sale, barcode,
    web_category_1, web_category_2, web_category_3";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ProductRow> {
    Ok(ProductRow {
        stock_code: r.get(0)?,
        description: r.get(1)?,
        qty_in_stock: r.get(2)?,
        qty_allocated: r.get(3)?,
        qty_on_order: r.get(4)?,
        sales_price: r.get(5)?,
        tax_code: r.get(6)?,
        nominal_code: r.get(7)?,
        web_publish: r.get(8)?,
        item_type: r.get(9)?,
        created: r.get(10)?,
        modified: r.get(11)?,
        cost_price: r.get(12)?,
        category: r.get(13)?,
        unit_of_sale: r.get(14)?,
        barcode: r.get(15)?,
        web_category: {
            let parts: Vec<String> = [r.get::<_, Option<String>>(16)?, r.get(17)?, r.get(18)?]
                .into_iter()
                .flatten()
                .collect::<Vec<String>>();
            (!parts.is_empty()).then(|| parts.join(" / "))
        },
    })
}

/// Columns read into a full [`Product`] (export order does not matter here).
pub(crate) const PRODUCT_COLUMNS: &str = "stock_code, barcode, description, web_description, web_details,
    image_url, thumbnail_url, web_category_1, web_category_2, web_category_3, sales_price, unit_weight,
    qty_in_stock, qty_on_order, qty_allocated, qty_reorder, qty_reorder_level, tax_code, stock_cat,
    dept_number, unit_of_sale, nominal_code, web_publish, web_special, web_image_file, last_cost_price,
    average_cost_price, modified, purchase_ref, commodity_code, intrastat_comm_code, purchase_nominal_code,
    memo, supplier_part_number, location, item_type";

/// Reads a row selected with [`PRODUCT_COLUMNS`].
pub(crate) fn full_product(r: &rusqlite::Row<'_>) -> rusqlite::Result<Product> {
    let modified: i64 = r.get(27)?;
    let tz = jiff::tz::TimeZone::system();
    Ok(Product {
        sku: r.get(0)?,
        barcode: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        long_description: r.get(4)?,
        image_url: r.get(5)?,
        thumbnail_url: r.get(6)?,
        custom: [r.get(7)?, r.get(8)?, r.get(9)?],
        sale_price: r.get(10)?,
        unit_weight: r.get(11)?,
        qty_in_stock: r.get(12)?,
        qty_on_order: r.get(13)?,
        qty_allocated: r.get(14)?,
        reorder_qty: r.get(15)?,
        reorder_level: r.get(16)?,
        tax_code: r.get(17)?,
        group_code: r.get(18)?,
        department: r.get(19)?,
        unit_of_sale: r.get(20)?,
        nominal_code: r.get(21)?,
        publish: r.get(22)?,
        special_offer: r.get(23)?,
        image_name: r.get(24)?,
        last_cost_price: r.get(25)?,
        average_cost_price: r.get(26)?,
        date_modified: Some({
            let dt = from_micros(modified).to_zoned(tz).datetime();
            dt.with().subsec_nanosecond(0).build().unwrap_or(dt)
        }),
        supplier_account_ref: r.get(28)?,
        commodity_code: r.get(29)?,
        intrastat_commodity_code: r.get(30)?,
        purchase_nominal_code: r.get(31)?,
        memo: r.get(32)?,
        supplier_part_no: r.get(33)?,
        location: r.get(34)?,
        item_type: r.get(35)?,
    })
}

impl Ledger {
    /// One stock record's summary.
    pub fn product_row(&self, stock_code: &str) -> Result<Option<ProductRow>, LedgerError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM product WHERE stock_code = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([stock_code], row)
            .optional()?)
    }

    /// Every stock record, by code.
    pub fn products(&self) -> Result<Vec<ProductRow>, LedgerError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM product ORDER BY stock_code");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// One full stock record.
    pub fn product(&self, stock_code: &str) -> Result<Option<Product>, LedgerError> {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM product WHERE stock_code = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([stock_code], full_product)
            .optional()?)
    }

    /// Creates or replaces a stock record (the creation time of an existing record is kept;
    /// its modification time becomes now). Its quantity in stock is taken as known.
    pub fn upsert_product(&self, p: &Product) -> Result<(), LedgerError> {
        self.write_product(p, true)
    }

    /// Creates a stock record whose stock level the ledger was never told (an order or invoice
    /// line's product, auto-created): `export stock` leaves it out until its level is set.
    pub(crate) fn create_product_unknown_stock(&self, p: &Product) -> Result<(), LedgerError> {
        self.write_product(p, false)
    }

    fn write_product(&self, p: &Product, stock_known: bool) -> Result<(), LedgerError> {
        let now = now_micros();
        self.conn
            .prepare_cached(
                "INSERT INTO product (stock_code, barcode, description, web_description, web_details,
                    image_url, thumbnail_url, web_category_1, web_category_2, web_category_3, sales_price,
                    unit_weight, qty_in_stock, qty_on_order, qty_allocated, qty_reorder, qty_reorder_level,
                    tax_code, stock_cat, dept_number, unit_of_sale, nominal_code, web_publish, web_special,
                    web_image_file, last_cost_price, average_cost_price, purchase_ref, commodity_code,
                    intrastat_comm_code, purchase_nominal_code, memo, supplier_part_number, location,
                    item_type, created, modified, stock_known)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                    ?19, ?20, ?21, coalesce(?22, '4000'), ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32,
                    ?33, ?34, ?35, ?36, ?36, ?37)
                 ON CONFLICT (stock_code) DO UPDATE SET barcode = excluded.barcode,
                    description = excluded.description, web_description = excluded.web_description,
                    web_details = excluded.web_details, image_url = excluded.image_url,
                    thumbnail_url = excluded.thumbnail_url, web_category_1 = excluded.web_category_1,
                    web_category_2 = excluded.web_category_2, web_category_3 = excluded.web_category_3,
                    sales_price = excluded.sales_price, unit_weight = excluded.unit_weight,
                    qty_in_stock = excluded.qty_in_stock, qty_on_order = excluded.qty_on_order,
                    qty_allocated = excluded.qty_allocated, qty_reorder = excluded.qty_reorder,
                    qty_reorder_level = excluded.qty_reorder_level, tax_code = excluded.tax_code,
                    stock_cat = excluded.stock_cat, dept_number = excluded.dept_number,
                    unit_of_sale = excluded.unit_of_sale, nominal_code = excluded.nominal_code,
                    web_publish = excluded.web_publish, web_special = excluded.web_special,
                    web_image_file = excluded.web_image_file, last_cost_price = excluded.last_cost_price,
                    average_cost_price = excluded.average_cost_price, purchase_ref = excluded.purchase_ref,
                    commodity_code = excluded.commodity_code,
                    intrastat_comm_code = excluded.intrastat_comm_code,
                    purchase_nominal_code = excluded.purchase_nominal_code, memo = excluded.memo,
                    supplier_part_number = excluded.supplier_part_number, location = excluded.location,
                    item_type = excluded.item_type, modified = excluded.modified,
                    stock_known = excluded.stock_known",
            )?
            .execute(params![
                p.sku,
                p.barcode,
                p.name,
                p.description,
                p.long_description,
                p.image_url,
                p.thumbnail_url,
                p.custom[0],
                p.custom[1],
                p.custom[2],
                p.sale_price,
                p.unit_weight,
                p.qty_in_stock,
                p.qty_on_order,
                p.qty_allocated,
                p.reorder_qty,
                p.reorder_level,
                p.tax_code,
                p.group_code,
                p.department,
                p.unit_of_sale,
                p.nominal_code,
                p.publish,
                p.special_offer,
                p.image_name,
                p.last_cost_price,
                p.average_cost_price,
                p.supplier_account_ref,
                p.commodity_code,
                p.intrastat_commodity_code,
                p.purchase_nominal_code,
                p.memo,
                p.supplier_part_no,
                p.location,
                p.item_type,
                now,
                stock_known
            ])?;
        Ok(())
    }

    /// Sets the quantity in stock (a stock take), marking the record modified.
    pub fn set_stock(&self, stock_code: &str, qty_in_stock: f64) -> Result<bool, LedgerError> {
        let n = self.conn.execute(
            "UPDATE product SET qty_in_stock = ?2, stock_known = 1, modified = ?3 WHERE stock_code = ?1",
            params![stock_code, qty_in_stock, now_micros()],
        )?;
        Ok(n > 0)
    }

    /// Sets the publish-to-web flag, marking the record modified.
    pub fn set_published(&self, stock_code: &str, publish: bool) -> Result<bool, LedgerError> {
        let n = self.conn.execute(
            "UPDATE product SET web_publish = ?2, modified = ?3 WHERE stock_code = ?1",
            params![stock_code, publish, now_micros()],
        )?;
        Ok(n > 0)
    }

    /// Adds `qty` to a record's allocated quantity (stock allocation of a sales order line).
    pub(crate) fn allocate_stock(&self, stock_code: &str, qty: f64) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached(
                "UPDATE product SET qty_allocated = qty_allocated + ?2, modified = ?3 WHERE stock_code = ?1",
            )?
            .execute(params![stock_code, qty, now_micros()])?;
        Ok(())
    }
}
