//! The demo shop's deterministic data: 1,000 products, 54 customers, 200 orders.
//!
//! Products never depend on the seed (the ledger is seeded with the same list through
//! [`seed_products`]); customers' details, orders, lines and payments do.
use rusqlite::Connection;

use super::error::DemoError;
use super::model::{Address, Customer, Line, Order};
use super::prng::SplitMix64;
use super::store;

/// The seed `zynk demo` and `Shop::start` use for a new database.
pub const DEFAULT_SEED: u64 = 1;
/// How many products the catalogue has (`ST-0001` … `ST-1000`).
pub const PRODUCT_COUNT: usize = 1000;
/// How many customers are registered; the last [`CUSTOMERS_WITHOUT_ORDERS`] never ordered.
pub const CUSTOMER_COUNT: i64 = 54;
pub const CUSTOMERS_WITHOUT_ORDERS: i64 = 4;
/// Order ids run from `FIRST_ORDER_ID` for `ORDER_COUNT` orders.
pub const FIRST_ORDER_ID: i64 = 1001;
pub const ORDER_COUNT: i64 = 200;
/// The one order a Sage-like importer must reject: its `CustomerId` names no customer the
/// site has (a guest checkout whose customer record was lost) and it carries no
/// `AccountReference`, so no ledger account can be found and, with `AutoCreateCustomer`
/// off, the order fails.
pub const INVALID_ORDER_ID: i64 = 1150;
/// The customer id the invalid order names; no customer has it.
pub const MISSING_CUSTOMER_ID: i64 = 999;
/// Orders with one line whose Sku is not in the product list (the importer auto-creates it).
pub const UNKNOWN_SKU_ORDER_IDS: [i64; 4] = [1013, 1077, 1121, 1188];
/// Site-only items that are not stock products (not in [`seed_products`]).
pub const UNKNOWN_SKUS: [(&str, &str, i64); 4] = [
    ("GIFT-WRAP", "Gift Wrapping and Card", 250),
    ("PEN-ENGRAVING", "Pen Engraving (up to 20 characters)", 750),
    ("PRINTER-SETUP", "Printer Set-up Service", 2500),
    ("HOME-OFFICE-BUNDLE", "Home Office Starter Bundle", 4999),
];

/// A catalogue product, as the ledger is seeded with it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedProduct {
    /// `ST-0001` … `ST-1000`.
    pub sku: String,
    pub name: String,
    /// Sale price, net of VAT, in pounds (two decimal places).
    pub price: f64,
    /// Quantity in stock.
    pub qty: i64,
    /// Sage tax code number (1 = T1 standard rate, 0 = T0 zero rated).
    pub tax_code: i64,
}

