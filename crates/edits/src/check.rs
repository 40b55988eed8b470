//! What every edit reads: the claim, the year's CMS data and the knowledge base, with the few
//! questions edits ask of them.

use interspace_claim::{Claim, ClaimLine};
use interspace_knowledge::{CodeEntry, Knowledge};
use interspace_refdata::{CmCode, Dataset, Hcpcs, RvuRow};

/// The inputs of one claim's edits.
pub struct Check<'a> {
    pub claim: &'a Claim,
    pub data: &'a Dataset,
    pub knowledge: &'a Knowledge,
}

impl<'a> Check<'a> {
    pub fn new(claim: &'a Claim, data: &'a Dataset, knowledge: &'a Knowledge) -> Check<'a> {
        Check { claim, data, knowledge }
    }

    /// The claim's lines with their 0-based indexes.
    pub fn lines(&self) -> impl Iterator<Item = (usize, &'a ClaimLine)> + 'a {
        self.claim.lines.iter().enumerate()
    }

    /// The fee-schedule row of a code (the global service row).
    pub fn rvu(&self, code: Hcpcs) -> Option<&'a RvuRow> {
        self.data.pfs.get(code)
    }

    pub fn page(&self, code: Hcpcs) -> Option<&'a CodeEntry> {
        self.knowledge.code(code)
    }

    /// Whether any line's code satisfies `pred`.
    pub fn any(&self, pred: impl Fn(&str) -> bool) -> bool {
        self.claim.lines.iter().any(|l| pred(l.code.as_str()))
    }

    /// Lines whose code satisfies `pred`.
    pub fn lines_where(&self, pred: impl Fn(&str) -> bool) -> impl Iterator<Item = (usize, &'a ClaimLine)> {
        self.lines().filter(move |(_, l)| pred(l.code.as_str()))
    }

    /// The diagnoses a line points to, as ICD-10-CM entries when the code set knows them.
    pub fn diagnoses_of(&self, line: &ClaimLine) -> Vec<(&'a str, Option<&'a CmCode>)> {
        line.diagnosis_pointers
            .iter()
            .filter_map(|p| self.claim.diagnoses.get(usize::from(*p).checked_sub(1)?))
            .map(|d| (d.as_str(), self.data.icd10cm.get(d)))
            .collect()
    }
}

/// Whether `code` lies in the inclusive range `lo..=hi` of codes of the same shape
/// (five digits, or four digits and a letter).
pub(crate) fn in_range(code: &str, lo: &str, hi: &str) -> bool {
    code.len() == lo.len() && shape(code) == shape(lo) && code >= lo && code <= hi
}

fn shape(code: &str) -> (bool, bool) {
    let b = code.as_bytes();
    (b.first().is_some_and(u8::is_ascii_digit), b.last().is_some_and(u8::is_ascii_digit))
}

/// Whether `code` lies in any of the ranges.
pub(crate) fn in_ranges(code: &str, ranges: &[(&str, &str)]) -> bool {
    ranges.iter().any(|(lo, hi)| in_range(code, lo, hi))
}

/// Modifiers NCCI accepts to bypass a PTP edit with modifier indicator 1 (NCCI policy manual,
/// ch. I §E; CR8863 for the X modifiers).
pub(crate) const PTP_BYPASS: &[&str] = &[
    "59", "XE", "XS", "XP", "XU", "E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9",
    "TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "LT", "RT", "LC", "LD", "LM", "RC", "RI", "24", "25",
    "57", "58", "78", "79", "27", "91",
];

/// Evaluation and management visits.
pub(crate) fn is_evaluation(code: &str) -> bool {
    in_range(code, "99202", "99499")
}

/// Surgical procedures (the CPT surgery section).
pub(crate) fn is_procedure(code: &str) -> bool {
    in_range(code, "10021", "69990")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_compare_codes_of_one_shape() {
        assert!(in_range("22612", "22600", "22614"));
        assert!(!in_range("0163T", "00000", "99999"));
        assert!(!in_range("G0453", "10021", "69990"));
        assert!(in_range("0163T", "0100T", "0200T"));
    }
}
