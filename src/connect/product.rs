//! `Product`: a Connect XML `Company/Products/Product` record, read from and written to XML.
use jiff::civil::DateTime;

use super::node::Node;
use super::value::{FieldError, boolean, datetime, integer, number, text};

/// A stock record as exported by the ledger (and read back by tests and product loads).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Product {
    /// `Sku` (also `UniqueId` in exports): the stock code.
    pub sku: String,
    /// `Barcode`
    pub barcode: Option<String>,
    /// `Name`: Sage `DESCRIPTION`.
    pub name: Option<String>,
    /// `Description`: Sage `WEB_DESCRIPTION`.
    pub description: Option<String>,
    /// `LongDescription`: Sage `WEB_DETAILS`.
    pub long_description: Option<String>,
    /// `ImageUrl`
    pub image_url: Option<String>,
    /// `ThumbnailUrl`
    pub thumbnail_url: Option<String>,
    /// `Custom1..3`: web categories.
    pub custom: [Option<String>; 3],
    /// `SalePrice`
    pub sale_price: f64,
    /// `UnitWeight`
    pub unit_weight: f64,
    /// `QtyInStock`
    pub qty_in_stock: f64,
    /// `QtyOnOrder`
    pub qty_on_order: f64,
    /// `QtyAllocated`
    pub qty_allocated: f64,
    /// `ReorderQty`
    pub reorder_qty: f64,
    /// `ReorderLvl`
    pub reorder_level: f64,
    /// `TaxCode` (number, `1` = T1)
    pub tax_code: i64,
    /// `GroupCode`: Sage `STOCK_CAT`.
    pub group_code: i64,
    /// `Department`
    pub department: i64,
    /// `UnitOfSale`
    pub unit_of_sale: Option<String>,
    /// `NominalCode`
    pub nominal_code: Option<String>,
    /// `Publish`: publish to web.
    pub publish: bool,
    /// `SpecialOffer`
    pub special_offer: bool,
    /// `ImageName`
    pub image_name: Option<String>,
    /// `LastCostPrice`
    pub last_cost_price: Option<f64>,
    /// `AverageCostPrice`
    pub average_cost_price: Option<f64>,
    /// `DateModified`
    pub date_modified: Option<DateTime>,
    /// `SupplierAccountRef`
    pub supplier_account_ref: Option<String>,
    /// `CommodityCode`
    pub commodity_code: Option<String>,
    /// `IntrastatCommodityCode`
    pub intrastat_commodity_code: Option<String>,
    /// `PurchaseNominalCode`
    pub purchase_nominal_code: Option<String>,
    /// `Memo`
    pub memo: Option<String>,
    /// `SupplierPartNo`
    pub supplier_part_no: Option<String>,
    /// `Location`
    pub location: Option<String>,
    /// `ItemType`: `Stock`, `NonStock` or `Service`.
    pub item_type: String,
}

impl Product {
    /// Reads a product; the stock code comes from `Sku`, else `UniqueId`.
    pub fn from_node(node: &Node) -> Result<Product, FieldError> {
        let sku = text(node, "Sku")
            .or_else(|| text(node, "UniqueId"))
            .unwrap_or_default();
        Ok(Product {
            sku,
            barcode: text(node, "Barcode"),
            name: text(node, "Name"),
            description: text(node, "Description"),
            long_description: text(node, "LongDescription"),
            image_url: text(node, "ImageUrl"),
            thumbnail_url: text(node, "ThumbnailUrl"),
            custom: [
                text(node, "Custom1"),
                text(node, "Custom2"),
                text(node, "Custom3"),
            ],
            sale_price: number(node, "SalePrice")?.unwrap_or(0.0),
            unit_weight: number(node, "UnitWeight")?.unwrap_or(0.0),
            qty_in_stock: number(node, "QtyInStock")?.unwrap_or(0.0),
            qty_on_order: number(node, "QtyOnOrder")?.unwrap_or(0.0),
            qty_allocated: number(node, "QtyAllocated")?.unwrap_or(0.0),
            reorder_qty: number(node, "ReorderQty")?.unwrap_or(0.0),
            reorder_level: number(node, "ReorderLvl")?.unwrap_or(0.0),
            tax_code: integer(node, "TaxCode")?.unwrap_or(1),
            group_code: integer(node, "GroupCode")?.unwrap_or(0),
            department: integer(node, "Department")?.unwrap_or(0),
            unit_of_sale: text(node, "UnitOfSale"),
            nominal_code: text(node, "NominalCode"),
            publish: boolean(node, "Publish")?.unwrap_or(false),
            special_offer: boolean(node, "SpecialOffer")?.unwrap_or(false),
            image_name: text(node, "ImageName"),
            last_cost_price: number(node, "LastCostPrice")?,
            average_cost_price: number(node, "AverageCostPrice")?,
            date_modified: datetime(node, "DateModified")?,
            supplier_account_ref: text(node, "SupplierAccountRef"),
            commodity_code: text(node, "CommodityCode"),
            intrastat_commodity_code: text(node, "IntrastatCommodityCode"),
            purchase_nominal_code: text(node, "PurchaseNominalCode"),
            memo: text(node, "Memo"),
            supplier_part_no: text(node, "SupplierPartNo"),
            location: text(node, "Location"),
            item_type: text(node, "ItemType").unwrap_or_else(|| "Stock".to_string()),
        })
    }