/// (item, base price in pence, tax code, five variants).
const ITEMS: [(&str, i64, i64, [&str; 5]); 25] = [
    (
        "Ballpoint Pen",
        450,
        1,
        [
            "Black, Box of 10",
            "Blue, Box of 10",
            "Red, Box of 10",
            "Black, Box of 50",
            "Assorted, Box of 20",
        ],
    ),
    (
        "Gel Pen",
        620,
        1,
        [
            "Black, Pack of 12",
            "Blue, Pack of 12",
            "Red, Pack of 12",
            "Green, Pack of 12",
            "Assorted, Pack of 8",
        ],
    ),
    (
        "Highlighter",
        380,
        1,
        [
            "Yellow, Pack of 4",
            "Pink, Pack of 4",
            "Green, Pack of 4",
            "Orange, Pack of 4",
            "Assorted, Wallet of 6",
        ],
    ),
    (
        "HB Pencil",
        290,
        1,
        [
            "Pack of 12",
            "Pack of 24",
            "Eraser Tipped, Pack of 12",
            "Pack of 72",
            "Triangular, Pack of 12",
        ],
    ),
    (
        "Whiteboard Marker",
        540,
        1,
        [
            "Black, Pack of 4",
            "Blue, Pack of 4",
            "Red, Pack of 4",
            "Assorted, Pack of 4",
            "Fine Tip, Pack of 8",
        ],
    ),
    (
        "Copier Paper",
        499,
        1,
        [
            "A4 80gsm, Ream",
            "A4 80gsm, Box of 5 Reams",
            "A3 80gsm, Ream",
            "A4 100gsm, Ream",
            "A4 Recycled, Ream",
        ],
    ),
    (
        "Spiral Notebook",
        310,
        1,
        [
            "A4 Ruled",
            "A5 Ruled",
            "A4 Squared",
            "A5 Plain",
            "A4 Ruled, Pack of 5",
        ],
    ),
    (
        "Sticky Notes",
        260,
        1,
        [
            "76x76mm Yellow",
            "76x127mm Yellow",
            "38x51mm Yellow",
            "76x76mm Neon",
            "76x76mm Pastel, Pack of 12",
        ],
    ),
    (
        "Lever Arch File",
        340,
        1,
        [
            "A4 Black",
            "A4 Blue",
            "A4 Red",
            "Foolscap Black",
            "A4 Blue, Pack of 10",
        ],
    ),
    (
        "Ring Binder",
        220,
        1,
        [
            "A4 2-Ring 25mm",
            "A4 4-Ring 25mm",
            "A4 4-Ring 40mm",
            "A5 2-Ring",
            "A4 Presentation 4-Ring",
        ],
    ),
    (
        "Envelopes",
        890,
        1,
        [
            "DL White, Box of 500",
            "C5 White, Box of 500",
            "C4 Manilla, Box of 250",
            "DL Window, Box of 500",
            "C4 Board-Backed, Box of 125",
        ],
    ),
    (
        "Stapler",
        780,
        1,
        ["Half Strip", "Full Strip", "Heavy Duty", "Long Arm", "Mini"],
    ),
    (
        "Staples",
        120,
        1,
        [
            "26/6, Box of 5000",
            "24/6, Box of 5000",
            "No. 10, Box of 1000",
            "23/13 Heavy Duty",
            "26/6, Pack of 5 Boxes",
        ],
    ),
    (
        "Hole Punch",
        650,
        1,
        [
            "2-Hole",
            "4-Hole",
            "2-Hole Heavy Duty",
            "Mini 2-Hole",
            "Adjustable 2-Hole",
        ],
    ),
    (
        "Desk Organiser",
        1290,
        1,
        [
            "Mesh Black",
            "Mesh Silver",
            "Bamboo",
            "Clear Acrylic",
            "Six Compartment",
        ],
    ),
    (
        "Exercise Book",
        0,
        0,
        [
            "A4 Ruled, Pack of 10",
            "A4 Squared, Pack of 10",
            "A5 Ruled, Pack of 10",
            "A4 Plain, Pack of 10",
            "Handwriting, Pack of 10",
        ],
    ),
    (
        "Printer Toner",
        5490,
        1,
        [
            "LP200 Black",
            "LP200 Cyan",
            "LP200 Magenta",
            "LP200 Yellow",
            "LP200 High Yield Black",
        ],
    ),
    (
        "Inkjet Cartridge",
        1890,
        1,
        [
            "IJ30 Black",
            "IJ30 Colour",
            "IJ30 XL Black",
            "IJ30 XL Colour",
            "IJ30 Twin Pack",
        ],
    ),
    (
        "USB Flash Drive",
        699,
        1,
        ["16GB", "32GB", "64GB", "128GB", "256GB"],
    ),
    (
        "Wireless Mouse",
        1499,
        1,
        ["Black", "Silver", "Ergonomic", "Compact", "Silent Click"],
    ),
    (
        "Keyboard",
        2299,
        1,
        [
            "Wired UK Layout",
            "Wireless UK Layout",
            "Compact Wireless",
            "Ergonomic Split",
            "Backlit Wired",
        ],
    ),
    (
        "USB-C Cable",
        599,
        1,
        ["0.5m", "1m", "2m", "1m Braided", "USB-A to USB-C 1m"],
    ),
    (
        "HDMI Cable",
        649,
        1,
        ["1m", "2m", "3m", "5m", "Right-Angle 2m"],
    ),
    (
        "Monitor",
        11999,
        1,
        [
            "22in Full HD",
            "24in Full HD",
            "27in QHD",
            "24in IPS",
            "27in 4K",
        ],
    ),
    (
        "Laptop Stand",
        2499,
        1,
        [
            "Aluminium",
            "Adjustable",
            "Folding",
            "Ventilated",
            "Riser with Drawer",
        ],
    ),
];

