//! Arthrodesis: which primary code and add-ons each fused interspace takes.

use std::collections::BTreeSet;

use interspace_notes::findings::{Findings, FusionKind, InterbodyApproach};
use interspace_notes::{Interspace, Region, Span, Vertebra};

use super::{Rule, anterior_interbody, is_lumbar, list};
use crate::Confidence;

fn evidence(f: &Findings, is: &[Interspace], kind: impl Fn(FusionKind) -> bool) -> Vec<Span> {
    f.fusions
        .iter()
        .filter(|x| is.contains(&x.interspace) && kind(x.kind))
        .flat_map(|x| x.evidence.iter().copied())
        .collect()
}

fn craniocervical(i: Interspace) -> bool {
    i.upper().index() <= 1
}

/// Interbody fusions whose approach the note leaves open count as posterior when the note also
/// fuses posterolaterally, anterior otherwise.
fn posterior_kind(f: &Findings, k: FusionKind) -> bool {
    match k {
        FusionKind::Posterolateral => true,
        FusionKind::Interbody(a) if a.is_posterior() => true,
        FusionKind::Interbody(InterbodyApproach::Unknown) => {
            f.fusions.iter().any(|x| x.kind == FusionKind::Posterolateral)
        }
        _ => false,
    }
}

/// Whether the operation is an arthrodesis for deformity: a deformity diagnosis or correction
/// and a posterior fusion over at least five vertebral segments.
pub(crate) fn deformity_span(f: &Findings) -> Option<(Vertebra, Vertebra)> {
    f.deformity.as_ref()?;
    let posterior: Vec<Interspace> = f
        .fusions
        .iter()
        .filter(|x| x.kind == FusionKind::Posterolateral && !craniocervical(x.interspace))
        .map(|x| x.interspace)
        .collect();
    let top = posterior.iter().min()?.upper();
    let bottom = posterior.iter().max()?.lower();
    (bottom.index() - top.index() + 1 >= 5).then_some((top, bottom))
}

/// ARTH006 — Posterior craniocervical arthrodesis: 22590 from the occiput to C2, 22595 for C1–C2.
///
/// ## Guideline
/// Occipitocervical fusion (occiput to C2) is 22590; atlantoaxial fusion (C1–C2) is 22595. Levels
/// below C2 fused in the same session are coded as a posterior cervical fusion (22600, +22614).
pub(crate) const CRANIOCERVICAL: Rule = Rule {
    id: "ARTH006",
    name: "craniocervical-arthrodesis",
    guideline: "Posterior occiput–C2 fusion is 22590 and C1–C2 fusion is 22595; interspaces below C2 follow the posterior cervical rule",
    sources: &["S63c", "U-DESC"],
    apply: |input, out| {
        let f = input.findings;
        let cc: Vec<Interspace> = f
            .fusions
            .iter()
            .filter(|x| craniocervical(x.interspace) && posterior_kind(f, x.kind))
            .map(|x| x.interspace)
            .collect();
        if cc.is_empty() {
            return;
        }
        let occiput = cc.iter().any(|i| i.upper() == Vertebra::OCCIPUT)
            || f.constructs.iter().any(|c| c.from == Vertebra::OCCIPUT);
        let e = evidence(f, &cc, |_| true);
        if occiput {
            out.line("22590", 1, "ARTH006", "posterior fusion from the occiput to C2", &e, Confidence::High);
        } else {
            out.line("22595", 1, "ARTH006", "posterior C1-C2 fusion", &e, Confidence::High);
        }
    },
};

