//! "Did you mean" suggestions for misspelt function and axis names.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub(crate) fn closest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let normalized = name.to_ascii_lowercase().replace('_', "-");
    let candidates: Vec<&'c str> = candidates.into_iter().collect();
    let best = crate::suggest::closest(&normalized, candidates.iter().copied())?;
    candidates.into_iter().find(|c| *c == best)
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