const BRANDS: [&str; 8] = [
    "Zenith",
    "Oxley",
    "Marlow",
    "Pinnacle",
    "Kestrel",
    "Northgate",
    "Bramble",
    "Tyne Office",
];

/// The 1,000 catalogue products, the same for every seed.
#[must_use]
pub fn seed_products() -> Vec<SeedProduct> {
    let mut rng = SplitMix64::new(0x5EED_0000_0000_0001);
    let combos = ITEMS.len() * BRANDS.len();
    (0..PRODUCT_COUNT)
        .map(|i| {
            let (item, base, tax_code, variants) = ITEMS[i % ITEMS.len()];
            let brand = BRANDS[(i / ITEMS.len()) % BRANDS.len()];
            let variant = variants[(i / combos) % variants.len()];
            // Exercise books are zero rated (children's books) and cheap.
            let base = if base == 0 { 349 } else { base };
            let variant_factor = 100 + 35 * i64::try_from(i / combos).unwrap_or(0);
            let pence = base * variant_factor / 100 + rng.range(-40, 60) * base / 1000;
            let pence = (pence / 5) * 5 + 4; // shop prices end in 4 or 9
            let qty = if rng.chance(6) { 0 } else { rng.range(1, 400) };
            SeedProduct {
                sku: format!("ST-{:04}", i + 1),
                name: format!("{brand} {item}, {variant}"),
                price: pence as f64 / 100.0,
                qty,
                tax_code,
            }
        })
        .collect()
}

