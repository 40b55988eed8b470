//! What a question names: codes (with modifiers and units written on them), modifiers, levels,
//! a year, locality ids, and the words that tell its shape.

use interspace_notes::{LevelMention, Region, scan_levels};
use interspace_refdata::Hcpcs;

use crate::text::{alnum_runs, code_token, content_tokens, has_any, has_phrase, normalize, words};

/// A code named in the question, with what was written on it (`22558-62`, `63047x2`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CodeRef {
    pub code: Hcpcs,
    pub modifiers: Vec<String>,
    pub units: u32,
}

/// A parsed question.
#[derive(Clone, Debug)]
pub(crate) struct Question {
    /// As asked, trimmed.
    pub raw: String,
    /// Lower case, plain dashes, collapsed whitespace.
    pub norm: String,
    /// Stemmed content words.
    pub content: Vec<String>,
    /// Codes in order of appearance, each once.
    pub codes: Vec<CodeRef>,
    /// Modifiers named explicitly, upper case, each once.
    pub modifiers: Vec<String>,
    pub year: Option<i16>,
    pub levels: Vec<LevelMention>,
    /// `MAC-LOC` locality ids written in the question.
    pub locality_ids: Vec<String>,
}

/// Letter modifiers recognised anywhere (case-insensitive); `AS` only in capitals, since "as" is
/// an English word.
const LETTER_MODIFIERS: &[&str] = &["xe", "xs", "xp", "xu", "tc", "rt", "lt"];

/// Words that make a bare two-digit number a modifier ("is 50 allowed on 63030").
const MODIFIER_CUES: &[&str] = &[
    "modifier",
    "modifiers",
    "mod",
    "allowed",
    "appropriate",
    "append",
    "appended",
    "payable",
    "needed",
    "required",
    "require",
    "requires",
];

impl Question {
    /// Parses a question. `modifier_codes` are the modifiers of the knowledge base;
    /// `is_locality` tells a `MAC-LOC` id from a code with a modifier.
    pub(crate) fn parse(raw: &str, modifier_codes: &[String], is_locality: &dyn Fn(&str) -> bool) -> Question {
        let raw = raw.trim().to_string();
        let norm = normalize(&raw);
        let runs = alnum_runs(&norm);
        let mut codes: Vec<CodeRef> = Vec::new();
        let mut modifiers: Vec<String> = Vec::new();
        let mut locality_ids = Vec::new();
        let mut year = None;
        let is_modifier = |t: &str| modifier_codes.iter().any(|m| m.eq_ignore_ascii_case(t));
        // A letter modifier written anywhere makes bare numbers modifiers too ("59 or XS").
        let letters = runs.iter().any(|(_, t)| LETTER_MODIFIERS.contains(t) && is_modifier(t));
        let cue = letters || MODIFIER_CUES.iter().any(|c| has_phrase(&norm, c));
        let push_mod = |mods: &mut Vec<String>, m: &str| {
            let m = m.to_ascii_uppercase();
            if !mods.contains(&m) {
                mods.push(m);
            }
        };
        let mut i = 0;
        while i < runs.len() {
            let (start, tok) = runs[i];
            let end = start + tok.len();
            let next = runs.get(i + 1).copied();
            let joined_by_dash = next.is_some_and(|(s, _)| &norm[end..s] == "-");
            // `63047x2`: a code with units.
            let (tok_code, units) = match tok.split_once('x') {
                Some((c, u)) if c.len() == 5 && !u.is_empty() && u.bytes().all(|b| b.is_ascii_digit()) => {
                    (c, u.parse().unwrap_or(1))
                }
                _ => (tok, 1),
            };
            if let Some(code) = code_token(tok_code) {
                // `10112-00` is a locality, `22558-62` a code with a modifier.
                if joined_by_dash
                    && let Some((_, n)) = next
                    && n.len() == 2
                    && is_locality(&format!("{tok}-{n}"))
                {
                    locality_ids.push(format!("{tok}-{n}"));
                    i += 2;
                    continue;
                }
                let mut cref = CodeRef { code, modifiers: Vec::new(), units };
                let mut j = i + 1;
                while let Some(&(s, m)) = runs.get(j) {
                    let prev_end = runs[j - 1].0 + runs[j - 1].1.len();
                    if &norm[prev_end..s] == "-" && m.len() == 2 && is_modifier(m) {
                        let m = m.to_ascii_uppercase();
                        push_mod(&mut modifiers, &m);
                        cref.modifiers.push(m);
                        j += 1;
                    } else {
                        break;
                    }
                }
                match codes.iter_mut().find(|c| c.code == code) {
                    Some(c) => c.modifiers.extend(cref.modifiers),
                    None => codes.push(cref),
                }
                i = j;
                continue;
            }
            if tok.len() == 4
                && tok.bytes().all(|b| b.is_ascii_digit())
                && let Ok(y) = tok.parse::<i16>()
                && (2000..=2099).contains(&y)
            {
                year = Some(y);
            }
            if LETTER_MODIFIERS.contains(&tok) && is_modifier(tok) {
                push_mod(&mut modifiers, tok);
            }
            if tok.len() == 2 && tok.bytes().all(|b| b.is_ascii_digit()) && is_modifier(tok) && cue {
                // Not a level written as "4-5" or "5-1".
                let prev_dash = i > 0 && &norm[runs[i - 1].0 + runs[i - 1].1.len()..start] == "-";
                if !prev_dash && !joined_by_dash {
                    push_mod(&mut modifiers, tok);
                }
            }
            i += 1;
        }
        // "AS" in capitals in the original text.
        if words(&raw).any(|w| w == "AS") && is_modifier("AS") {
            push_mod(&mut modifiers, "AS");
        }
        let hint = if has_phrase(&norm, "lumbar") {
            Some(Region::Lumbar)
        } else if has_phrase(&norm, "cervical") {
            Some(Region::Cervical)
        } else if has_phrase(&norm, "thoracic") {
            Some(Region::Thoracic)
        } else {
            None
        };
        let levels = scan_levels(norm.as_bytes(), hint);
        Question { content: content_tokens(&norm), raw, norm, codes, modifiers, year, levels, locality_ids }
    }

