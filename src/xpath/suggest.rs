//! "Did you mean" suggestions for misspelt function and axis names.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub(crate) fn closest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let normalized = name.to_ascii_lowercase().replace('_', "-");
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (crate::suggest::distance(&normalized, candidate), candidate))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["substring-before", "substring-after", "substring"];
        assert_eq!(closest("substring_before", names), Some("substring-before"));
        assert_eq!(closest("substring-befor", names), Some("substring-before"));
        assert_eq!(closest("frobnicate", names), None);
        assert_eq!(closest("chlid", ["child", "self"]), Some("child"));
    }
}
