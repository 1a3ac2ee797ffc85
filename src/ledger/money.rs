//! Money arithmetic: half-up rounding to pennies, as Sage rounds each line's VAT.

/// Rounds to 2 decimal places, halves away from zero (`0.845` → `0.85`), tolerant of binary
/// representation error (`1.005` is treated as the decimal it was written as).
pub fn round2(v: f64) -> f64 {
    let scaled = v * 100.0;
    let nudged = scaled + scaled.signum() * 1e-7;
    nudged.round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::round2;

    #[test]
    fn rounds_half_up_per_line() {
        assert_eq!(round2(0.636), 0.64);
        assert_eq!(round2(0.848), 0.85);
        assert_eq!(round2(0.845), 0.85);
        assert_eq!(round2(1.005), 1.01);
        assert_eq!(round2(-0.845), -0.85);
        assert_eq!(round2(30.0), 30.0);
    }
}