/// ARTH007 — Posterior arthrodesis for deformity: 22800 (up to 6 segments), 22802 (7–12), 22804
/// (13 or more), counted in vertebral segments.
///
/// ## Guideline
/// 22800–22804 are reported instead of 22600–22614 when the fusion is done to correct a
/// deformity (scoliosis, kyphosis). Segments are counted as vertebrae, ends included (the CPT
/// definition; compendium dispute D7 is noted as unverified).
pub(crate) const DEFORMITY: Rule = Rule {
    id: "ARTH007",
    name: "deformity-arthrodesis",
    guideline: "A posterior fusion done to correct scoliosis or kyphosis is coded by segments fused: 22800 (≤6), 22802 (7–12), 22804 (13+)",
    sources: &["S16", "S52b", "S1"],
    apply: |input, out| {
        let f = input.findings;
        let Some((top, bottom)) = deformity_span(f) else { return };
        let n = bottom.index() - top.index().max(1) + 1;
        let code = match n {
            0..=6 => "22800",
            7..=12 => "22802",
            _ => "22804",
        };
        let mut e = f.deformity.clone().unwrap_or_default();
        e.extend(
            f.fusions
                .iter()
                .filter(|x| x.kind == FusionKind::Posterolateral)
                .flat_map(|x| x.evidence.iter().copied())
                .take(4),
        );
        out.line(
            code,
            1,
            "ARTH007",
            format!("posterior fusion for deformity {top} to {bottom}: {n} vertebral segments"),
            &e,
            Confidence::High,
        );
    },
};

/// ARTH005 — Presacral interbody fusion of L5–S1: 22586.
///
/// ## Guideline
/// 22586 is the presacral (paracoccygeal, AxiaLIF) interbody fusion at L5–S1 and includes
/// instrumentation, imaging guidance and graft (PRESACRAL_BUNDLE removes them). It describes L5–S1
/// only; a presacral L4–L5 level has no code of its own (0309T was deleted; CPT points to 22899).
pub(crate) const PRESACRAL: Rule = Rule {
    id: "ARTH005",
    name: "presacral-interbody-arthrodesis",
    guideline: "Presacral (AxiaLIF) interbody fusion at L5-S1 is 22586, which includes instrumentation, imaging guidance and graft",
    sources: &["S11", "S12"],
    apply: |input, out| {
        let f = input.findings;
        let pre: Vec<&interspace_notes::findings::Fusion> =
            f.fusions.iter().filter(|x| x.kind == FusionKind::Interbody(InterbodyApproach::Presacral)).collect();
        if pre.is_empty() {
            return;
        }
        let e: Vec<Span> = pre.iter().flat_map(|x| x.evidence.iter().copied()).collect();
        out.line("22586", 1, "ARTH005", "presacral interbody fusion at L5-S1", &e, Confidence::High);
        if pre.iter().any(|x| x.interspace.upper().to_string() != "L5") {
            out.note(
                "ARTH005",
                "a presacral fusion above L5-S1 has no CPT code of its own: consider the unlisted code 22899",
                &e,
            );
        }
    },
};

/// ARTH008 — Removes what 22586 already includes.
///
/// ## Guideline
/// CPT lists 20930–20938, 22840, 22848, 77002, 77003, 77011 and 77012 as not reported with
/// 22586; the interbody device (+22853) and navigation (+61783) are treated the same way, as image
/// guidance and fixation are part of the code (unverified for those two; the scrubber warns).
pub(crate) const PRESACRAL_BUNDLE: Rule = Rule {
    id: "ARTH008",
    name: "presacral-bundled-services",
    guideline: "22586 includes posterior instrumentation, image guidance and bone graft: they are not coded with it",
    sources: &["S11"],
    apply: |_, out| {
        if !out.has("22586") {
            return;
        }
        for code in ["20930", "20931", "20936", "20937", "20938", "22840", "22842", "22848", "22853", "61783"] {
            if out.has(code) {
                out.remove(code);
                out.note(
                    "ARTH008",
                    format!("{code} is not coded: 22586 includes instrumentation, imaging guidance and graft"),
                    &[],
                );
            }
        }
    },
};

