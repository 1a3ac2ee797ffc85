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
        let distance = distance(&word_lower, &candidate.to_lowercase());
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

/// Edit distance: insertions, deletions, substitutions and swaps of two neighbouring
/// characters each cost one (so `retires` is one edit from `retries`).
#[must_use]
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0; (a.len() + 1) * width];
    for (i, cell) in d.iter_mut().step_by(width).enumerate() {
        *cell = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
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
