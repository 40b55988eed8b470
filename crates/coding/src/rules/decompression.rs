//! Decompression: laminectomy by vertebral segment, laminotomy by interspace and side,
//! decompression at the level of a posterior interbody fusion, anterior discectomy, laminoplasty.

use std::collections::BTreeSet;

use interspace_notes::findings::{
    Decompression, DecompressionKind, DecompressionPart, Findings, IntraspinalLesion, Side,
};
use interspace_notes::{Interspace, Region, Span, Vertebra};

use super::{Rule, decompression_within, is_lumbar, list, posterior_interbody, primary_and_add_on};
use crate::{Confidence, Input, Output};

/// Where one unit of a decompression sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Vertebra(Vertebra),
    Interspace(Interspace),
}

impl Unit {
    fn region(self) -> Region {
        match self {
            Unit::Vertebra(v) => v.region(),
            Unit::Interspace(i) => i.region(),
        }
    }

    fn touches(self, i: Interspace) -> bool {
        match self {
            Unit::Vertebra(v) => v == i.upper() || v == i.lower(),
            Unit::Interspace(j) => j == i,
        }
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unit::Vertebra(v) => write!(f, "{v}"),
            Unit::Interspace(i) => write!(f, "{i}"),
        }
    }
}

/// One unit per vertebra named; one per interspace named whose vertebrae are not named.
fn units(d: &Decompression) -> Vec<Unit> {
    units_of(&d.vertebrae, &d.interspaces)
}

