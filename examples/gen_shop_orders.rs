//! Writes a deterministic Shopify-style order export of about a given size: `gen_shop_orders 100M out.xml` (used by the map benchmark).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

const FIRST: &[&str] = &[
    "Ann", "Jürgen", "Siobhán", "Chloé", "Mateusz", "Zoë", "Tom", "Ingrid",
];
const LAST: &[&str] = &[
    "Smith",
    "Müller",
    "O'Brien",
    "Martin",
    "Wiśniewski",
    "Ørsted",
    "Nguyễn",
];
const TOWNS: &[&str] = &[
    "Leeds",
    "Zürich",
    "Ilkley",
    "Bath",
    "Liverpool",
    "Hull",
    "York",
];
const PRODUCTS: &[(&str, &str, &str)] = &[
    ("MUG-CAFE", "Café Crème Mug", "8.00"),
    ("TEA-EARL", "Earl Grey Tea, 250 g", "10.00"),
    ("FLOUR-25", "Strong White Flour 25 kg", "22.00"),
    ("TIN-LOAF", "Loaf Tin 2 lb", "6.00"),
    ("HOODIE-L", "Hoodie – Large", "25.00"),
    ("", "Gift wrapping — «Noël» paper", "2.50"),
    ("PAPER-A4", "A4 Paper &amp; Envelopes", "18.00"),
];

fn parse_size(s: &str) -> Option<u64> {
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => s.split_at(i),
        None => (s, ""),
    };
    let n: u64 = digits.parse().ok()?;
    let mult = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" => 1 << 10,
        "M" | "MB" => 1 << 20,
        "G" | "GB" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// A small deterministic generator (64-bit LCG), so every run writes the same file.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound.max(1)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from.get(self.next(from.len() as u64) as usize)
            .copied()
            .unwrap_or("")
    }
}

fn address(
    out: &mut String,
    tag: &str,
    first: &str,
    last: &str,
    town: &str,
    n: u64,
    company: bool,
) {
    out.push_str(&format!(
        "    <{tag}>\n      <first-name>{first}</first-name>\n      <last-name>{last}</last-name>\n"
    ));
    if company {
        out.push_str(&format!("      <company>{last} &amp; Co {n}</company>\n"));
    }
    out.push_str(&format!(
        "      <address1>{} High Street</address1>\n      <city>{town}</city>\n      <province>West Yorkshire</province>\n      <zip>LS{} 1AA</zip>\n      <country-code>GB</country-code>\n      <phone>0113 496 {:04}</phone>\n    </{tag}>\n",
        n % 200 + 1,
        n % 30 + 1,
        n % 10_000
    ));
}

fn order(out: &mut String, n: u64, rng: &mut Lcg) {
    let (first, last, town) = (rng.pick(FIRST), rng.pick(LAST), rng.pick(TOWNS));
    let company = rng.next(3) == 0;
    out.push_str(&format!(
        "  <order>\n    <id type=\"integer\">{}</id>\n    <name>#{}</name>\n    <email>customer{n}@example.com</email>\n    <created-at type=\"dateTime\">2024-{:02}-{:02}T{:02}:{:02}:00+00:00</created-at>\n",
        5_412_000_000 + n,
        1000 + n,
        n % 12 + 1,
        n % 28 + 1,
        n % 24,
        n % 60
    ));
    if rng.next(5) != 0 {
        out.push_str("    <currency>GBP</currency>\n");
    }
    out.push_str("    <financial-status>paid</financial-status>\n");
    if rng.next(4) == 0 {
        out.push_str(&format!(
            "    <note>Leave with neighbour &amp; ring, ref {n}</note>\n"
        ));
    } else {
        out.push_str("    <note></note>\n");
    }
    out.push_str(&format!(
        "    <customer>\n      <id type=\"integer\">{}</id>\n      <first-name>{first}</first-name>\n      <last-name>{last}</last-name>\n      <note>{}</note>\n    </customer>\n",
        7000 + n % 5000,
        if n % 7 == 0 { "ACC001" } else { "" }
    ));
    address(out, "billing-address", first, last, town, n, company);
    address(out, "shipping-address", first, last, town, n + 1, company);
    out.push_str("    <line-items type=\"array\">\n");
    for line in 0..=rng.next(4) {
        let (sku, title, price) = PRODUCTS
            .get(rng.next(PRODUCTS.len() as u64) as usize)
            .copied()
            .unwrap_or(("", "", "0"));
        out.push_str(&format!(
            "      <line-item>\n        <id type=\"integer\">{}</id>\n        <sku>{sku}</sku>\n        <title>{title}</title>\n        <quantity type=\"integer\">{}</quantity>\n        <price type=\"decimal\">{price}</price>\n        <taxable type=\"boolean\">{}</taxable>\n      </line-item>\n",
            n * 10 + line,
            rng.next(5) + 1,
            rng.next(4) != 0
        ));
    }
    out.push_str("    </line-items>\n    <shipping-lines type=\"array\">\n");
    for _ in 0..rng.next(3) {
        out.push_str(&format!(
            "      <shipping-line>\n        <title>Royal Mail Tracked 48</title>\n        <price type=\"decimal\">{}.50</price>\n      </shipping-line>\n",
            rng.next(6)
        ));
    }
    out.push_str("    </shipping-lines>\n  </order>\n");
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [size, path] = args.as_slice() else {
        eprintln!("usage: gen_shop_orders SIZE OUT.xml   (SIZE like 100M)");
        return ExitCode::from(2);
    };
    let Some(target) = parse_size(size) else {
        eprintln!("not a size: {size}");
        return ExitCode::from(2);
    };
    let run = || -> std::io::Result<u64> {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
        out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<orders type=\"array\">\n")?;
        let mut written = 0u64;
        let mut rng = Lcg(42);
        let mut text = String::with_capacity(8 << 10);
        let mut n = 0;
        while written < target {
            text.clear();
            order(&mut text, n, &mut rng);
            out.write_all(text.as_bytes())?;
            written += text.len() as u64;
            n += 1;
        }
        out.write_all(b"</orders>\n")?;
        out.flush()?;
        Ok(n)
    };
    match run() {
        Ok(orders) => {
            println!("{orders} orders");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {path}: {e}");
            ExitCode::FAILURE
        }
    }
}
