//! "Did you mean" suggestions by edit distance: the one place that decides whether a word
//! is a likely typo of another, for statements, options, choices, variables, functions,
//! fields and XPath names alike.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
#[must_use]
pub fn closest<'a, I, S>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str> + 'a,
{
    let word_lower = word.to_lowercase();
    let mut best: Option<(usize, String)> = None;
    for candidate in candidates {
        let candidate = candidate.as_ref();
        let distance = distance(&word_lower, &candidate.to_lowercase());
        let limit = threshold(candidate.chars().count().max(word.chars().count()));
        let prefix = candidate.starts_with(word) || word.starts_with(candidate);
        if (distance <= limit || (prefix && word.len() >= 3))
            && best.as_ref().is_none_or(|(d, _)| distance < *d)
        {
            best = Some((distance, candidate.to_string()));
        }
    }
    best.map(|(_, c)| c)
}

/// How many edits a word of `len` characters may be from what was meant.
fn threshold(len: usize) -> usize {
    match len {
        0..=3 => 1,
        4..=6 => 2,
        _ => 3,
    }
}

/// A help line: "did you mean `x`?" or, failing that, the list of what is valid.
#[must_use]
pub fn did_you_mean<I, S>(word: &str, candidates: I, what: &str) -> String
where
    I: IntoIterator<Item = S> + Clone,
    S: AsRef<str>,
{
    match closest(word, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let all: Vec<String> = candidates
                .into_iter()
                .map(|c| format!("`{}`", c.as_ref()))
                .collect();
            if all.is_empty() {
                format!("there are no {what} here")
            } else {
                format!("{what}: {}", all.join(", "))
            }
        }
    }
}

/// Edit distance: insertions, deletions, substitutions and swaps of two neighbouring
/// characters each cost one (so `retires` is one edit from `retries`).
#[must_use]
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        assert_eq!(
            closest("retrys", ["retries", "timeout"]),
            Some("retries".into())
        );
        assert_eq!(closest("fetc", ["fetch", "notify"]), Some("fetch".into()));
        assert_eq!(closest("zzzzzz", ["fetch", "notify"]), None);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("retires", "retries"), 1);
    }
}
