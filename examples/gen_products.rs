//! Writes a deterministic Connect XML product export of about a given size: `gen_products 100M out.xml`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

const NAMES: &[&str] = &[
    "LP200 Laser Printer Toner",
    "Café Crème Mug",
    "Größe M Schutzhülle",
    "Ñandú A4 Paper &amp; Envelopes",
    "Smørrebrød Lunch Box",
    "Élan Fountain Pen",
    "Ångström Desk Lamp",
    "Zürich 3&#8209;Ring Binder",
    "日本 Notebook",
    "Stapler &lt;heavy duty&gt;",
];
const GROUPS: &[&str] = &["Consumables", "Kitchen", "Cases", "Paper", "Lighting"];

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
}

fn product(out: &mut impl Write, n: u64, rng: &mut Lcg) -> std::io::Result<()> {
    let name = NAMES[(n % NAMES.len() as u64) as usize];
    let group = rng.next(GROUPS.len() as u64);
    let price = rng.next(100_000);
    let stock = rng.next(500);
    let allocated = rng.next(stock + 1);
    write!(
        out,
        "    <Product>
      <Sku>SKU{n:08}</Sku>
      <Name>{name}</Name>
      <Description>{name} - WebDescription</Description>
      <LongDescription><![CDATA[{name} <b>long</b> description & details]]></LongDescription>
      <ImageUrl />
      <ThumbnailUrl />
      <Custom1>{group_name}</Custom1>
      <Custom2>Printer</Custom2>
      <Custom3>Toner</Custom3>
      <SalePrice>{pi}.{pf:02}</SalePrice>
      <UnitWeight>0</UnitWeight>
      <QtyInStock>{stock}</QtyInStock>
      <QtyOnOrder>0</QtyOnOrder>
      <ReorderQty>0</ReorderQty>
      <ReorderLvl>0</ReorderLvl>
      <TaxCode>1</TaxCode>
      <GroupCode>{gc}</GroupCode>
      <Department>0</Department>
      <UnitOfSale>Each</UnitOfSale>
      <NominalCode>4000</NominalCode>
      <Publish>false</Publish>
      <ProductLevel>0</ProductLevel>
      <SpecialOffer>false</SpecialOffer>
      <QtyAllocated>{allocated}</QtyAllocated>
      <ImageName />
      <LastCostPrice>5</LastCostPrice>
      <QtyLastOrder>0</QtyLastOrder>
      <AverageCostPrice>5</AverageCostPrice>
      <RRPPrice xsi:nil=\"true\" />
      <Attachments />
      <DateModified>2024-01-{day:02}T09:30:00</DateModified>
      <Dimensions />
      <ProductBoms />
      <RelatedProducts />
      <AlternativeProducts />
      <SupplierAccountRef />
      <SupplierDepartment>0</SupplierDepartment>
      <ProductQtyBreaks />
      <CommodityCode>789</CommodityCode>
      <IntrastatCommodityCode>123</IntrastatCommodityCode>
      <PurchaseNominalCode>4001</PurchaseNominalCode>
      <SupplierPartNo />
      <Location>456</Location>
      <AllowSalesOrder xsi:nil=\"true\" />
      <Attributes />
      <UnitsOfMeasure />
      <UseDescriptionOnDocs>false</UseDescriptionOnDocs>
      <InactiveDate xsi:nil=\"true\" />
    </Product>
",
        group_name = GROUPS[group as usize],
        pi = price / 100,
        pf = price % 100,
        gc = group + 1,
        day = n % 28 + 1,
    )
}

fn write_file(path: &str, size: u64) -> std::io::Result<u64> {
    let mut out = CountingWriter {
        inner: BufWriter::with_capacity(1 << 20, File::create(path)?),
        written: 0,
    };
    let mut rng = Lcg(42);
    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?>
<Company xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"
xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">
  <!-- Product export generated for the zynk split benchmark -->
  <Products>
",
    )?;
    let mut n = 0;
    while out.written < size {
        n += 1;
        product(&mut out, n, &mut rng)?;
    }
    out.write_all(b"  </Products>\n  <Styles />\n  <ProductGroups>\n")?;
    for (i, g) in GROUPS.iter().enumerate() {
        writeln!(
            out,
            "    <ProductGroup>\n      <Reference>{}</Reference>\n      <Name>{g}</Name>\n    </ProductGroup>",
            i + 1
        )?;
    }
    out.write_all(b"  </ProductGroups>\n  <Customers />\n</Company>\n")?;
    out.inner.flush()?;
    Ok(n)
}

struct CountingWriter<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [size, path] = args.as_slice() else {
        eprintln!("usage: gen_products SIZE OUT.xml   (SIZE like 100M or 1G)");
        return ExitCode::from(2);
    };
    let Some(size) = parse_size(size) else {
        eprintln!("not a size: {size}");
        return ExitCode::from(2);
    };
    match write_file(path, size) {
        Ok(n) => {
            println!("{n} products written to {path}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("cannot write {path}: {err}");
            ExitCode::FAILURE
        }
    }
}
