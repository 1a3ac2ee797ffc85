//! The shop mappings of `scripts/maps/`, compiled by the language itself (parser and checker).
use zynk::map::MapSpec;
use zynk::source::SourceFile;

/// The `map` spec of `scripts/maps/{name}.zynk`, exactly as `zynk run` would execute it.
fn from_script(name: &str) -> MapSpec {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scripts/maps/{name}.zynk"));
    let source = SourceFile::read(&path).expect("script");
    let program = zynk::check::compile(&source, zynk::tasks::Registry::standard(), &[])
        .expect("the script checks");
    let specs = zynk::tasks::map_specs(&program);
    assert_eq!(specs.len(), 1, "{name}.zynk holds one map statement");
    specs[0].clone()
}

pub fn shopify() -> MapSpec {
    from_script("shopify")
}

pub fn magento() -> MapSpec {
    from_script("magento")
}

pub fn woocommerce() -> MapSpec {
    from_script("woocommerce")
}