    pub(crate) fn has(&self, phrase: &str) -> bool {
        has_phrase(&self.norm, phrase)
    }

    pub(crate) fn has_any(&self, phrases: &[&str]) -> bool {
        has_any(&self.norm, phrases)
    }

    pub(crate) fn code_list(&self) -> Vec<Hcpcs> {
        self.codes.iter().map(|c| c.code).collect()
    }

    /// Asks for money.
    pub(crate) fn wants_price(&self) -> bool {
        self.has_any(&[
            "rate",
            "rates",
            "price",
            "priced",
            "pricing",
            "pay",
            "pays",
            "paid",
            "payment",
            "reimburse",
            "reimbursement",
            "reimburses",
            "fee",
            "fees",
            "how much",
            "allowed amount",
            "allowable",
            "dollar",
            "dollars",
            "worth",
            "cost",
        ]) || self.norm.contains('$')
    }

    /// Asks for the facility side (ASC or hospital outpatient) rather than the physician fee.
    pub(crate) fn facility_rate(&self) -> Option<FacilityKind> {
        if self.has_any(&[
            "asc",
            "ambulatory surgery center",
            "ambulatory surgical center",
            "surgery center",
            "addendum aa",
        ]) {
            Some(FacilityKind::Asc)
        } else if self.has_any(&[
            "opps",
            "hopd",
            "apc",
            "hospital outpatient",
            "outpatient hospital",
            "outpatient department",
            "addendum b",
            "facility fee",
        ]) {
            Some(FacilityKind::Opps)
        } else {
            None
        }
    }

    /// Explicitly compares ("difference", "vs", "compare").
    pub(crate) fn wants_compare(&self) -> bool {
        self.has_any(&[
            "difference",
            "differences",
            "differ",
            "different",
            "vs",
            "versus",
            "compare",
            "compared",
            "comparison",
        ])
    }

    /// Two codes offered as alternatives: "22551 or 22554".
    pub(crate) fn codes_as_alternatives(&self) -> bool {
        if self.codes.len() != 2 {
            return false;
        }
        let a = self.codes[0].code.as_str().to_ascii_lowercase();
        let b = self.codes[1].code.as_str().to_ascii_lowercase();
        match (self.norm.find(&a), self.norm.find(&b)) {
            (Some(i), Some(j)) if i < j => {
                let between = &self.norm[i + a.len()..j];
                has_phrase(between, "or")
            }
            _ => false,
        }
    }

