//! The edits, one file per catalogue id. Each file's doc comment says what it implements and
//! cites the source; its tests make it fire and not fire.

mod aoc001;
mod aoc002;
mod dx001;
mod dx002;
mod dx003;
mod dx004;
mod dx005;
mod glb001;
mod glb002;
mod glb003;
mod global;
mod lcd001;
mod mod001;
mod mod002;
mod mod003;
mod mod004;
mod mod005;
mod mod006;
mod mod007;
mod mod008;
mod mue001;
mod mue002;
mod ptp;
mod ptp001;
mod ptp002;
mod ptp003;
mod spn001;
mod spn002;
mod spn003;
mod spn004;
mod spn005;
mod spn006;
mod spn007;
mod spn008;
mod spn009;
mod spn010;
mod spn011;
mod spn012;
mod spn013;
mod spn014;
#[cfg(test)]
mod test_support;

use crate::{Check, Finding};

/// One edit: its catalogue id and the check that finds it.
pub struct Edit {
    pub id: &'static str,
    pub run: fn(&Check<'_>) -> Vec<Finding>,
}

/// Every edit, in catalogue order.
pub static EDITS: &[Edit] = &[
    Edit { id: "PTP001", run: ptp001::run },
    Edit { id: "PTP002", run: ptp002::run },
    Edit { id: "PTP003", run: ptp003::run },
    Edit { id: "MUE001", run: mue001::run },
    Edit { id: "MUE002", run: mue002::run },
    Edit { id: "AOC001", run: aoc001::run },
    Edit { id: "AOC002", run: aoc002::run },
    Edit { id: "GLB001", run: glb001::run },
    Edit { id: "GLB002", run: glb002::run },
    Edit { id: "GLB003", run: glb003::run },
    Edit { id: "MOD001", run: mod001::run },
    Edit { id: "MOD002", run: mod002::run },
    Edit { id: "MOD003", run: mod003::run },
    Edit { id: "MOD004", run: mod004::run },
    Edit { id: "MOD005", run: mod005::run },
    Edit { id: "MOD006", run: mod006::run },
    Edit { id: "MOD007", run: mod007::run },
    Edit { id: "MOD008", run: mod008::run },
    Edit { id: "SPN001", run: spn001::run },
    Edit { id: "SPN002", run: spn002::run },
    Edit { id: "SPN003", run: spn003::run },
    Edit { id: "SPN004", run: spn004::run },
    Edit { id: "SPN005", run: spn005::run },
    Edit { id: "SPN006", run: spn006::run },
    Edit { id: "SPN007", run: spn007::run },
    Edit { id: "SPN008", run: spn008::run },
    Edit { id: "SPN009", run: spn009::run },
    Edit { id: "SPN010", run: spn010::run },
    Edit { id: "SPN011", run: spn011::run },
    Edit { id: "SPN012", run: spn012::run },
    Edit { id: "SPN013", run: spn013::run },
    Edit { id: "SPN014", run: spn014::run },
    Edit { id: "DX001", run: dx001::run },
    Edit { id: "DX002", run: dx002::run },
    Edit { id: "DX003", run: dx003::run },
    Edit { id: "DX004", run: dx004::run },
    Edit { id: "DX005", run: dx005::run },
    Edit { id: "LCD001", run: lcd001::run },
];

/// A finding about some lines that changes nothing in payment.
fn note(lines: Vec<usize>, subject: impl Into<String>, message: String) -> Finding {
    Finding { lines, subject: subject.into(), message, cites: Vec::new(), effect: crate::Effect::None }
}

/// A finding that denies one line.
fn deny(line: usize, others: &[usize], subject: impl Into<String>, message: String) -> Finding {
    let mut lines = vec![line];
    lines.extend(others.iter().filter(|o| **o != line));
    Finding { lines, subject: subject.into(), message, cites: Vec::new(), effect: crate::Effect::DenyLine { line } }
}