/// Companies that buy from the shop. The two "Zynk" names share their first three
/// letters, so auto-generated references collide (ZYN001, ZYN002).
const COMPANIES: [&str; 30] = [
    "Zynk Software",
    "Zynk Ltd",
    "Smith & Sons Builders",
    "O'Connell Accountants",
    "Tyneside Dental Practice",
    "Northern Print Works",
    "Harrow Vale Primary School",
    "Bluebell Florists",
    "Castle Garage Ltd",
    "Quayside Architects LLP",
    "Jesmond Physiotherapy",
    "Red Kite Consulting",
    "Allendale Farm Supplies",
    "Morpeth Estate Agents",
    "Tanfield Engineering Ltd",
    "Wearside Legal Services",
    "Hexham Community Trust",
    "Ouseburn Studio",
    "Blyth Marine Services",
    "Gosforth Vets",
    "Durham Cathedral Choir School",
    "Cragside Holiday Cottages",
    "Whitley Bay Surf Co",
    "Amble Bakery",
    "Kielder Outdoor Centre",
    "Alnwick Books & Maps",
    "Sunderland Signs Ltd",
    "Consett IT Solutions",
    "Heaton Chiropractic",
    "Prudhoe Plumbing & Heating",
];
/// (forename, is usually a woman's name): picks a fitting title.
const FORENAMES: [(&str, bool); 24] = [
    ("Oliver", false),
    ("Amelia", true),
    ("George", false),
    ("Isla", true),
    ("Harry", false),
    ("Ava", true),
    ("Jack", false),
    ("Mia", true),
    ("Noah", false),
    ("Grace", true),
    ("Thomas", false),
    ("Sophie", true),
    ("James", false),
    ("Emily", true),
    ("William", false),
    ("Ruby", true),
    ("Siobhan", true),
    ("Aled", false),
    ("Priya", true),
    ("Mohammed", false),
    ("Zofia", true),
    ("Ewan", false),
    ("Chloe", true),
    ("Declan", false),
];
const WOMENS_TITLES: [&str; 4] = ["Mrs", "Ms", "Miss", "Dr"];
const MENS_TITLES: [&str; 2] = ["Mr", "Dr"];
const SURNAMES: [&str; 24] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "O'Brien", "Patel", "Kowalski", "MacLeod", "Nguyen", "Hughes",
];
const STREETS: [&str; 16] = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Grey Street",
    "Victoria Road",
    "Mill Lane",
    "Park Avenue",
    "Quayside",
    "Front Street",
    "North Road",
    "Osborne Road",
    "Chillingham Road",
    "Market Place",
    "Bridge Street",
    "Elm Grove",
    "Westgate Road",
];
/// (town, county, postcode area, dialling code).
const TOWNS: [(&str, &str, &str, &str); 10] = [
    ("Newcastle upon Tyne", "Tyne and Wear", "NE1", "0191"),
    ("Gateshead", "Tyne and Wear", "NE8", "0191"),
    ("Sunderland", "Tyne and Wear", "SR1", "0191"),
    ("Durham", "County Durham", "DH1", "0191"),
    ("Hexham", "Northumberland", "NE46", "01434"),
    ("Morpeth", "Northumberland", "NE61", "01670"),
    ("Alnwick", "Northumberland", "NE66", "01665"),
    ("Leeds", "West Yorkshire", "LS1", "0113"),
    ("York", "North Yorkshire", "YO1", "01904"),
    ("Carlisle", "Cumbria", "CA3", "01228"),
];
const UNITS: [&str; 6] = [
    "Unit 4",
    "Suite 12",
    "Floor 2",
    "Unit 17",
    "The Old Mill",
    "Block B",
];
const CARRIAGE: [(&str, i64); 3] = [
    ("Standard Delivery 3-5 Working Days", 495),
    ("Next Working Day Delivery", 995),
    ("Click and Collect", 0),
];
const CARDS: [&str; 4] = ["VISA", "MASTERCARD", "AMEX", "PAYPAL"];

