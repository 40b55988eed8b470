//! The PTP pairs of a claim: every two lines of one date of service whose codes form an NCCI
//! procedure-to-procedure edit active on that date.

use interspace_refdata::PtpEdit;

use crate::Check;

/// A column-one line, a column-two line and the edit between them.
pub(super) struct Pair<'a> {
    pub column1: usize,
    pub column2: usize,
    pub edit: &'a PtpEdit,
}

pub(super) fn pairs<'a>(c: &Check<'a>) -> Vec<Pair<'a>> {
    let mut out = Vec::new();
    for (i, a) in c.lines() {
        for (j, b) in c.lines() {
            if i == j || a.code == b.code || a.date_of_service != b.date_of_service {
                continue;
            }
            if let Some(edit) = c.data.ptp.edit_on(a.code, b.code, a.date_of_service) {
                out.push(Pair { column1: i, column2: j, edit });
            }
        }
    }
    out
}

/// The citation of a PTP row.
pub(super) fn cite(e: &PtpEdit) -> String {
    format!("ncci_ptp.csv line {}: {} / {} ({})", e.line, e.column1, e.column2, e.rationale)
}