/// ARTH001 — Posterior lumbar, thoracic and cervical arthrodesis by interspace.
///
/// ## Guideline
/// At each lumbar interspace: posterior interbody plus posterolateral fusion is 22633 (first) and
/// +22634 (each further such interspace), never 22612 + 22630; interbody only is 22630/+22632;
/// posterolateral only is 22612/+22614. One primary is reported for the session and every other
/// interspace takes its add-on (+22614 pairs with 22600, 22610, 22612, 22630 and 22633; +22632 with
/// 22612, 22630, 22633; +22634 only with 22633). Cervical and thoracic posterolateral fusions use
/// 22600 and 22610 as primary; the posterior family takes one primary, the highest-valued.
pub(crate) const POSTERIOR: Rule = Rule {
    id: "ARTH001",
    name: "posterior-arthrodesis-by-interspace",
    guideline: "Posterior fusions are coded per interspace: 22633/+22634 where posterolateral and posterior interbody fusion share an interspace, 22630/+22632 interbody only, 22612/22610/22600 + 22614 posterolateral only",
    sources: &["S4", "S5", "S3", "S14", "S36", "D-AOC"],
    apply: |input, out| {
        let f = input.findings;
        let deformity = deformity_span(f).is_some();
        let mut pl: BTreeSet<Interspace> = BTreeSet::new();
        let mut ib: BTreeSet<Interspace> = BTreeSet::new();
        for x in &f.fusions {
            if craniocervical(x.interspace) {
                continue;
            }
            match x.kind {
                FusionKind::Posterolateral if !deformity => {
                    pl.insert(x.interspace);
                }
                k if k != FusionKind::Posterolateral && posterior_kind(f, k) && is_lumbar(x.interspace) => {
                    ib.insert(x.interspace);
                }
                _ => {}
            }
        }
        let combined: Vec<Interspace> = ib.iter().filter(|i| pl.contains(i)).copied().collect();
        let interbody_only: Vec<Interspace> = ib.iter().filter(|i| !pl.contains(i)).copied().collect();
        let pl_only: Vec<Interspace> = pl.iter().filter(|i| !ib.contains(i)).copied().collect();
        // Each line quotes the fusions at its own interspaces: the primary's first, the add-on's the rest.
        let e_comb = |is: &[Interspace]| evidence(f, is, |_| true);
        let e_ib = |is: &[Interspace]| evidence(f, is, |k| k != FusionKind::Posterolateral);
        let e_pl = |is: &[Interspace]| evidence(f, is, |k| k == FusionKind::Posterolateral);
        let confidence = |is: &[Interspace]| {
            if f.fusions
                .iter()
                .filter(|x| is.contains(&x.interspace))
                .all(|x| x.kind != FusionKind::Interbody(InterbodyApproach::Unknown))
            {
                Confidence::High
            } else {
                Confidence::Medium
            }
        };
        let mut pl_primary_used = false;
        if let Some(first) = combined.first() {
            out.line(
                "22633",
                1,
                "ARTH001",
                format!("posterior interbody and posterolateral fusion at {first}"),
                &e_comb(&combined[..1]),
                confidence(&combined),
            );
            if combined.len() > 1 {
                out.line(
                    "22634",
                    combined.len() as u32 - 1,
                    "ARTH001",
                    format!("additional combined interspaces {}", list(&combined[1..])),
                    &e_comb(&combined[1..]),
                    confidence(&combined),
                );
            }
            if !interbody_only.is_empty() {
                out.line(
                    "22632",
                    interbody_only.len() as u32,
                    "ARTH001",
                    format!("additional posterior interbody interspaces {}", list(&interbody_only)),
                    &e_ib(&interbody_only),
                    confidence(&interbody_only),
                );
            }
        } else if let Some(first) = interbody_only.first() {
            out.line(
                "22630",
                1,
                "ARTH001",
                format!("posterior interbody fusion at {first}"),
                &e_ib(&interbody_only[..1]),
                confidence(&interbody_only),
            );
            if interbody_only.len() > 1 {
                out.line(
                    "22632",
                    interbody_only.len() as u32 - 1,
                    "ARTH001",
                    format!("additional posterior interbody interspaces {}", list(&interbody_only[1..])),
                    &e_ib(&interbody_only[1..]),
                    confidence(&interbody_only),
                );
            }
        } else if !pl_only.is_empty() {
            // One primary for the posterolateral family: the highest-valued region present.
            let candidates: Vec<(&str, Region)> =
                [("22612", Region::Lumbar), ("22600", Region::Cervical), ("22610", Region::Thoracic)]
                    .into_iter()
                    .filter(|(_, r)| pl_only.iter().any(|i| i.region() == *r))
                    .collect();
            let rvu = |c: &str| c.parse().ok().and_then(|h| input.data.pfs.get(h)).map(|r| r.work).unwrap_or_default();
            if let Some((code, region)) = candidates.into_iter().max_by_key(|(c, _)| rvu(c)) {
                let first = pl_only.iter().find(|i| i.region() == region).copied().unwrap_or(pl_only[0]);
                let rest: Vec<Interspace> = pl_only.iter().filter(|i| **i != first).copied().collect();
                out.line(
                    code,
                    1,
                    "ARTH001",
                    format!("posterolateral fusion at {first}"),
                    &e_pl(&[first]),
                    Confidence::High,
                );
                if !rest.is_empty() {
                    out.line(
                        "22614",
                        rest.len() as u32,
                        "ARTH001",
                        format!("additional posterolateral interspaces {}", list(&rest)),
                        &e_pl(&rest),
                        Confidence::High,
                    );
                }
                pl_primary_used = true;
            }
        }
        if !pl_primary_used && !pl_only.is_empty() {
            out.line(
                "22614",
                pl_only.len() as u32,
                "ARTH001",
                format!("posterolateral-only interspaces {}", list(&pl_only)),
                &e_pl(&pl_only),
                Confidence::High,
            );
        }
    },
};

