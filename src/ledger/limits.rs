//! Sage field limits: free text is cut with a warning, identifiers that do not fit fail the record.

/// Collects the warnings of one record while its fields are fitted to the ledger's columns.
#[derive(Debug, Default)]
pub(super) struct Fitter {
    /// Warnings so far (`Name` cut to 60 characters, …).
    pub warnings: Vec<String>,
    /// Where in the record the fields are (e.g. `line 2`), put before field names in messages.
    pub context: Option<String>,
}

impl Fitter {
    /// Free text: cut to `max` characters, with a warning naming the field.
    pub(super) fn text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let v = value?.trim();
        if v.is_empty() {
            return None;
        }
        // A text of at most `max` bytes has at most `max` characters: no need to count them.
        if v.len() > max && v.chars().count() > max {
            let at = self
                .context
                .as_deref()
                .map(|c| format!("{c} "))
                .unwrap_or_default();
            self.warnings.push(format!(
                "{at}`{field}` was cut to {max} characters (it had {})",
                v.chars().count()
            ));
            return Some(v.chars().take(max).collect());
        }
        Some(v.to_string())
    }

    /// An identifier or code: `Err` with a message when longer than `max`.
    pub(super) fn code(
        &self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Result<Option<String>, String> {
        let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        if v.len() > max && v.chars().count() > max {
            let at = self
                .context
                .as_deref()
                .map(|c| format!("{c} "))
                .unwrap_or_default();
            return Err(format!(
                "{at}`{field}` is `{v}`, longer than the {max} characters the ledger allows"
            ));
        }
        Ok(Some(v.to_string()))
    }
}

/// Characters Sage accepts in an account reference besides `A–Z` and `0–9`.
pub(super) const ACCOUNT_REF_SYMBOLS: &str = "#_/!%&.-$()\",'";

/// Checks (and upper-cases) an account reference: 1–8 characters from Sage's allowed set.
pub fn account_reference(value: &str) -> Result<String, String> {
    let v = value.trim().to_uppercase();
    if v.is_empty() {
        return Err("the account reference is empty".to_string());
    }
    if v.chars().count() > 8 {
        return Err(format!(
            "account reference `{v}` is longer than 8 characters"
        ));
    }
    if let Some(bad) = v.chars().find(|c| {
        !(c.is_ascii_uppercase() || c.is_ascii_digit() || ACCOUNT_REF_SYMBOLS.contains(*c))
    }) {
        return Err(format!(
            "account reference `{v}` contains `{bad}`, which Sage does not allow"
        ));
    }
    Ok(v)
}

/// Checks (and upper-cases) a stock code: 1–30 characters from `A–Z 0–9 / . - #`.
pub(super) fn stock_code(value: &str) -> Result<String, String> {
    let v = value.trim().to_uppercase();
    if v.is_empty() {
        return Err("the stock code is empty".to_string());
    }
    if v.chars().count() > 30 {
        return Err(format!("Sku `{v}` is longer than 30 characters"));
    }
    if let Some(bad) = v
        .chars()
        .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || "/.-#".contains(*c)))
    {
        return Err(format!(
            "Sku `{v}` contains `{bad}`, which Sage does not allow in a stock code"
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_is_cut_and_codes_fail() {
        let mut f = Fitter::default();
        let long = "x".repeat(70);
        assert_eq!(f.text("Name", Some(&long), 60).map(|s| s.len()), Some(60));
        assert_eq!(f.warnings.len(), 1);
        assert!(f.code("NominalCode", Some("123456789"), 8).is_err());
        assert_eq!(account_reference("inte001"), Ok("INTE001".to_string()));
        assert!(account_reference("TOOLONGREF").is_err());
        assert!(account_reference("AB CD").is_err());
        assert!(stock_code("tr 002").is_err());
    }
}
