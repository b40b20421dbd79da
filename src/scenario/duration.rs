//! Durations as scenario files write them: `"500ms"`, `"5s"`, `"2m"`, `"1h"`,
//! or a sum such as `"1m30s"`. Stored as milliseconds of simulated time.

/// The longest time a scenario may cover.
pub const MAX_MS: u64 = 24 * 60 * 60 * 1000;

const FORMAT_HELP: &str = "write a whole number and a unit (ms, s, m, h), e.g. \"500ms\", \"5s\", \"2m\", \"1h\" or \"1m30s\"";

pub fn parse(text: &str) -> Result<u64, String> {
    let bad = || format!("`{text}` is not a duration: {FORMAT_HELP}");
    let text_trimmed = text.trim();
    if text_trimmed.contains(char::is_whitespace) {
        return Err(format!(
            "`{text}` has a space in it: write the number and unit together, e.g. \"5m\""
        ));
    }
    if text_trimmed.is_empty() {
        return Err(bad());
    }
    let bytes = text_trimmed.as_bytes();
    let mut total: u64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return Err(bad());
        }
        let number: u64 = text_trimmed[start..i]
            .parse()
            .map_err(|_| format!("`{text}` is longer than the 24h limit"))?;
        let unit_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let scale = match &text_trimmed[unit_start..i] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "" => {
                return Err(format!("`{text}` has no unit: {FORMAT_HELP}"));
            }
            other => {
                return Err(format!(
                    "`{other}` is not a time unit in `{text}`: the units are ms, s, m and h"
                ));
            }
        };
        total = number
            .checked_mul(scale)
            .and_then(|ms| total.checked_add(ms))
            .filter(|ms| *ms <= MAX_MS)
            .ok_or_else(|| format!("`{text}` is longer than the 24h limit"))?;
    }
    Ok(total)
}

/// The shortest spelling that parses back to `ms`.
pub fn format(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let mut rest = ms;
    let mut out = String::new();
    for (unit, scale) in [("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
        if rest >= scale {
            out.push_str(&format!("{}{unit}", rest / scale));
            rest %= scale;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_sums() {
        assert_eq!(parse("500ms"), Ok(500));
        assert_eq!(parse("0s"), Ok(0));
        assert_eq!(parse("5s"), Ok(5_000));
        assert_eq!(parse("2m"), Ok(120_000));
        assert_eq!(parse("1h"), Ok(3_600_000));
        assert_eq!(parse("1m30s"), Ok(90_000));
        assert_eq!(parse("24h"), Ok(MAX_MS));
    }

    #[test]
    fn explains_bad_durations() {
        assert!(parse("5").unwrap_err().contains("no unit"));
        assert!(parse("5d").unwrap_err().contains("ms, s, m and h"));
        assert!(parse("1.5s").unwrap_err().contains("whole number"));
        assert!(parse("").unwrap_err().contains("e.g."));
        assert!(parse("25h").unwrap_err().contains("24h"));
        assert!(parse("99999999999999999999h").unwrap_err().contains("24h"));
        assert!(parse("5 m").unwrap_err().contains("space"));
    }

    #[test]
    fn formats_back() {
        for ms in [0, 1, 500, 1_000, 61_500, 90_000, 3_600_000, 3_723_004] {
            assert_eq!(parse(&format(ms)), Ok(ms));
        }
        assert_eq!(format(90_000), "1m30s");
    }
}