fn email_part(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn make_address(
    rng: &mut SplitMix64,
    company: &str,
    forename: &str,
    surname: &str,
    title: &str,
) -> Address {
    let (town, county, area, dial) = *rng.pick(&TOWNS);
    let number = rng.range(1, 240);
    let street = *rng.pick(&STREETS);
    let (address1, address2) = if company.is_empty() {
        (format!("{number} {street}"), String::new())
    } else {
        (rng.pick(&UNITS).to_string(), format!("{number} {street}"))
    };
    let domain = if company.is_empty() {
        "example.net".to_string()
    } else {
        format!("{}.example.com", email_part(company))
    };
    Address {
        title: title.to_string(),
        forename: forename.to_string(),
        surname: surname.to_string(),
        company: company.to_string(),
        address1,
        address2,
        town: town.to_string(),
        county: county.to_string(),
        postcode: format!(
            "{area} {}{}{}",
            rng.range(1, 9),
            char::from(b'A' + u8::try_from(rng.below(26)).unwrap_or(0)),
            char::from(b'A' + u8::try_from(rng.below(26)).unwrap_or(0))
        ),
        country: "GB".to_string(),
        telephone: if dial.len() == 4 {
            format!(
                "{dial} {:03} {:04}",
                rng.range(200, 999),
                rng.range(0, 9999)
            )
        } else {
            format!("{dial} {:06}", rng.range(200_000, 999_999))
        },
        email: format!("{}.{}@{domain}", email_part(forename), email_part(surname)),
    }
}

/// The customers for a seed: 30 companies and 24 private people, in an order the seed shuffles.
fn make_customers(rng: &mut SplitMix64) -> Vec<Customer> {
    let mut names: Vec<&str> = COMPANIES.to_vec();
    names.extend(std::iter::repeat_n("", 24));
    rng.shuffle(&mut names);
    // The Zynk pair must both have orders: keep them out of the last, order-less places.
    let buyers = usize::try_from(CUSTOMER_COUNT - CUSTOMERS_WITHOUT_ORDERS).unwrap_or(0);
    for i in buyers..names.len() {
        if names[i].starts_with("Zynk") {
            if let Some(j) = (0..buyers).find(|&j| !names[j].starts_with("Zynk")) {
                names.swap(i, j);
            }
        }
    }
    names
        .into_iter()
        .zip(1..)
        .map(|(company, id)| {
            let (forename, woman) = *rng.pick(&FORENAMES);
            let title = if woman {
                *rng.pick(&WOMENS_TITLES)
            } else {
                *rng.pick(&MENS_TITLES)
            };
            let surname = *rng.pick(&SURNAMES);
            let invoice = make_address(rng, company, forename, surname, title);
            let delivery = if rng.chance(20) {
                make_address(rng, company, forename, surname, title)
            } else {
                invoice.clone()
            };
            Customer {
                id,
                company_name: company.to_string(),
                invoice,
                delivery,
                account_reference: None,
            }
        })
        .collect()
}

fn make_order(
    rng: &mut SplitMix64,
    id: i64,
    customer: &Customer,
    products: &[SeedProduct],
) -> Order {
    let n_lines = rng.range(1, 5);
    let mut lines: Vec<Line> = Vec::new();
    while lines.len() < usize::try_from(n_lines).unwrap_or(1) {
        let p = rng.pick(products);
        if lines.iter().any(|l| l.sku == p.sku) {
            continue;
        }
        let qty = if rng.chance(70) {
            rng.range(1, 3)
        } else {
            rng.range(4, 12)
        };
        lines.push(Line {
            sku: p.sku.clone(),
            name: p.name.clone(),
            qty,
            unit_price_pence: (p.price * 100.0).round() as i64,
            tax_code: p.tax_code,
        });
    }
    let (carriage_name, carriage_pence) = *rng.pick(&CARRIAGE);
    let on_account = !customer.company_name.is_empty() && rng.chance(60);
    let payment_ref = (!on_account).then(|| rng.pick(&CARDS).to_string());
    // November 2026, between 08:00 and 21:59, increasing with the id.
    let day = 1 + (id - FIRST_ORDER_ID) * 24 / ORDER_COUNT;
    let date = format!(
        "2026-11-{day:02}T{:02}:{:02}:{:02}",
        rng.range(8, 21),
        rng.range(0, 59),
        rng.range(0, 59)
    );
    let delivery = if rng.chance(10) {
        let mut gift = customer.delivery.clone();
        gift.forename = rng.pick(&FORENAMES).0.to_string();
        gift.title = String::new();
        gift.address1 = format!("{} {}", rng.range(1, 99), rng.pick(&STREETS));
        gift
    } else {
        customer.delivery.clone()
    };
    Order {
        id,
        customer_id: customer.id,
        date,
        address: customer.invoice.clone(),
        delivery,
        lines,
        carriage_name: carriage_name.to_string(),
        carriage_pence,
        payment_ref,
        posted: false,
        sales_order_number: None,
    }
}

/// Everything a seed makes, before it is written.
#[derive(Debug, Clone)]
pub struct SeedData {
    pub products: Vec<SeedProduct>,
    pub customers: Vec<Customer>,
    pub orders: Vec<Order>,
}

/// Makes the data for `seed` without touching a database.
#[must_use]
pub fn generate(seed: u64) -> SeedData {
    let products = seed_products();
    let mut rng = SplitMix64::new(seed);
    let customers = make_customers(&mut rng);
    let buyers = usize::try_from(CUSTOMER_COUNT - CUSTOMERS_WITHOUT_ORDERS).unwrap_or(0);
    // Every buyer gets at least one order; the rest go to random buyers.
    let mut owners: Vec<usize> = (0..buyers).collect();
    while owners.len() < usize::try_from(ORDER_COUNT).unwrap_or(0) {
        owners.push(usize::try_from(rng.below(buyers as u64)).unwrap_or(0));
    }
    rng.shuffle(&mut owners);
    let guest = Customer {
        id: MISSING_CUSTOMER_ID,
        company_name: String::new(),
        invoice: make_address(&mut rng, "", "Guest", "Shopper", "Mx"),
        delivery: Address::default(),
        account_reference: None,
    };
    let mut orders = Vec::new();
    for (id, owner) in (FIRST_ORDER_ID..).zip(owners) {
        let customer = if id == INVALID_ORDER_ID {
            &guest
        } else {
            &customers[owner]
        };
        let mut order = make_order(&mut rng, id, customer, &products);
        if id == INVALID_ORDER_ID {
            order.delivery = order.address.clone();
        }
        if let Some(k) = UNKNOWN_SKU_ORDER_IDS.iter().position(|x| *x == id) {
            let (sku, name, pence) = UNKNOWN_SKUS[k];
            // At most five lines: a full order gives up its last line for the extra.
            if order.lines.len() >= 5 {
                order.lines.pop();
            }
            order.lines.push(Line {
                sku: sku.to_string(),
                name: name.to_string(),
                qty: 1,
                unit_price_pence: pence,
                tax_code: 1,
            });
        }
        orders.push(order);
    }
    SeedData {
        products,
        customers,
        orders,
    }
}

/// Creates the shop's tables in `conn` and fills them with the data for `seed`, in one
/// transaction. The same seed always gives the same data.
///
/// # Errors
/// [`DemoError::AlreadySeeded`] if the database already holds shop data, or a database error.
pub fn seed(conn: &Connection, seed: u64) -> Result<(), DemoError> {
    if let Some(existing) = store::seeded_with(conn)? {
        return Err(DemoError::AlreadySeeded { seed: existing });
    }
    let data = generate(seed);
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch(store::SCHEMA)?;
    if store::count(&tx, "SELECT count(*) FROM customers")? > 0 {
        return Err(DemoError::AlreadySeeded { seed });
    }
    for p in &data.products {
        let pence = (p.price * 100.0).round() as i64;
        store::insert_product(&tx, &p.sku, &p.name, pence, p.tax_code, p.qty)?;
    }
    for c in &data.customers {
        store::insert_customer(&tx, c)?;
    }
    for o in &data.orders {
        store::insert_order(&tx, o)?;
    }
    store::set_seed(&tx, seed)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_are_unique_and_realistic() {
        let products = seed_products();
        assert_eq!(products.len(), PRODUCT_COUNT);
        let mut names: Vec<&str> = products.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PRODUCT_COUNT);
        assert!(products.iter().all(|p| p.name.len() <= 60 && p.price > 0.0));
        assert_eq!(products[0].sku, "ST-0001");
        assert_eq!(products[999].sku, "ST-1000");
    }

    #[test]
    fn orders_have_one_to_five_stock_lines_and_one_invalid() {
        let data = generate(DEFAULT_SEED);
        assert_eq!(data.customers.len(), CUSTOMER_COUNT as usize);
        assert_eq!(data.orders.len(), ORDER_COUNT as usize);
        let known: std::collections::HashSet<&str> =
            data.products.iter().map(|p| p.sku.as_str()).collect();
        for o in &data.orders {
            let stock = o
                .lines
                .iter()
                .filter(|l| known.contains(l.sku.as_str()))
                .count();
            assert!(stock >= 1, "order {}", o.id);
            assert!((1..=5).contains(&o.lines.len()), "order {}", o.id);
        }
        let unknown: Vec<i64> = data
            .orders
            .iter()
            .filter(|o| o.lines.iter().any(|l| !known.contains(l.sku.as_str())))
            .map(|o| o.id)
            .collect();
        assert_eq!(unknown, UNKNOWN_SKU_ORDER_IDS);
        let orphans: Vec<i64> = data
            .orders
            .iter()
            .filter(|o| !data.customers.iter().any(|c| c.id == o.customer_id))
            .map(|o| o.id)
            .collect();
        assert_eq!(orphans, [INVALID_ORDER_ID]);
    }
}