/// ARTH009 — Lateral extracavitary arthrodesis: 22532 thoracic, 22533 lumbar, +22534 for each
/// further interspace, thoracic or lumbar.
///
/// ## Guideline
/// The anterior column reached from behind and to the side, outside the chest and abdomen, with a
/// limited discectomy to prepare each interspace: one primary by region (the higher-valued where
/// both are fused), every other interspace the add-on. XLIF, OLIF and ALIF are not this family.
pub(crate) const LATERAL_EXTRACAVITARY: Rule = Rule {
    id: "ARTH009",
    name: "lateral-extracavitary-arthrodesis",
    guideline: "A lateral extracavitary interbody fusion is 22532 (thoracic) or 22533 (lumbar) for the first interspace and +22534 for each further thoracic or lumbar one",
    sources: &["S13", "S8", "U-DESC", "D-AOC"],
    apply: |input, out| {
        let f = input.findings;
        let mut is: Vec<Interspace> = f
            .fusions
            .iter()
            .filter(|x| x.kind == FusionKind::Interbody(InterbodyApproach::LateralExtracavitary))
            .map(|x| x.interspace)
            .collect();
        is.sort();
        is.dedup();
        let code = |i: &Interspace| match i.region() {
            Region::Thoracic => Some("22532"),
            Region::Lumbar => Some("22533"),
            _ => None,
        };
        let (coded, other): (Vec<Interspace>, Vec<Interspace>) = is.iter().partition(|i| code(i).is_some());
        let e = |is: &[Interspace]| {
            evidence(f, is, |k| k == FusionKind::Interbody(InterbodyApproach::LateralExtracavitary))
        };
        if !other.is_empty() {
            out.note("ARTH009", format!("a lateral extracavitary fusion at {} is outside the thoracic and lumbar spine: 22532-22534 do not apply; review", list(&other)), &e(&other));
        }
        let rvu = |c: &str| c.parse().ok().and_then(|h| input.data.pfs.get(h)).map(|r| r.work).unwrap_or_default();
        let Some(&first) = coded
            .iter()
            .max_by(|a, b| rvu(code(a).unwrap_or_default()).cmp(&rvu(code(b).unwrap_or_default())).then(b.cmp(a)))
        else {
            return;
        };
        let primary = code(&first).unwrap_or_default();
        out.line(
            primary,
            1,
            "ARTH009",
            format!("lateral extracavitary interbody fusion at {first}"),
            &e(&[first]),
            Confidence::High,
        );
        let rest: Vec<Interspace> = coded.iter().copied().filter(|i| *i != first).collect();
        if !rest.is_empty() {
            out.line(
                "22534",
                rest.len() as u32,
                "ARTH009",
                format!("additional lateral extracavitary interspaces {}", list(&rest)),
                &e(&rest),
                Confidence::High,
            );
        }
    },
};

