//! Reading level of patient-facing text: the Flesch–Kincaid grade, with the usual vowel-group
//! syllable estimate. Good to about a grade level, which is what a reading-level target needs.

/// Flesch–Kincaid grade level of `text` (US school grade). Each string of `texts` is at least one
/// sentence; `.`, `!`, `?` and `:` end sentences inside it.
pub fn flesch_kincaid_grade<'a>(texts: impl IntoIterator<Item = &'a str>) -> f64 {
    let (mut sentences, mut words, mut syllables) = (0u32, 0u32, 0u32);
    for t in texts {
        let ends = t.trim_end().trim_end_matches(['.', '!', '?', ':']).matches(['.', '!', '?', ':']).count();
        sentences += 1 + u32::try_from(ends).unwrap_or(u32::MAX);
        for w in t.split(|c: char| c.is_whitespace() || c == '-' || c == '/') {
            let w: String = w.chars().filter(char::is_ascii_alphabetic).collect();
            if w.is_empty() {
                continue;
            }
            words += 1;
            syllables += syllables_in(&w.to_ascii_lowercase());
        }
    }
    if words == 0 {
        return 0.0;
    }
    0.39 * f64::from(words) / f64::from(sentences) + 11.8 * f64::from(syllables) / f64::from(words) - 15.59
}

/// Vowel groups, less a silent final `e`, at least one.
fn syllables_in(w: &str) -> u32 {
    let b = w.as_bytes();
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    let mut n = 0u32;
    let mut prev = false;
    for &c in b {
        let v = vowel(c);
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    if w.len() > 2 && w.ends_with('e') && !w.ends_with("le") && n > 1 {
        n -= 1;
    }
    n.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_syllables() {
        assert_eq!(syllables_in("spine"), 1);
        assert_eq!(syllables_in("surgery"), 3);
        assert_eq!(syllables_in("table"), 2);
        assert_eq!(syllables_in("a"), 1);
    }

    #[test]
    fn grades_simple_and_hard_text_apart() {
        let easy = flesch_kincaid_grade(["You will go home in a day or two.", "Walk a bit each day."]);
        let hard = flesch_kincaid_grade([
            "Circumferential arthrodesis necessitates meticulous intraoperative neurophysiological monitoring of descending corticospinal pathways.",
        ]);
        assert!(easy < 3.0, "{easy}");
        assert!(hard > 16.0, "{hard}");
    }
}
