//! Plain-text output helpers: money, wrapping, JSON.

use std::io::Write;

use rust_decimal::Decimal;

/// `1781.00` → `$1,781.00`.
pub(crate) fn money(d: Decimal) -> String {
    let s = format!("{:.2}", d.round_dp(2));
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}${grouped}.{frac}")
}

/// Wraps `text` at `width` columns, indenting every line by `indent` spaces.
pub(crate) fn wrap(text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.len() + 1 + word.len() > width {
            out.push_str(&pad);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&pad);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A list item: `- ` then the text, continuation lines aligned under the text.
pub(crate) fn item(text: &str, indent: usize, width: usize) -> String {
    let body = wrap(text, indent + 2, width);
    let mut out = String::new();
    for (i, line) in body.lines().enumerate() {
        if i == 0 {
            out.push_str(&" ".repeat(indent));
            out.push_str("- ");
            out.push_str(line.trim_start());
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A progress bar on stderr for long runs; hidden when stderr is not a terminal or for few items.
pub(crate) fn progress(len: u64, what: &'static str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if len < 20 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({per_sec})") {
        bar.set_style(style);
    }
    bar.set_message(what);
    bar
}

/// Writes a value as pretty JSON with a final newline.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Writes text to stdout.
pub(crate) fn text(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(money(d("1781")), "$1,781.00");
        assert_eq!(money(d("0")), "$0.00");
        assert_eq!(money(d("123456.789")), "$123,456.79");
        assert_eq!(money(d("-1000.5")), "-$1,000.50");
    }

    #[test]
    fn wraps_words() {
        assert_eq!(wrap("aaa bbb ccc", 2, 8), "  aaa\n  bbb\n  ccc\n");
        assert_eq!(wrap("aaa bbb", 0, 80), "aaa bbb\n");
        assert_eq!(item("aaa bbb ccc", 2, 10), "  - aaa\n    bbb\n    ccc\n");
    }
}
