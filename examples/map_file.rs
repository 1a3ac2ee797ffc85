//! Maps a shop export with one of the shop mappings of scripts/maps: `map_file SHOP INPUT OUTPUT` (used by the benchmark).

use std::path::Path;
use std::process::ExitCode;

#[path = "../tests/map_dsl/mod.rs"]
mod dsl;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [shop, input, output] = args.as_slice() else {
        eprintln!("usage: map_file shopify|magento|woocommerce INPUT OUTPUT");
        return ExitCode::from(2);
    };
    let spec = match shop.as_str() {
        "shopify" => dsl::shops::shopify(),
        "magento" => dsl::shops::magento(),
        "woocommerce" => dsl::shops::woocommerce(),
        other => {
            eprintln!("unknown shop mapping: {other}");
            return ExitCode::from(2);
        }
    };
    match zynk::map::map_file(Path::new(input), &spec, Path::new(output)) {
        Ok(report) => {
            let mode = if report.streamed { "streamed" } else { "tree" };
            println!("{} records ({mode})", report.records);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{:?}", miette::Report::new(err));
            ExitCode::FAILURE
        }
    }
}
