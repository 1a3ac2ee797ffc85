//! Placeholder for the mapping engine (replaced by the real engine on merge).
use std::path::Path;

use crate::xpath::XPath;

#[derive(Debug, Clone)]
pub struct MapSpec {
    pub rules: Vec<RecordRule>,
}
#[derive(Debug, Clone)]
pub struct RecordRule {
    pub select: XPath,
    pub target: Vec<String>,
    pub items: Vec<MapItem>,
}
#[derive(Debug, Clone)]
pub enum MapItem {
    Field(FieldRule),
    Each(RecordRule),
}
#[derive(Debug, Clone)]
pub struct FieldRule {
    pub target: Vec<String>,
    pub value: FieldValue,
    pub condition: Condition,
    pub default: Option<FieldValue>,
}
#[derive(Debug, Clone)]
pub enum FieldValue {
    XPath(XPath),
    Text(String),
}
#[derive(Debug, Clone)]
pub enum Condition {
    Always,
    NotEmpty,
    When(XPath),
}
#[derive(Debug, Clone)]
pub struct MapReport {
    pub records: u64,
    pub streamed: bool,
}
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("map is not available")]
#[diagnostic(code(zynk::map::unavailable))]
pub struct MapError;
pub fn map_file(_input: &Path, _spec: &MapSpec, _output: &Path) -> Result<MapReport, MapError> {
    Err(MapError)
}
#[must_use]
pub fn check_target(_record: &str, _field: &[String]) -> Option<String> {
    None
}
