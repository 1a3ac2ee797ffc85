//! XSLT's `format-number(number, pattern)` with the default decimal format, as libxslt computes it.
//!
//! A pattern is `prefix digits suffix`, optionally followed by `;` and a negative
//! sub-pattern. Digits are `#` (optional digit), `0` (required digit), `,` (grouping)
//! and one `.`; `%` and `‰` in the prefix or suffix multiply by 100 and 1000, and `'`
//! quotes a special character. Rounding is half up on the scaled value, as libxslt does.

/// One parsed sub-pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pattern {
    prefix: String,
    suffix: String,
    /// `0`s before the decimal point: the least number of integer digits.
    integer_digits: usize,
    integer_hash: usize,
    /// `0`s after the decimal point.
    frac_digits: usize,
    /// `#`s after the decimal point.
    frac_hash: usize,
    /// Digits after the last `,` of the integer part.
    group: usize,
    add_decimal: bool,
    multiplier: f64,
}

/// The positive and, when given, the negative sub-pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Patterns {
    positive: Pattern,
    negative: Option<Pattern>,
}

/// Why a pattern is not valid, for the compile-time diagnostic.
pub(crate) fn check_pattern(pattern: &str) -> Result<(), String> {
    parse_patterns(pattern).map(|_| ())
}

/// `format-number(number, pattern)`; `None` for a pattern that is not valid.
pub(crate) fn format_number(number: f64, pattern: &str) -> Option<String> {
    let patterns = parse_patterns(pattern).ok()?;
    Some(format_with(number, &patterns))
}

fn parse_patterns(pattern: &str) -> Result<Patterns, String> {
    let (positive, rest) = parse_one(pattern)?;
    let negative = match rest {
        Some(rest) => {
            let (negative, extra) = parse_one(rest)?;
            if extra.is_some() {
                return Err("a pattern has at most one `;`".into());
            }
            Some(negative)
        }
        None => None,
    };
    Ok(Patterns { positive, negative })
}

