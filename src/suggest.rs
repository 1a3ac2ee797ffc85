//! "Did you mean" suggestions by edit distance.

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
        let distance = levenshtein(&word_lower, &candidate.to_lowercase());
        let limit = match candidate.chars().count().max(word.chars().count()) {
            0..=3 => 1,
            4..=6 => 2,
            _ => 3,
        };
        let prefix = candidate.starts_with(word) || word.starts_with(candidate);
        if (distance <= limit || (prefix && word.len() >= 3))
            && best.as_ref().is_none_or(|(d, _)| distance < *d)
        {
            best = Some((distance, candidate.to_string()));
        }
    }
    best.map(|(_, c)| c)
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

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
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
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