fn units_of(vertebrae: &[Vertebra], interspaces: &[Interspace]) -> Vec<Unit> {
    let mut out: Vec<Unit> = vertebrae.iter().map(|v| Unit::Vertebra(*v)).collect();
    for i in interspaces {
        if !vertebrae.contains(&i.upper()) && !vertebrae.contains(&i.lower()) {
            out.push(Unit::Interspace(*i));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A laminectomy that removed no facet and opened no foramen: 63001/63003/63005 for one or two
/// vertebral segments, 63015/63016/63017 for more (one unit either way), 63011 on the sacrum alone.
fn bare_laminectomy_code(r: Region, segments: usize, sacral_only: bool) -> &'static str {
    match (r, segments > 2) {
        _ if sacral_only => "63011",
        (Region::Occiput | Region::Cervical, false) => "63001",
        (Region::Occiput | Region::Cervical, true) => "63015",
        (Region::Thoracic, false) => "63003",
        (Region::Thoracic, true) => "63016",
        (_, false) => "63005",
        (_, true) => "63017",
    }
}

fn laminectomy_code(r: Region) -> &'static str {
    match r {
        Region::Occiput | Region::Cervical => "63045",
        Region::Thoracic => "63046",
        _ => "63047",
    }
}

/// XS when an active PTP edit with modifier indicator 1 pairs an arthrodesis code on the claim
/// (column one) with the decompression code (column two).
fn needs_distinct_modifier(input: &Input<'_>, out: &Output, code: &str) -> bool {
    let Ok(c2) = code.parse() else { return false };
    out.lines.iter().filter(|l| l.rule.starts_with("ARTH")).any(|l| {
        input
            .data
            .ptp
            .active(l.code, c2)
            .is_some_and(|e| e.modifier == interspace_refdata::PtpModifierIndicator::Allowed)
    })
}

/// DCMP001 — Laminectomy with facetectomy and foraminotomy per vertebral segment (63045 cervical,
/// 63046 thoracic, 63047 lumbar, +63048 each additional), and +63052/+63053 for a decompression at
/// the level of a posterior lumbar interbody fusion. A laminectomy documented with neither a
/// facetectomy nor a foraminotomy is 63001/63003/63005 (one or two segments) or 63015/63016/63017.
///
/// ## Guideline
/// 63045–63048 count vertebral segments decompressed (one unit per lamina removed; where only an
/// interspace level is named, one unit per interspace — the conservative reading). They describe a
/// laminectomy with facetectomy and foraminotomy; one without either (a cord or cauda equina
/// decompression by laminectomy alone) is 63001–63005 or, over more than two segments,
/// 63015–63017, one unit each; medial facets undercut, lateral recesses or nerve roots
/// decompressed count as the facetectomy and foraminotomy, and the note is read as a whole (a
/// foraminotomy anywhere qualifies). Since 2022 a
/// decompression at the vertebrae of a posterior interbody fusion (22630/22633) is +63052 (first
/// segment) and +63053 (each additional), not 63047 with 59. A decompression at an unfused level
/// that an NCCI edit pairs with the fusion (modifier indicator 1) takes XS. A Gill-type
/// laminectomy for spondylolisthesis (removal of the loose lamina and pars tissue) is 63012.
pub(crate) const LAMINECTOMY: Rule = Rule {
    id: "DCMP001",
    name: "laminectomy-by-segment",
    guideline: "Laminectomy is coded per vertebral segment: 63045/63046/63047 + 63048; at the levels of a posterior lumbar interbody fusion +63052/+63053; at an unfused level with XS where an NCCI edit needs it; without facetectomy or foraminotomy 63001/63003/63005 (1–2 segments) or 63015/63016/63017",
    sources: &["S1", "S35", "S36", "S37b", "S63d", "D-PTP"],
    apply: |input, out| {
        let f = input.findings;
        let lam: Vec<&Decompression> =
            f.decompressions.iter().filter(|d| d.kind == DecompressionKind::Laminectomy).collect();
        if lam.is_empty() {
            if let Some(d) = f.decompressions.iter().find(|d| d.kind == DecompressionKind::Unspecified)
                && f.decompressions.iter().all(|d| d.kind == DecompressionKind::Unspecified)
            {
                out.note(
                    "DCMP001",
                    "a decompression is described without saying what was removed (laminectomy, laminotomy, foraminotomy): not coded",
                    &d.evidence,
                );
            }
            return;
        }
        let confidence = Confidence::High;
        let all: BTreeSet<Unit> = lam.iter().flat_map(|d| units(d)).collect();
        // A line quotes the laminectomy mentions that name one of its units.
        let parts: Vec<(Vec<Unit>, &[Span])> = lam
            .iter()
            .flat_map(|d| &d.parts)
            .map(|p| (units_of(&p.vertebrae, &p.interspaces), &p.evidence[..]))
            .collect();
        let evidence = |line: &[Unit]| -> Vec<Span> {
            parts
                .iter()
                .filter(|(u, _)| u.iter().any(|u| line.contains(u)))
                .flat_map(|(_, e)| e.iter().copied())
                .collect()
        };
        let interbody: Vec<Interspace> =
            f.fusions.iter().map(|x| x.interspace).filter(|i| is_lumbar(*i) && posterior_interbody(f, *i)).collect();
        let interbody_coded = out.has("22630") || out.has("22633");
        let (at_fusion, elsewhere): (Vec<Unit>, Vec<Unit>) =
            all.into_iter().partition(|u| interbody_coded && interbody.iter().any(|i| u.touches(*i)));
        if !at_fusion.is_empty() {
            out.line(
                "63052",
                1,
                "DCMP001",
                format!("decompression at the interbody fusion level ({})", list(&at_fusion[..1])),
                &evidence(&at_fusion[..1]),
                confidence,
            );
            if at_fusion.len() > 1 {
                out.line(
                    "63053",
                    at_fusion.len() as u32 - 1,
                    "DCMP001",
                    format!("additional segments decompressed at fused levels ({})", list(&at_fusion[1..])),
                    &evidence(&at_fusion[1..]),
                    confidence,
                );
            }
        }
        // A Gill-type laminectomy for spondylolisthesis is one code, 63012, whatever it removed.
        let (gill, elsewhere): (Vec<Unit>, Vec<Unit>) =
            elsewhere.into_iter().partition(|u| matches!(u, Unit::Vertebra(v) if f.gill.contains(v)));
        if !gill.is_empty() {
            out.line(
                "63012",
                1,
                "DCMP001",
                format!("Gill-type laminectomy for spondylolisthesis ({})", list(&gill)),
                &evidence(&gill),
                confidence,
            );
        }
        if elsewhere.is_empty() {
            return;
        }
        // The primary is the region with most units (lumbar on a tie).
        let mut regions: Vec<(usize, Region)> = [Region::Lumbar, Region::Thoracic, Region::Cervical]
            .into_iter()
            .map(|r| {
                (
                    elsewhere
                        .iter()
                        .filter(|u| match u.region() {
                            Region::Sacral => r == Region::Lumbar,
                            Region::Occiput => r == Region::Cervical,
                            x => x == r,
                        })
                        .count(),
                    r,
                )
            })
            .collect();
        regions.sort_by_key(|b| std::cmp::Reverse(b.0));
        if let Some(scope) = &f.endoscopic
            && regions[0].1 == Region::Lumbar
        {
            out.note(
                "DCMP001",
                "the note says the decompression was endoscopic: a lumbar decompression through an endoscope is 62380 per interspace, not a laminectomy code; review the note and choose",
                scope,
            );
        }
        if !lam.iter().any(|d| d.with_facetectomy_or_foraminotomy) {
            let sacral_only = elsewhere.iter().all(|u| u.region() == Region::Sacral);
            let code = bare_laminectomy_code(regions[0].1, elsewhere.len(), sacral_only);
            out.line(
                code,
                1,
                "DCMP001",
                format!(
                    "laminectomy without facetectomy or foraminotomy ({} vertebral segment{}, one unit)",
                    list(&elsewhere),
                    if elsewhere.len() == 1 { "" } else { "s" }
                ),
                &evidence(&elsewhere),
                confidence,
            );
            out.note(
                "DCMP001",
                format!(
                    "the note documents no facetectomy or foraminotomy with the laminectomy, so it is {code}; if the facets or foramina were decompressed, the note must say so for 63045–63048"
                ),
                &evidence(&elsewhere),
            );
            // 63005 excludes spondylolisthesis: the Gill procedure (63012) or, with the facets or
            // foramina decompressed, 63047 is the code there.
            if let Some((_, span)) = f.diagnoses.iter().find(|(n, _)| *n == "spondylolisthesis")
                && code == "63005"
            {
                out.note(
                    "DCMP001",
                    "63005 excludes spondylolisthesis, which the note diagnoses: check whether the laminectomy was a Gill-type removal of the loose lamina and pars (63012) or also decompressed the facets or foramina (63047)",
                    &[*span],
                );
            }
            if needs_distinct_modifier(input, out, code) {
                out.add_modifier(code, "XS");
            }
            return;
        }
        let primary = laminectomy_code(regions[0].1);
        out.line(
            primary,
            1,
            "DCMP001",
            format!(
                "laminectomy with facetectomy/foraminotomy ({} vertebral segment{})",
                list(&elsewhere),
                if elsewhere.len() == 1 { "" } else { "s" }
            ),
            &evidence(&elsewhere),
            confidence,
        );
        if elsewhere.len() > 1 {
            out.line(
                "63048",
                elsewhere.len() as u32 - 1,
                "DCMP001",
                "each additional vertebral segment decompressed",
                &evidence(&elsewhere),
                confidence,
            );
        }
        if needs_distinct_modifier(input, out, primary) {
            out.add_modifier(primary, "XS");
            if out.has("63048") && needs_distinct_modifier(input, out, "63048") {
                out.add_modifier("63048", "XS");
            }
        }
    },
};

/// DCMP002 — Laminotomy (hemilaminectomy) with decompression or discectomy: 63020 cervical, 63030
/// lumbar, one interspace on one side; +63035 each additional interspace; modifier 50 when both
/// sides of an interspace were done. At a previously operated interspace (re-exploration,
/// recurrent herniation): 63040 cervical, 63042 lumbar, +63043/+63044. Through an endoscope in the
/// lumbar spine: 62380 per interspace. A lumbar disc taken out from outside the foramen or through
/// the facet (far lateral) is 63056 (+63057); a thoracic disc from behind is coded by its approach
/// (transpedicular 63055/+63057, costovertebral 63064/+63066).
///
/// ## Guideline
/// 63020/63030 describe one interspace on one side (including partial facetectomy, foraminotomy
/// and excision of a herniated disc); +63035 adds each further interspace; both sides take
/// modifier 50 (bilateral indicator 1). The operating microscope is not separately payable with them.
/// Since 2017 the same work done endoscopically in the lumbar spine is 62380 (one interspace; no
/// add-on, so one unit per interspace; bilateral indicator 1). A tubular retractor with a
/// microscope is not endoscopic.
pub(crate) const LAMINOTOMY: Rule = Rule {
    id: "DCMP002",
    name: "laminotomy-by-interspace-and-side",
    guideline: "Laminotomy or microdiscectomy is 63030 (lumbar) or 63020 (cervical) for one interspace on one side, +63035 per additional interspace, modifier 50 for both sides; done through an endoscope in the lumbar spine it is 62380 per interspace; a far-lateral lumbar disc is 63056 (+63057); a thoracic disc from behind is 63055/+63057 transpedicular or 63064/+63066 costovertebral",
    sources: &["S1", "S37", "S37b", "S33", "U-DESC"],
    apply: |input, out| {
        let f = input.findings;
        let lamino: Vec<&Decompression> = f
            .decompressions
            .iter()
            .filter(|d| {
                matches!(d.kind, DecompressionKind::Laminotomy | DecompressionKind::Discectomy)
                    || d.kind == DecompressionKind::Foraminotomy
                        && !f.decompressions.iter().any(|x| x.kind == DecompressionKind::Laminectomy)
            })
            .collect();
        if lamino.is_empty() {
            return;
        }
        let mut is: BTreeSet<Interspace> = BTreeSet::new();
        let mut side = Side::Unstated;
        for d in &lamino {
            is.extend(d.interspaces.iter().copied());
            // Two adjacent vertebrae named are the interspace between them.
            for w in d.vertebrae.windows(2) {
                if w[1].index() == w[0].index() + 1
                    && let Some(i) = Interspace::below(w[0])
                {
                    is.insert(i);
                }
            }
            side = match (side, d.side) {
                (Side::Unstated, s) => s,
                (s, Side::Unstated) => s,
                (a, b) if a == b => a,
                _ => Side::Bilateral,
            };
        }
        // A vertebra named alone ("L5 hemilaminotomy") is the interspace below it, once every
        // mention's interspaces are known: one that borders them ("decompressing the S1 nerve
        // root" after "L5-S1 microdiscectomy") adds nothing. The sacrum has no disc below S1 that
        // a laminotomy reaches, so S1 alone is L5-S1.
        let named: BTreeSet<Interspace> = is.clone();
        for v in lamino.iter().flat_map(|d| d.vertebrae.iter()) {
            if named.iter().any(|i| i.upper() == *v || i.lower() == *v) {
                continue;
            }
            let upper = match v.region() {
                Region::Sacral if *v == Vertebra::S1 => Vertebra::from_index(Vertebra::S1.index() - 1),
                Region::Sacral => None,
                _ => Some(*v),
            };
            if let Some(i) = upper.and_then(Interspace::below) {
                is.insert(i);
            }
        }
        // Interspaces inside a laminectomy or an interbody fusion are coded there.
        let lam_units: Vec<Vertebra> = f
            .decompressions
            .iter()
            .filter(|d| d.kind == DecompressionKind::Laminectomy)
            .flat_map(|d| d.vertebrae.iter().copied().chain(d.interspaces.iter().flat_map(|i| [i.upper(), i.lower()])))
            .collect();
        let is: Vec<Interspace> = is
            .into_iter()
            .filter(|i| {
                !lam_units.contains(&i.upper())
                    && !posterior_interbody(f, *i)
                    && !f.fusions.iter().any(|x| x.interspace == *i)
            })
            .collect();
        // No laminotomy code covers the thoracic spine: its discs are coded by approach.
        let (thoracic, is): (Vec<Interspace>, Vec<Interspace>) =
            is.into_iter().partition(|i| i.region() == Region::Thoracic);
        if !thoracic.is_empty() {
            let e: Vec<Span> = lamino.iter().flat_map(|d| d.evidence.iter().copied()).collect();
            thoracic_disc(f, &thoracic, &e, out);
        }
        // A lumbar disc taken out from outside the foramen or through the facet is 63056.
        let (far_lateral, is): (Vec<Interspace>, Vec<Interspace>) =
            is.into_iter().partition(|i| f.extraforaminal.contains(i));
        if let Some(first) = far_lateral.first() {
            let e: Vec<Span> = lamino.iter().flat_map(|d| d.evidence.iter().copied()).collect();
            let what = format!("far-lateral (extraforaminal) decompression at {first}");
            primary_and_add_on(
                out,
                ("63056", "63057"),
                &far_lateral,
                "DCMP002",
                what,
                "additional far-lateral segments",
                &e,
            );
            if !is.is_empty() && f.endoscopic.is_none() {
                // NCCI pairs 63030 over 63056: at another interspace the column-two code takes XS.
                out.add_modifier("63056", "XS");
                out.note("DCMP002", format!("a far-lateral decompression at {} and a laminotomy at {}: NCCI pairs 63056 under 63030, so 63056 takes XS for its own interspace", list(&far_lateral), list(&is)), &e);
            }
        }
        let Some(first) = is.first() else { return };
        // Through an endoscope a lumbar laminotomy or discectomy is 62380, one unit per interspace
        // (it has no add-on), modifier 50 for both sides.
        if let Some(scope) = &f.endoscopic
            && first.region() == Region::Lumbar
        {
            let mut evidence: Vec<Span> = lamino.iter().flat_map(|d| d.evidence.iter().copied()).collect();
            evidence.extend(scope.iter().copied());
            out.line(
                "62380",
                is.len() as u32,
                "DCMP002",
                format!("endoscopic decompression at {}, one unit per interspace", list(&is)),
                &evidence,
                Confidence::High,
            );
            if side == Side::Bilateral {
                out.add_modifier("62380", "50");
            }
            return;
        }
        // At a previously operated interspace the laminotomy is a re-exploration: 63040/63042,
        // each further interspace +63043/+63044.
        let redo = f.reexploration.is_some();
        let cervical = first.region() == Region::Cervical;
        let (primary, add_on) = match (redo, cervical) {
            (false, true) => ("63020", "63035"),
            (false, false) => ("63030", "63035"),
            (true, true) => ("63040", "63043"),
            (true, false) => ("63042", "63044"),
        };
        // A line quotes the mentions that name one of its interspaces or their vertebrae.
        let evidence = |line: &[Interspace]| -> Vec<Span> {
            let names = |p: &DecompressionPart, i: &Interspace| {
                p.interspaces.contains(i) || p.vertebrae.iter().any(|v| *v == i.upper() || *v == i.lower())
            };
            let mut e: Vec<Span> = lamino
                .iter()
                .flat_map(|d| &d.parts)
                .filter(|p| line.iter().any(|i| names(p, i)))
                .flat_map(|p| p.evidence.iter().copied())
                .collect();
            if redo {
                e.extend(f.reexploration.iter().flatten().copied());
            }
            e
        };
        let side_text = match side {
            Side::Left => " on the left",
            Side::Right => " on the right",
            Side::Bilateral => " on both sides",
            Side::Unstated => "",
        };
        out.line(
            primary,
            1,
            "DCMP002",
            format!("{}laminotomy/decompression at {first}{side_text}", if redo { "re-exploration " } else { "" }),
            &evidence(&is[..1]),
            Confidence::High,
        );
        if is.len() > 1 {
            out.line(
                add_on,
                is.len() as u32 - 1,
                "DCMP002",
                format!("additional interspaces {}{side_text}", list(&is[1..])),
                &evidence(&is[1..]),
                Confidence::High,
            );
        }
        if side == Side::Bilateral {
            out.add_modifier(primary, "50");
            if out.has(add_on) {
                out.add_modifier(add_on, "50");
            }
        }
    },
};

/// A thoracic disc or decompression reached from behind: 63055 (+63057) through a transpedicular
/// approach, 63064 (+63066) through a costovertebral one (costotransversectomy), one unit per
/// interspace; any other approach is named for review, since 63020 and 63030 are cervical and
/// lumbar codes.
fn thoracic_disc(f: &Findings, thoracic: &[Interspace], e: &[Span], out: &mut Output) {
    let named = |a: &str| f.approaches.iter().find(|(n, _)| *n == a).map(|(_, s)| *s);
    let (primary, add_on, how, span) = if let Some(s) = named("transpedicular") {
        ("63055", "63057", "transpedicular", s)
    } else if let Some(s) = named("costovertebral") {
        ("63064", "63066", "costovertebral", s)
    } else {
        out.note(
            "DCMP002",
            format!("a thoracic laminotomy or discectomy from behind at {} has no laminotomy code (63020 is cervical, 63030 lumbar): by approach, transpedicular 63055 (+63057), costovertebral 63064 (+63066), or a thoracic laminectomy (63046/+63048) for stenosis; name the approach or review", list(thoracic)),
            e,
        );
        return;
    };
    let mut e = e.to_vec();
    e.push(span);
    let first = format!("{how} thoracic decompression at {}", thoracic[0]);
    primary_and_add_on(out, (primary, add_on), thoracic, "DCMP002", first, &format!("additional {how} segments"), &e);
}

/// DCMP003 — Anterior discectomy with decompression: 63075 cervical (+63076) without fusion,
/// 63077 thoracic (+63078).
///
/// ## Guideline
/// 63075 is an anterior cervical discectomy with decompression of cord or roots; when the same
/// interspace is fused it is part of 22551 and not reported. The thoracic anterior interbody
/// fusion (22556) includes only a discectomy to prepare the interspace "other than for
/// decompression", and no combined code or NCCI edit joins it to 63077, so a thoracic discectomy
/// that decompresses the cord or roots is 63077 beside it.
pub(crate) const ANTERIOR_DISCECTOMY: Rule = Rule {
    id: "DCMP003",
    name: "anterior-discectomy-without-fusion",
    guideline: "Anterior discectomy with decompression at an unfused interspace is 63075 (+63076) cervical or 63077 (+63078) thoracic; a thoracic one beside a 22556 fusion that decompresses the cord or roots is still 63077",
    sources: &["S9", "S10", "U-DESC", "D-PTP"],
    apply: |input, out| {
        let f = input.findings;
        let mut is: Vec<Interspace> = f
            .decompressions
            .iter()
            .filter(|d| d.kind == DecompressionKind::AnteriorDiscectomy)
            .flat_map(|d| d.interspaces.iter().copied())
            .filter(|i| {
                (i.region() == Region::Thoracic || !f.fusions.iter().any(|x| x.interspace == *i))
                    && !f.arthroplasties.iter().any(|a| a.interspace == *i)
            })
            .collect();
        is.sort();
        is.dedup();
        let Some(first) = is.first() else { return };
        // A line quotes the discectomy mentions at its own interspaces.
        let evidence = |line: &[Interspace]| -> Vec<Span> {
            f.decompressions
                .iter()
                .filter(|d| d.kind == DecompressionKind::AnteriorDiscectomy)
                .flat_map(|d| &d.parts)
                .filter(|p| p.interspaces.iter().any(|i| line.contains(i)))
                .flat_map(|p| p.evidence.iter().copied())
                .collect()
        };
        let (primary, add) = if first.region() == Region::Thoracic { ("63077", "63078") } else { ("63075", "63076") };
        out.line(
            primary,
            1,
            "DCMP003",
            if f.fusions.iter().any(|x| x.interspace == *first) {
                format!("anterior discectomy with decompression at {first}, beyond the fusion's preparation of the interspace")
            } else {
                format!("anterior discectomy with decompression at {first}, no fusion")
            },
            &evidence(&is[..1]),
            Confidence::High,
        );
        if is.len() > 1 {
            out.line(
                add,
                is.len() as u32 - 1,
                "DCMP003",
                format!("additional interspaces {}", list(&is[1..])),
                &evidence(&is[1..]),
                Confidence::High,
            );
        }
    },
};

/// The region of a posterior decompression code of DCMP001 or DCMP002.
fn decompression_region(code: &str) -> Region {
    match code {
        "63001" | "63015" | "63045" | "63020" | "63040" => Region::Cervical,
        "63003" | "63016" | "63046" => Region::Thoracic,
        "63011" => Region::Sacral,
        _ => Region::Lumbar,
    }
}

/// The laminectomy code for a lesion outside the dura other than a tumour, by region.
fn lesion_code(r: Region) -> &'static str {
    match r {
        Region::Occiput | Region::Cervical => "63265",
        Region::Thoracic => "63266",
        Region::Sacral => "63268",
        _ => "63267",
    }
}

