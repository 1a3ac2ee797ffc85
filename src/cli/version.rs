//! What `zynk --version` says: the package version, and the commit and build date when
//! built from a git checkout.

const COMMIT: &str = env!("ZYNK_GIT_COMMIT");

/// `zynk -V`: `0.1.0 (commit 1a2b3c4d5e6f, built 2026-12-01)`, or the bare version.
pub(super) const SHORT: &str = const_format();

/// `zynk --version`: the same.
pub(super) const LONG: &str = SHORT;

const fn const_format() -> &'static str {
    if COMMIT.is_empty() {
        env!("CARGO_PKG_VERSION")
    } else {
        concat!(
            env!("CARGO_PKG_VERSION"),
            " (commit ",
            env!("ZYNK_GIT_COMMIT"),
            ", built ",
            env!("ZYNK_BUILD_DATE"),
            ")"
        )
    }
}
