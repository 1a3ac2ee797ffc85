//! "Did you mean" suggestions by edit distance: the one place that decides whether a word
//! is a likely typo of another, for statements, options, choices, variables, functions,
//! fields and XPath names alike.

/// The candidate closest to `word`, if it is close enough to be a likely typo; failing
/// that, the one candidate that differs from it in exactly one word of three or more
/// (`manual_order_numbers` for `manual_invoice_numbers`: a sibling statement's option).
#[must_use]
pub(crate) fn closest<'a, I, S>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str> + 'a,
{
    let word_lower = word.to_lowercase();
    // Of equally close candidates, one that the word begins (`oauth` of `oauth2`) wins.
    let mut best: Option<(usize, bool, String)> = None;
    let mut swapped: Vec<String> = Vec::new();
    for candidate in candidates {
        let candidate = candidate.as_ref();
        let candidate_lower = candidate.to_lowercase();
        let distance = distance(&word_lower, &candidate_lower);
        let limit = threshold(candidate.chars().count().max(word.chars().count()));
        let prefix = candidate.starts_with(word) || word.starts_with(candidate);
        let completes = !candidate_lower.starts_with(&word_lower);
        if (distance <= limit || (prefix && word.len() >= 3))
            && best
                .as_ref()
                .is_none_or(|(d, c, _)| (distance, completes) < (*d, *c))
        {
            best = Some((distance, completes, candidate.to_string()));
        }
        if one_word_swapped(&word_lower, &candidate_lower)
            && !swapped.iter().any(|s| s == candidate)
        {
            swapped.push(candidate.to_string());
        }
    }
    match (best, swapped.len()) {
        (Some((_, _, c)), _) => Some(c),
        (None, 1) => swapped.pop(),
        (None, _) => None,
    }
}

/// Whether `a` and `b` are names of the same three or more `_`-separated words but one.
fn one_word_swapped(a: &str, b: &str) -> bool {
    let (a_words, b_words) = (a.split('_'), b.split('_'));
    let count = a_words.clone().count();
    count >= 3
        && count == b_words.clone().count()
        && a_words.zip(b_words).filter(|(x, y)| x != y).count() == 1
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
pub(crate) fn did_you_mean<I, S>(word: &str, candidates: I, what: &str) -> String
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
pub(crate) fn distance(a: &str, b: &str) -> usize {
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

    #[test]
    fn finds_a_sibling_statements_option() {
        let invoice_options = ["manual_invoice_numbers", "prices_include_tax"];
        assert_eq!(
            closest("manual_order_numbers", invoice_options),
            Some("manual_invoice_numbers".into())
        );
        assert_eq!(
            closest(
                "manual_invoice_numbers",
                ["manual_order_numbers", "allocate_stock"]
            ),
            Some("manual_order_numbers".into())
        );
        // Two words of two, or two candidates one word away, are no likely typo.
        assert_eq!(closest("default_product", ["default_account"]), None);
        assert_eq!(
            closest(
                "manual_order_numbers",
                ["manual_invoice_numbers", "manual_credit_numbers"]
            ),
            None
        );
    }
}