/// DCMP005 — Laminectomy to evacuate or excise a lesion in the spinal canal other than a tumour,
/// outside the dura: 63265 cervical, 63266 thoracic, 63267 lumbar, 63268 sacral, one unit, in
/// place of the decompression codes.
///
/// ## Guideline
/// An epidural abscess drained or an epidural haematoma evacuated through a laminectomy (or a
/// hemilaminectomy) is the lesion code of the region, one unit whatever the number of laminae
/// (MUE 1); NCCI pairs it over 63001–63017 and 63045–63047 as the more extensive procedure, so the
/// decompression is not coded beside it. A decompression at the level of an interbody fusion
/// (+63052) is left alone. A synovial cyst is read either way by coders and payers (63267 or the
/// decompression code): the decompression code stays and the coder is asked to review. A tumour
/// is 63275–63290, which Interspace does not code: the coder is told.
pub(crate) const INTRASPINAL_LESION: Rule = Rule {
    id: "DCMP005",
    name: "laminectomy-for-intraspinal-lesion",
    guideline: "A laminectomy or hemilaminectomy to evacuate an epidural abscess or haematoma is 63265 cervical, 63266 thoracic, 63267 lumbar or 63268 sacral, one unit, in place of the decompression codes; a synovial cyst or a tumour is flagged for review",
    sources: &["U-DESC", "D-PTP", "D-MUE"],
    apply: |input, out| {
        let Some(removal) = &input.findings.lesion_removed else { return };
        let posterior = |l: &crate::ProposedLine| {
            matches!(l.rule, "DCMP001" | "DCMP002") && !matches!(l.code.as_str(), "63052" | "63053")
        };
        let name = removal.lesion.name();
        let evacuated =
            matches!(removal.lesion, IntraspinalLesion::EpiduralAbscess | IntraspinalLesion::EpiduralHematoma);
        let Some(first) = out.lines.iter().find(|l| posterior(l)) else {
            // A return to the operating room that re-opens the laminectomy to evacuate the lesion
            // removes no lamina of its own, and the lesion code is still how it is reported.
            if evacuated
                && input.findings.return_to_or.is_some()
                && let Some(region) = removal.region
            {
                let code = lesion_code(region);
                out.line(
                    code,
                    1,
                    "DCMP005",
                    format!("evacuation of an {name} at a return to the operating room, one unit"),
                    &removal.evidence,
                    Confidence::Medium,
                );
                out.note(
                    "DCMP005",
                    format!(
                        "the note describes no new laminectomy: {code} reports the evacuation of an {name} through the re-opened laminectomy; check the operative note says the canal was re-explored"
                    ),
                    &removal.evidence,
                );
            }
            return;
        };
        let decompression = first.code.to_string();
        if !evacuated {
            let message = if removal.lesion == IntraspinalLesion::SynovialCyst {
                format!(
                    "a synovial cyst was excised with the decompression ({decompression}); coders and payers differ on whether that is 63267 (a lesion other than a tumour, outside the dura) or the decompression code: review against the payer's policy and the note's stated purpose"
                )
            } else {
                format!(
                    "a tumour or lesion was resected through the laminectomy; a laminectomy for an intraspinal tumour is 63275–63290 by its site (outside the dura, inside it, inside the cord) and region, which Interspace does not code: review {decompression}"
                )
            };
            out.note("DCMP005", message, &removal.evidence);
            return;
        }
        let code = lesion_code(decompression_region(&decompression));
        let mut evidence: Vec<Span> =
            out.lines.iter().filter(|l| posterior(l)).flat_map(|l| l.evidence.iter().copied()).collect();
        evidence.extend(removal.evidence.iter().copied());
        let replaced: Vec<String> = out.lines.iter().filter(|l| posterior(l)).map(|l| l.code.to_string()).collect();
        out.lines.retain(|l| !posterior(l));
        // The laminectomy's own notes (which decompression code it is) no longer apply.
        out.notes.retain(|n| n.rule != "DCMP001");
        out.line(
            code,
            1,
            "DCMP005",
            format!("laminectomy to evacuate an {name}, one unit; it includes the decompression"),
            &evidence,
            Confidence::High,
        );
        out.note(
            "DCMP005",
            format!(
                "{code} replaces {}: the laminectomy was done to evacuate an {name}, and NCCI pairs the lesion code over the decompression codes as the more extensive procedure",
                replaced.join(", ")
            ),
            &removal.evidence,
        );
    },
};