/// One sub-pattern and the text after its `;`.
fn parse_one(text: &str) -> Result<(Pattern, Option<&str>), String> {
    let mut pattern = Pattern {
        prefix: String::new(),
        suffix: String::new(),
        integer_digits: 0,
        integer_hash: 0,
        frac_digits: 0,
        frac_hash: 0,
        group: 0,
        add_decimal: false,
        multiplier: 1.0,
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let affix = |i: &mut usize, out: &mut String, multiplier: &mut f64| -> Result<(), String> {
        while let Some(&c) = chars.get(*i) {
            match c {
                '#' | '0' | ',' | '.' | ';' => break,
                '\'' => {
                    *i += 1;
                    match chars.get(*i) {
                        Some(&quoted) => out.push(quoted),
                        None => return Err("a `'` quotes nothing".into()),
                    }
                    if chars.get(*i + 1) == Some(&'\'') {
                        *i += 1;
                    }
                }
                '%' => {
                    *multiplier = 100.0;
                    out.push(c);
                }
                '\u{2030}' => {
                    *multiplier = 1000.0;
                    out.push(c);
                }
                _ => out.push(c),
            }
            *i += 1;
        }
        Ok(())
    };
    affix(&mut i, &mut pattern.prefix, &mut pattern.multiplier)?;
    let mut grouped = false;
    while let Some(&c) = chars.get(i) {
        match c {
            '#' if pattern.integer_digits > 0 => {
                return Err("`#` after `0` in the integer part".into());
            }
            '#' => pattern.integer_hash += 1,
            '0' => pattern.integer_digits += 1,
            ',' => {
                grouped = true;
                pattern.group = 0;
                i += 1;
                continue;
            }
            _ => break,
        }
        if grouped {
            pattern.group += 1;
        }
        i += 1;
    }
    if !grouped {
        pattern.group = 0;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        pattern.add_decimal = true;
        while let Some(&c) = chars.get(i) {
            match c {
                '0' if pattern.frac_hash > 0 => {
                    return Err("`0` after `#` in the fraction".into());
                }
                '0' => pattern.frac_digits += 1,
                '#' => pattern.frac_hash += 1,
                '.' => return Err("a second `.`".into()),
                ',' => return Err("`,` in the fraction".into()),
                _ => break,
            }
            i += 1;
        }
    }
    if pattern.integer_digits + pattern.integer_hash + pattern.frac_digits + pattern.frac_hash == 0
    {
        return Err("no digits (`0` or `#`)".into());
    }
    affix(&mut i, &mut pattern.suffix, &mut pattern.multiplier)?;
    match chars.get(i) {
        None => Ok((pattern, None)),
        Some(';') => {
            let offset: usize = chars[..=i].iter().map(|c| c.len_utf8()).sum();
            Ok((pattern, Some(&text[offset..])))
        }
        Some(c) => Err(format!("`{c}` after the digits")),
    }
}

fn format_with(number: f64, patterns: &Patterns) -> String {
    if number.is_nan() {
        return "NaN".into();
    }
    if number.is_infinite() {
        return if number < 0.0 {
            "-Infinity"
        } else {
            "Infinity"
        }
        .into();
    }
    let negative = number < 0.0;
    let (pattern, default_sign) = match (&patterns.negative, negative) {
        (Some(neg), true) => (neg, false),
        _ => (&patterns.positive, negative),
    };
    let mut out = String::new();
    if default_sign {
        out.push('-');
    }
    out.push_str(&pattern.prefix);
    let mut number = number.abs() * pattern.multiplier;
    let mut frac_digits = pattern.frac_digits;
    let mut frac_hash = pattern.frac_hash;
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let scale = 10f64.powi((frac_digits + frac_hash) as i32);
    number = (scale * number + 0.5).floor() / scale;
    push_decimal(
        &mut out,
        number.floor(),
        pattern.integer_digits,
        pattern.group,
    );
    // Java reads `.#` as `.0`, `.##` as `.0#`: with no other digit one is required.
    if pattern.integer_digits + pattern.integer_hash + frac_digits == 0 && frac_hash > 0 {
        frac_digits += 1;
        frac_hash -= 1;
    }
    if number.floor() == 0.0 && pattern.integer_digits + frac_digits == 0 {
        out.push('0');
    }
    if frac_digits + frac_hash == 0 {
        if pattern.add_decimal {
            out.push('.');
        }
    } else {
        let fraction = number - number.floor();
        if fraction != 0.0 || frac_digits != 0 {
            out.push('.');
            let mut digits = (scale * fraction + 0.5).floor();
            let mut width = frac_digits + frac_hash;
            for _ in 0..frac_hash {
                if digits % 10.0 >= 1.0 {
                    break;
                }
                digits /= 10.0;
                width -= 1;
            }
            push_decimal(&mut out, digits.floor(), width, 0);
        }
    }
    out.push_str(&pattern.suffix);
    out
}

/// Writes the integer `number` with at least `width` digits, a `,` every `group` digits.
fn push_decimal(out: &mut String, mut number: f64, width: usize, group: usize) {
    let mut digits: Vec<char> = Vec::new();
    let mut i = 0;
    while i < 400 {
        if i >= width && number.abs() < 1.0 {
            break;
        }
        if i > 0 && group > 0 && i % group == 0 {
            digits.push(',');
        }
        let digit = number - 10.0 * (number / 10.0).floor();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let digit = (digit as u32).min(9);
        digits.push(char::from_digit(digit, 10).unwrap_or('0'));
        number = (number / 10.0).floor();
        i += 1;
    }
    out.extend(digits.iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: f64, p: &str) -> String {
        format_number(n, p).unwrap_or_else(|| "ERR".into())
    }

    #[test]
    fn common_patterns() {
        assert_eq!(f(12.5, "0.00"), "12.50");
        assert_eq!(f(1234567.891, "#,##0.00"), "1,234,567.89");
        assert_eq!(f(0.5, "#.00"), ".50");
        assert_eq!(f(0.5, "#.##"), "0.5");
        assert_eq!(f(-3.0, "0.00"), "-3.00");
        assert_eq!(f(-3.0, "0.00;(0.00)"), "(3.00)");
        assert_eq!(f(0.256, "0%"), "26%");
        assert_eq!(f(7.0, "000"), "007");
        assert_eq!(f(f64::NAN, "0.00"), "NaN");
    }

    #[test]
    fn bad_patterns() {
        for bad in ["", "abc", "0.0.0", "0#", "#.0#0", "0;0;0"] {
            assert!(check_pattern(bad).is_err(), "{bad}");
        }
    }
}