    /// Writes the product in the export shape of reference §5.2 (`UniqueId` first, empty
    /// collections kept, unset numbers and dates as `xsi:nil`).
    pub fn to_node(&self) -> Node {
        let mut n = Node::new("Product");
        let s = |name: &str, v: &Option<String>| Node::leaf(name, v.clone().unwrap_or_default());
        let f = |name: &str, v: f64| Node::leaf(name, format_number(v));
        let o = |name: &str, v: Option<f64>| match v {
            Some(v) => Node::leaf(name, format_number(v)),
            None => Node::nil(name),
        };
        let b = |name: &str, v: bool| Node::leaf(name, if v { "true" } else { "false" });
        let empty = Node::new;
        n.children = vec![
            Node::leaf("UniqueId", &self.sku),
            Node::leaf("Sku", &self.sku),
            s("Barcode", &self.barcode),
            s("Name", &self.name),
            s("Description", &self.description),
            s("LongDescription", &self.long_description),
            s("ImageUrl", &self.image_url),
            s("ThumbnailUrl", &self.thumbnail_url),
            s("Custom1", &self.custom[0]),
            s("Custom2", &self.custom[1]),
            s("Custom3", &self.custom[2]),
            f("SalePrice", self.sale_price),
            f("UnitWeight", self.unit_weight),
            f("QtyInStock", self.qty_in_stock),
            f("QtyOnOrder", self.qty_on_order),
            f("ReorderQty", self.reorder_qty),
            f("ReorderLvl", self.reorder_level),
            Node::leaf("TaxCode", self.tax_code.to_string()),
            Node::leaf("GroupCode", self.group_code.to_string()),
            Node::leaf("Department", self.department.to_string()),
            s("UnitOfSale", &self.unit_of_sale),
            s("NominalCode", &self.nominal_code),
            b("Publish", self.publish),
            Node::leaf("ProductLevel", "0"),
            b("SpecialOffer", self.special_offer),
            f("QtyAllocated", self.qty_allocated),
            s("ImageName", &self.image_name),
            o("LastCostPrice", self.last_cost_price),
            o("AverageCostPrice", self.average_cost_price),
            Node::nil("RRPPrice"),
            empty("Attachments"),
            match self.date_modified {
                Some(d) => Node::leaf("DateModified", d.strftime("%Y-%m-%dT%H:%M:%S").to_string()),
                None => Node::nil("DateModified"),
            },
            Node::nil("InactiveDate"),
            empty("Dimensions"),
            empty("ProductBoms"),
            empty("RelatedProducts"),
            empty("AlternativeProducts"),
            s("SupplierAccountRef", &self.supplier_account_ref),
            Node::leaf("SupplierDepartment", "0"),
            empty("ProductQtyBreaks"),
            s("CommodityCode", &self.commodity_code),
            s("IntrastatCommodityCode", &self.intrastat_commodity_code),
            s("PurchaseNominalCode", &self.purchase_nominal_code),
            s("Memo", &self.memo),
            s("SupplierPartNo", &self.supplier_part_no),
            s("Location", &self.location),
            empty("Locations"),
            empty("Attributes"),
            empty("UnitsOfMeasure"),
            empty("ProductSuppliers"),
            empty("CustomFields"),
            empty("AnalysisCodes"),
            empty("SearchCategories"),
            Node::leaf("ItemType", &self.item_type),
        ];
        n
    }
}

/// Formats a number as Zynk does: no trailing `.0`, no exponent for ordinary values.
pub fn format_number(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let text = format!("{v}");
    text
}