/// DCMP004 — Cervical laminoplasty: 63050, or 63051 when the laminae are held open with plates,
/// wires or bone.
///
/// ## Guideline
/// Laminoplasty expands the canal by hinging the laminae; 63051 adds reconstruction of the
/// posterior elements (mini-plates, graft, sutures or wires). NCCI pairs the laminotomy,
/// foraminotomy and laminectomy codes under both (modifier indicator 1): a foraminotomy at the
/// laminoplasty's own vertebrae is part of it and is not proposed; one reaching beyond them takes
/// XS, with a note to count only the levels outside.
pub(crate) const LAMINOPLASTY: Rule = Rule {
    id: "DCMP004",
    name: "laminoplasty",
    guideline: "Cervical laminoplasty is 63050, or 63051 when the opened laminae are fixed with plates, wires or graft; a foraminotomy or laminotomy at its levels is part of it",
    sources: &["U-DESC", "D-PTP"],
    apply: |input, out| {
        let f = input.findings;
        let Some(d) = f.decompressions.iter().find(|d| d.kind == DecompressionKind::Laminoplasty) else { return };
        let code = if let Some(fix) = &f.laminoplasty_fixation {
            let mut e = d.evidence.clone();
            e.extend(fix.iter().copied());
            out.line("63051", 1, "DCMP004", "laminoplasty with fixation of the opened laminae", &e, Confidence::High);
            "63051"
        } else {
            out.line("63050", 1, "DCMP004", "laminoplasty", &d.evidence, Confidence::Medium);
            "63050"
        };
        let inside = |v: &Vertebra| d.vertebrae.contains(v);
        let beyond = f.decompressions.iter().filter(|x| x.kind != DecompressionKind::Laminoplasty).any(|x| {
            !x.vertebrae.iter().all(inside) || !x.interspaces.iter().all(|i| inside(&i.upper()) && inside(&i.lower()))
        });
        decompression_within(input, out, ("DCMP004", code, "laminoplasty"), "levels", beyond, &d.evidence);
    },
};
