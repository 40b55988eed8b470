//! Words: normalization, tokens, light stemming, code mentions in prose, sentences and money.

use interspace_refdata::Hcpcs;
use rust_decimal::Decimal;

/// Lower case, typographic dashes and quotes made plain, whitespace collapsed.
pub(crate) fn normalize(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Words that carry no topic.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "done", "each", "for", "from", "get", "had", "has",
    "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "one", "or", "our", "should",
    "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "us", "was",
    "we", "were", "what", "whats", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your", "s",
    "t", "ok", "please", "tell", "know", "still", "same",
];

pub(crate) fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

/// A light suffix stripper, enough for "billed"/"bill", "cages"/"cage", "coded"/"code".
pub(crate) fn stem(w: &str) -> String {
    let mut s = w;
    // "coverage" → "cover"; short words ("page", "image") keep their ending.
    if let Some(rest) = s.strip_suffix("age")
        && rest.len() >= 4
    {
        return rest.to_string();
    }
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(rest) = s.strip_suffix(suffix)
            && rest.len() >= 3
            && !(suffix == "s" && rest.ends_with('s'))
        {
            s = rest;
            break;
        }
    }
    let s = s.strip_suffix('e').filter(|r| r.len() >= 3).unwrap_or(s);
    s.to_string()
}

/// Alphanumeric runs of lower-cased text.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty())
}

/// Stemmed content tokens of normalized text (stopwords dropped).
pub(crate) fn content_tokens(text: &str) -> Vec<String> {
    words(text).filter(|w| !is_stopword(w)).map(stem).collect()
}

/// Whether `phrase` (normalized) occurs in `text` (normalized) as whole words.
pub(crate) fn has_phrase(text: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find(phrase) {
        let start = from + i;
        let end = start + phrase.len();
        let before = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let after = end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if before && after {
            return true;
        }
        from = start + phrase.len().max(1);
        if from >= text.len() {
            break;
        }
    }
    false
}

/// Whether any of the phrases occurs in `text` as whole words.
pub(crate) fn has_any(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| has_phrase(text, p))
}

/// Procedure codes written in prose: single codes (`22853`, `+22853`, `0163T`) and ranges
/// (`20930–20938`, `22842-22844`) expanded to their ends, for membership tests.
#[derive(Clone, Debug, Default)]
pub(crate) struct CodeMentions {
    /// Byte offset (in the normalized text) and code.
    singles: Vec<(usize, Hcpcs)>,
    /// Byte offset and the two ends of a range.
    ranges: Vec<(usize, u32, u32)>,
}

impl CodeMentions {
    pub(crate) fn of(text: &str) -> CodeMentions {
        let t = normalize(text);
        let toks = alnum_runs(&t);
        let mut m = CodeMentions::default();
        for (n, &(start, tok)) in toks.iter().enumerate() {
            let Some(code) = code_token(tok) else { continue };
            m.singles.push((start, code));
            // A range: `NNNNN-NNNNN` or `NNNNN to NNNNN`.
            if let (Some(lo), Some(&(next_start, next))) = (code.number(), toks.get(n + 1)) {
                let gap = &t[start + tok.len()..next_start];
                if (gap.trim() == "-" || gap.trim() == "to" || gap.trim() == "through")
                    && let Some(hi) = code_token(next).and_then(|c| c.number())
                    && hi > lo
                    && hi - lo < 100
                {
                    m.ranges.push((start, lo, hi));
                }
            }
        }
        m
    }

    pub(crate) fn contains(&self, code: Hcpcs) -> bool {
        !self.positions(code).is_empty()
    }

    /// Where the code is named (alone or inside a range), in byte offsets of the normalized text.
    pub(crate) fn positions(&self, code: Hcpcs) -> Vec<usize> {
        let n = code.number();
        let mut out: Vec<usize> = self.singles.iter().filter(|(_, c)| *c == code).map(|(i, _)| *i).collect();
        out.extend(self.ranges.iter().filter(|(_, a, b)| n.is_some_and(|n| *a <= n && n <= *b)).map(|(i, _, _)| *i));
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Alphanumeric runs of a text with their byte offsets.
pub(crate) fn alnum_runs(t: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices() {
        if c.is_ascii_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, &t[s..i]));
        }
    }
    if let Some(s) = start {
        out.push((s, &t[s..]));
    }
    out
}

/// A token that is shaped like a procedure code (five digits, four digits and T, a letter and
/// four digits).
pub(crate) fn code_token(tok: &str) -> Option<Hcpcs> {
    if tok.len() != 5 {
        return None;
    }
    let b = tok.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shaped = digits(0..5)
        || (digits(0..4) && matches!(b[4], b't' | b'T' | b'f' | b'F'))
        || (b[0].is_ascii_alphabetic() && digits(1..5));
    if !shaped {
        return None;
    }
    Hcpcs::parse(tok).ok()
}

