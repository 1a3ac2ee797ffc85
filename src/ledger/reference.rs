//! Auto-generated account references (reference §3.3): letters from a name, a counter, a mask.
use super::limits::account_reference;
use super::options::ReferenceConvention;
use crate::connect::Contact;

/// The reference settings in force for one import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceRules<'a> {
    /// Which name gives the letters.
    pub convention: ReferenceConvention,
    /// Number of letters.
    pub alpha_length: u32,
    /// Number of digits.
    pub numeric_length: u32,
    /// Mask (`?` = generated character; no `?` = prefix).
    pub mask: &'a str,
}

/// The text the convention takes the letters from: the company name (falling back to the
/// address block's `Company`), else the name parts the convention names.
pub fn source_text(
    convention: ReferenceConvention,
    company: Option<&str>,
    contact: Option<&Contact>,
) -> String {
    let company = company
        .map(str::to_string)
        .or_else(|| contact.and_then(|c| c.company.clone()));
    let person = |f: fn(&Contact) -> Option<String>| contact.and_then(f);
    let picked = match convention {
        ReferenceConvention::CompanyOtherwiseFullname => {
            company.or_else(|| person(Contact::full_name))
        }
        ReferenceConvention::CompanyOtherwiseForenameSurname => {
            company.or_else(|| person(Contact::forename_surname))
        }
        ReferenceConvention::CompanyOtherwiseSurnameForename => {
            company.or_else(|| person(Contact::surname_forename))
        }
        ReferenceConvention::ForenameSurname => person(Contact::forename_surname),
        ReferenceConvention::SurnameForename => person(Contact::surname_forename),
    };
    picked.unwrap_or_default()
}

/// The first `alpha_length` letters `A–Z` of `source` in upper case, padded with `X`.
pub fn reference_letters(source: &str, alpha_length: u32) -> String {
    let mut letters: String = source
        .chars()
        .flat_map(char::to_uppercase)
        .filter(char::is_ascii_uppercase)
        .take(alpha_length as usize)
        .collect();
    while letters.len() < alpha_length as usize {
        letters.push('X');
    }
    letters
}

/// Applies the mask to the generated letters-then-digits (open question 8: no `?` = prefix).
pub(super) fn apply_mask(mask: &str, generated: &str) -> String {
    if mask.is_empty() {
        return generated.to_string();
    }
    if !mask.contains('?') {
        return format!("{mask}{generated}").to_uppercase();
    }
    let mut rest = generated.chars();
    let mut out = String::new();
    for m in mask.chars() {
        if m == '?' {
            if let Some(g) = rest.next() {
                out.push(g);
            }
        } else {
            out.push(m);
        }
    }
    out.extend(rest);
    out.to_uppercase()
}

/// Finds the lowest free reference for `letters`, trying counters from `start` (≥ 1) up.
///
/// `is_taken` says whether a candidate is already used. Returns the reference and its counter,
/// or `Err(message)` when the counter overflows `numeric_length` digits or the result breaks
/// Sage's rules (more than 8 characters, characters Sage does not allow).
pub fn generate_reference<E>(
    rules: &ReferenceRules<'_>,
    letters: &str,
    start: u64,
    mut is_taken: impl FnMut(&str) -> Result<bool, E>,
) -> Result<Result<(String, u64), String>, E> {
    let width = rules.numeric_length as usize;
    if width == 0 {
        let candidate = apply_mask(rules.mask, letters);
        if let Err(e) = account_reference(&candidate) {
            return Ok(Err(format!(
                "the generated reference breaks Sage's rules: {e}"
            )));
        }
        return Ok(if is_taken(&candidate)? {
            Err(format!(
                "cannot generate an account reference: `{candidate}` is taken and numeric_length is 0"
            ))
        } else {
            Ok((candidate, 0))
        });
    }
    let max = 10u64.saturating_pow(width.min(18) as u32) - 1;
    let first = apply_mask(rules.mask, &format!("{letters}{:0width$}", 1));
    if let Err(e) = account_reference(&first) {
        return Ok(Err(format!(
            "the generated reference breaks Sage's rules: {e}"
        )));
    }
    let mut n = start.max(1);
    while n <= max {
        let candidate = apply_mask(rules.mask, &format!("{letters}{n:0width$}"));
        if !is_taken(&candidate)? {
            return Ok(Ok((candidate, n)));
        }
        n += 1;
    }
    Ok(Err(format!(
        "cannot generate an account reference for `{letters}`: all {max} numbers are taken"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(alpha: u32, numeric: u32, mask: &str) -> ReferenceRules<'_> {
        ReferenceRules {
            convention: ReferenceConvention::CompanyOtherwiseFullname,
            alpha_length: alpha,
            numeric_length: numeric,
            mask,
        }
    }

    fn make_ref(r: &ReferenceRules<'_>, letters: &str, taken: &[&str]) -> Result<String, String> {
        let out: Result<_, std::convert::Infallible> =
            generate_reference(r, letters, 1, |c| Ok(taken.contains(&c)));
        match out {
            Ok(inner) => inner.map(|(s, _)| s),
            Err(never) => match never {},
        }
    }

    #[test]
    fn letters_are_upper_case_a_to_z_padded_with_x() {
        assert_eq!(reference_letters("Zynk Software", 3), "ZYN");
        assert_eq!(reference_letters("O'Neil & Co", 4), "ONEI");
        assert_eq!(reference_letters("Ål 7", 3), "LXX");
        assert_eq!(reference_letters("", 2), "XX");
    }

    #[test]
    fn lowest_free_number_and_collisions() {
        let r = rules(3, 3, "");
        assert_eq!(make_ref(&r, "ZYN", &[]), Ok("ZYN001".into()));
        assert_eq!(make_ref(&r, "ZYN", &["ZYN001"]), Ok("ZYN002".into()));
        assert_eq!(make_ref(&r, "ZYN", &["ZYN002"]), Ok("ZYN001".into()));
    }

    #[test]
    fn masks_fill_question_marks_or_prefix() {
        assert_eq!(
            make_ref(&rules(3, 3, "Z-"), "INT", &[]),
            Ok("Z-INT001".into())
        );
        assert_eq!(
            make_ref(&rules(3, 3, "???-???"), "INT", &[]),
            Ok("INT-001".into())
        );
        assert_eq!(
            make_ref(&rules(3, 3, "A??????"), "INT", &[]),
            Ok("AINT001".into())
        );
        assert_eq!(
            make_ref(&rules(0, 3, "WEB???"), "", &[]),
            Ok("WEB001".into())
        );
        assert_eq!(
            make_ref(&rules(0, 3, "web???"), "", &["WEB001"]),
            Ok("WEB002".into())
        );
    }

    #[test]
    fn overflow_and_too_long_fail() {
        let r = rules(3, 1, "");
        let taken: Vec<String> = (1..=9).map(|n| format!("ABC{n}")).collect();
        let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
        assert!(make_ref(&r, "ABC", &taken).is_err());
        assert!(make_ref(&rules(6, 3, ""), "ABCDEF", &[]).is_err());
        assert!(make_ref(&rules(3, 0, ""), "ABC", &["ABC"]).is_err());
        assert_eq!(make_ref(&rules(3, 0, ""), "ABC", &[]), Ok("ABC".into()));
        assert!(make_ref(&rules(3, 3, "A B"), "ABC", &[]).is_err());
    }
}