    /// Asks which code describes a procedure, or how to bill it.
    pub(crate) fn wants_code(&self) -> bool {
        self.has_any(&[
            "code",
            "codes",
            "coded",
            "coding",
            "cpt",
            "bill",
            "billed",
            "billing",
            "report",
            "reported",
            "how do",
            "how is",
            "how are",
            "how should",
            "how would",
        ])
    }

    /// A yes-or-no question about paying or bundling ("is navigation payable with…", "can the
    /// microscope be billed with…").
    pub(crate) fn asks_yes_no_billing(&self) -> bool {
        let n = self.norm.as_str();
        ["is ", "are ", "can ", "does ", "do ", "should ", "will "].iter().any(|p| n.starts_with(p))
            && self.has_any(&[
                "payable",
                "paid",
                "pay",
                "billed",
                "bill",
                "billable",
                "reported",
                "included",
                "bundled",
                "separately",
                "allowed",
                "covered",
                "cover",
                "added",
            ])
            && !self.has_any(&["code", "coded", "how"])
    }

    /// Asks what something is rather than how to code it.
    pub(crate) fn wants_definition(&self) -> bool {
        let n = self.norm.as_str();
        let opener = [
            "what is ",
            "what's ",
            "whats ",
            "what are ",
            "define ",
            "definition",
            "meaning of",
            "explain ",
            "tell me about",
            "describe ",
        ]
        .iter()
        .any(|p| n.starts_with(p))
            || (n.starts_with("what does") && self.has("mean"));
        opener && !self.wants_code() && !self.wants_price()
    }
}

/// The facility side of a payment question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FacilityKind {
    Asc,
    Opps,
}

/// Words of coding and billing that say nothing about the topic of a question: a question made
/// only of these and unknown words is outside the knowledge base.
pub(crate) const GENERIC_WORDS: &[&str] = &[
    "code",
    "codes",
    "coded",
    "coding",
    "cpt",
    "hcpcs",
    "icd",
    "10",
    "cm",
    "bill",
    "billed",
    "billing",
    "report",
    "reported",
    "claim",
    "claims",
    "medicare",
    "payer",
    "pay",
    "pays",
    "paid",
    "payable",
    "allowed",
    "rate",
    "price",
    "modifier",
    "correct",
    "right",
    "use",
    "used",
    "procedure",
    "procedures",
    "surgery",
    "surgeon",
    "patient",
    "number",
    "need",
    "needs",
    "mean",
    "means",
    "explain",
    "question",
    "answer",
    "give",
    "find",
    "look",
    "up",
    "today",
    "tomorrow",
    "now",
    "is",
    "best",
    "good",
    "new",
    "old",
    "way",
    "work",
    "works",
    "something",
    "happen",
    "happens",
    "happened",
    "separately",
    "together",
    "same",
    "time",
    "times",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Question {
        let mods: Vec<String> =
            ["22", "50", "51", "59", "62", "80", "82", "XS", "XU", "AS"].iter().map(|s| s.to_string()).collect();
        Question::parse(s, &mods, &|l| l == "10112-00")
    }

    #[test]
    fn codes_modifiers_units_localities() {
        let x = q("Price 22558-62 and 63047x2 in 10112-00 for 2025");
        assert_eq!(x.codes.len(), 2);
        assert_eq!(x.codes[0].modifiers, vec!["62".to_string()]);
        assert_eq!(x.codes[1].units, 2);
        assert_eq!(x.locality_ids, vec!["10112-00".to_string()]);
        assert_eq!(x.year, Some(2025));
    }

    #[test]
    fn bare_numbers_are_modifiers_only_with_a_cue() {
        assert_eq!(q("is 50 allowed on 63030").modifiers, vec!["50".to_string()]);
        assert!(q("fusion at the 4-5 level and 62 years old").modifiers.is_empty());
        assert_eq!(q("Can the PA bill with AS?").modifiers, vec!["AS".to_string()]);
        assert!(q("as a rule").modifiers.is_empty());
    }

    #[test]
    fn alternatives() {
        assert!(q("Is it 22551 or 22554?").codes_as_alternatives());
        assert!(!q("22551 and 22554").codes_as_alternatives());
    }
}