/// ARTH002 — Anterior interbody arthrodesis: ACDF 22551/+22552; anterior, lateral or oblique lumbar
/// 22558, thoracic 22556, cervical without decompression 22554, each additional +22585.
///
/// ## Guideline
/// 22551 combines anterior cervical discectomy, decompression and interbody fusion (+22552 per
/// additional interspace); 63075 and 22554 are not reported for the same interspace. Lateral
/// transpsoas (XLIF, LLIF, DLIF) and oblique (OLIF) fusions are anterior interbody fusions, 22558,
/// not 22533. Interspaces fused across a corpectomy defect are 22554/+22585, as the discectomy is
/// part of the corpectomy (unverified).
pub(crate) const ANTERIOR: Rule = Rule {
    id: "ARTH002",
    name: "anterior-interbody-arthrodesis",
    guideline: "Anterior interbody fusions: 22551/+22552 for ACDF; 22558 (lumbar, incl. XLIF/OLIF), 22556 (thoracic), 22554 (cervical without decompression) with +22585 per additional interspace",
    sources: &["S9", "S10", "S7", "S8", "S13"],
    apply: |input, out| {
        let f = input.findings;
        let mut anterior: Vec<Interspace> = anterior_interbody(f);
        // An interbody fusion of unknown approach in a note with no posterolateral fusion is anterior.
        if !f.fusions.iter().any(|x| x.kind == FusionKind::Posterolateral) {
            anterior.extend(
                f.fusions
                    .iter()
                    .filter(|x| x.kind == FusionKind::Interbody(InterbodyApproach::Unknown))
                    .map(|x| x.interspace),
            );
            anterior.sort();
            anterior.dedup();
        }
        anterior.retain(|i| !craniocervical(*i));
        if anterior.is_empty() {
            return;
        }
        let corpectomy: BTreeSet<Vertebra> = f.corpectomies.iter().flat_map(|c| c.vertebrae.iter().copied()).collect();
        let across_corpectomy = |i: &Interspace| corpectomy.contains(&i.upper()) || corpectomy.contains(&i.lower());
        let cervical: Vec<Interspace> = anterior.iter().filter(|i| i.region() == Region::Cervical).copied().collect();
        let acdf: Vec<Interspace> = cervical.iter().filter(|i| !across_corpectomy(i)).copied().collect();
        let cervical_fusion_only: Vec<Interspace> = cervical.iter().filter(|i| across_corpectomy(i)).copied().collect();
        let thoracolumbar: Vec<Interspace> =
            anterior.iter().filter(|i| i.region() != Region::Cervical).copied().collect();
        let e = |is: &[Interspace]| evidence(f, is, |k| matches!(k, FusionKind::Interbody(_)));
        if let Some(first) = acdf.first() {
            out.line(
                "22551",
                1,
                "ARTH002",
                format!("anterior cervical discectomy and interbody fusion at {first}"),
                &e(&acdf[..1]),
                Confidence::High,
            );
            if acdf.len() > 1 {
                out.line(
                    "22552",
                    acdf.len() as u32 - 1,
                    "ARTH002",
                    format!("additional ACDF interspaces {}", list(&acdf[1..])),
                    &e(&acdf[1..]),
                    Confidence::High,
                );
            }
        }
        // One primary for the 22554/22556/22558 family, then +22585 per additional interspace.
        let mut family: Vec<(Interspace, &str)> = Vec::new();
        family.extend(cervical_fusion_only.iter().map(|i| (*i, "22554")));
        family
            .extend(thoracolumbar.iter().map(|i| (*i, if i.region() == Region::Thoracic { "22556" } else { "22558" })));
        if family.is_empty() {
            return;
        }
        let rvu = |c: &str| c.parse().ok().and_then(|h| input.data.pfs.get(h)).map(|r| r.work).unwrap_or_default();
        let Some(&(first, primary)) = family.iter().max_by(|a, b| rvu(a.1).cmp(&rvu(b.1)).then(b.0.cmp(&a.0))) else {
            return;
        };
        let is: Vec<Interspace> = family.iter().map(|(i, _)| *i).collect();
        let what = match primary {
            "22554" => "anterior cervical interbody fusion across the corpectomy",
            "22556" => "anterior thoracic interbody fusion",
            _ => "anterior/lateral lumbar interbody fusion",
        };
        let confidence = if primary == "22554" { Confidence::Medium } else { Confidence::High };
        let rest: Vec<Interspace> = is.iter().filter(|i| **i != first).copied().collect();
        out.line(primary, 1, "ARTH002", format!("{what} at {first}"), &e(&[first]), confidence);
        if !rest.is_empty() {
            out.line(
                "22585",
                rest.len() as u32,
                "ARTH002",
                format!("additional anterior interbody interspaces {}", list(&rest)),
                &e(&rest),
                confidence,
            );
        }
    },
};
