//! DX001: no diagnosis a spine procedure line points to matches the region operated on (a lumbar
//! fusion supported only by a cervical diagnosis). Regions are read from the ICD-10-CM titles of
//! the dorsopathy and spine-injury blocks; a diagnosis naming no region never causes this edit.

use interspace_knowledge::Region;

use super::note;
use crate::{Check, Finding};

const C: u8 = 1;
const T: u8 = 2;
const L: u8 = 4;
const S: u8 = 8;

/// The diagnosis regions that fit a procedure region.
fn accepted(r: Region) -> Option<u8> {
    Some(match r {
        Region::Craniocervical | Region::Cervical => C,
        Region::Cervicothoracic => C | T,
        Region::Thoracic => T,
        Region::Thoracolumbar => T | L,
        Region::Lumbar => L,
        Region::Lumbosacral | Region::LumbosacralJunction => L | S,
        Region::Sacral | Region::Sacroiliac => S | L,
        Region::Any | Region::NotSpinal => return None,
    })
}

/// Spine blocks whose titles name regions reliably.
fn spinal(code: &str) -> bool {
    ["M4", "M5", "M96", "M99", "S12", "S13", "S14", "S22", "S23", "S24", "S32", "S33", "S34"]
        .iter()
        .any(|p| code.starts_with(p))
}

/// Regions named by a title; 0 when it names none or says "multiple sites".
pub(super) fn regions(title: &str) -> u8 {
    let t = title.to_ascii_lowercase();
    if t.contains("multiple sites") || t.contains("site unspecified") {
        return 0;
    }
    let mut m = 0;
    for (word, bits) in [
        ("occipito-atlanto-axial", C),
        ("cervicothoracic", C | T),
        ("cervical", C),
        ("thoracolumbar", T | L),
        ("thoracic", T),
        ("lumbosacral", L | S),
        ("lumbar", L),
        ("sacr", S),
    ] {
        if t.contains(word) {
            m |= bits;
        }
    }
    m
}

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, l) in c.lines() {
        let Some(want) = c.page(l.code).and_then(|p| accepted(p.region)) else { continue };
        let dx = c.diagnoses_of(l);
        if dx.is_empty() {
            continue;
        }
        let named: Vec<(&str, u8)> =
            dx.iter().map(|(d, cm)| (*d, cm.filter(|_| spinal(d)).map_or(0, |cm| regions(&cm.title)))).collect();
        if named.iter().all(|(_, m)| *m != 0 && m & want == 0) {
            let list: Vec<&str> = named.iter().map(|(d, _)| *d).collect();
            out.push(note(
                vec![i],
                l.code.to_string(),
                format!(
                    "{} operates on the {} spine but its diagnoses ({}) name another region",
                    l.code,
                    c.page(l.code).map_or("", |p| p.region.label()),
                    list.join(", ")
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::{regions, run};

    #[test]
    fn reads_regions_from_titles() {
        assert_eq!(regions("Spondylolisthesis, lumbosacral region"), 4 | 8);
        assert_eq!(regions("Other cervical disc displacement, C5-C6 level"), 1);
        assert_eq!(regions("Spinal stenosis, site unspecified"), 0);
    }

    #[test]
    fn fires_when_every_diagnosis_names_another_region() {
        assert_eq!(subjects(&on(run, &["22633"], &["M50.122"])), ["22633"]);
        assert!(on(run, &["22633"], &["M50.122", "M43.16"]).is_empty());
        assert!(on(run, &["22633"], &["M50.122", "G83.4"]).is_empty());
        assert!(on(run, &["22551"], &["M50.122"]).is_empty());
    }
}