/// Whether `text` mentions `code` (alone, as `+code`, or inside a range).
pub(crate) fn mentions(text: &str, code: Hcpcs) -> bool {
    CodeMentions::of(text).contains(code)
}

/// Number of sentences in plain text: ends of sentence are `.`, `?` or `!` followed by a space
/// or the end, except after "e.g." and "i.e.".
pub(crate) fn sentence_count(text: &str) -> usize {
    let b = text.as_bytes();
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if matches!(c, b'.' | b'?' | b'!') && (i + 1 == b.len() || b[i + 1] == b' ') {
            let before = &text[..=i];
            if before.ends_with("e.g.") || before.ends_with("i.e.") || before.ends_with(" vs.") {
                continue;
            }
            n += 1;
        }
    }
    if n == 0 && !text.trim().is_empty() { 1 } else { n }
}

/// The first `n` sentences of a text (whitespace collapsed).
pub(crate) fn first_sentences(text: &str, n: usize) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let b = t.as_bytes();
    let mut seen = 0;
    for (i, &c) in b.iter().enumerate() {
        if matches!(c, b'.' | b'?' | b'!') && (i + 1 == b.len() || b[i + 1] == b' ') {
            let before = &t[..=i];
            if before.ends_with("e.g.") || before.ends_with("i.e.") || before.ends_with(" vs.") {
                continue;
            }
            seen += 1;
            if seen == n {
                return t[..=i].to_string();
            }
        }
    }
    t
}

/// Ends a clause as a sentence.
pub(crate) fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '?', '!']) { s.to_string() } else { format!("{s}.") }
}

/// Lower-cases the first letter (for quoting a label inside a sentence).
pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.clone().next().is_some_and(char::is_lowercase) => f.to_lowercase().chain(c).collect(),
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
}

/// The indefinite article for a word or acronym: "an ALIF", "a TLIF", "an XLIF".
pub(crate) fn article(word: &str) -> &'static str {
    let first_word = word.split_whitespace().next().unwrap_or("");
    let Some(first) = first_word.chars().next() else { return "a" };
    let acronym = first_word.len() > 1 && first_word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let vowel_sound = if acronym { "AEFHILMNORSX".contains(first) } else { "aeiouAEIOU".contains(first) };
    if vowel_sound { "an" } else { "a" }
}

/// Upper-cases the first letter.
pub(crate) fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// "a", "a and b", "a, b and c".
pub(crate) fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            format!("{} and {}", init.iter().map(|s| s.as_ref()).collect::<Vec<_>>().join(", "), last.as_ref())
        }
    }
}

/// "a or b", "a, b or c".
pub(crate) fn list_or<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            format!("{} or {}", init.iter().map(|s| s.as_ref()).collect::<Vec<_>>().join(", "), last.as_ref())
        }
    }
}

/// Dollars with a thousands separator and cents: `$2,763.68`.
pub(crate) fn money(d: Decimal) -> String {
    let d = interspace_pricing::cents(d);
    let s = format!("{:.2}", d.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}${grouped}.{frac}", if d.is_sign_negative() && !d.is_zero() { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_meet() {
        assert_eq!(stem("billed"), stem("bill"));
        assert_eq!(stem("cages"), stem("cage"));
        assert_eq!(stem("coded"), stem("code"));
        assert_eq!(stem("units"), stem("unit"));
        assert_eq!(stem("coverage"), stem("cover"));
        assert_eq!(stem("page"), "pag");
    }

    #[test]
    fn code_mentions_with_ranges() {
        let m = CodeMentions::of("Graft codes 20930–20938, instrumentation 22840/22848 or +61783");
        assert!(m.contains("20936".parse().unwrap()));
        assert!(m.contains("22848".parse().unwrap()));
        assert!(m.contains("61783".parse().unwrap()));
        assert!(!m.contains("20939".parse().unwrap()));
    }

    #[test]
    fn phrases_are_whole_words() {
        assert!(has_phrase("price in kansas city", "kansas"));
        assert!(!has_phrase("price in arkansas", "kansas"));
    }

    #[test]
    fn sentences_and_money() {
        assert_eq!(sentence_count("No. 22586 includes it, e.g. screws. Yes!"), 3);
        assert_eq!(money("2763.675".parse().unwrap()), "$2,763.68");
        assert_eq!(money("12.5".parse().unwrap()), "$12.50");
        assert_eq!(first_sentences("One. Two. Three.", 2), "One. Two.");
    }
}
