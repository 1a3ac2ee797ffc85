//! What a statement reports when it succeeds.

/// The result of a statement that did not fail.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    /// A short description for the status line: what was written, from where.
    pub detail: String,
    /// Record counts, for statements that handle records.
    pub counts: Option<Counts>,
    /// Warnings to show under the status line.
    pub warnings: Vec<String>,
    /// What a later line can read after `… as NAME` (`imported`, `status`, …).
    pub results: Vec<(&'static str, u64)>,
}

/// How a statement ended when it did not fail (Zynk's Success and SuccessNoData).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success,
    NoData,
}

/// Records in, out and failed (Zynk's InCount, OutCount, ErrorCount).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub input: u64,
    pub output: u64,
    pub failed: u64,
}

impl Outcome {
    pub fn success(detail: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Success,
            detail: detail.into(),
            counts: None,
            warnings: Vec::new(),
            results: Vec::new(),
        }
    }

    pub fn no_data(detail: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::NoData,
            detail: detail.into(),
            counts: None,
            warnings: Vec::new(),
            results: Vec::new(),
        }
    }

    /// A result by name (0 when the statement has none of that name).
    #[must_use]
    pub fn result(&self, name: &str) -> u64 {
        self.results
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, v)| *v)
    }

    /// Adds a result a later line can read by name.
    #[must_use]
    pub fn with_result(mut self, name: &'static str, value: u64) -> Outcome {
        self.results.push((name, value));
        self
    }

    #[must_use]
    pub fn with_warnings(mut self, warnings: Vec<String>) -> Outcome {
        self.warnings.extend(warnings);
        self
    }

    pub fn with_counts(mut self, counts: Counts) -> Outcome {
        self.counts = Some(counts);
        self
    }
}
