//! Corpectomy, disc arthroplasty, interlaminar devices, vertebral augmentation, sacroiliac fusion,
//! exploration, open treatment of fractures, osteotomies and vertebral body tethering.

use interspace_notes::findings::{ArthroplastyAction, Decompression, GraftKind};
use interspace_notes::{Interspace, Region, Span, Vertebra};
use interspace_refdata::Hcpcs;

use super::{Rule, decompression_within, is_lumbar, list, primary_and_add_on};
use crate::Confidence;

/// PROC001 — Corpectomy: anterior cervical 63081 (+63082), transthoracic 63085 (+63086),
/// thoracolumbar 63087 (+63088), lumbar retroperitoneal or transperitoneal 63090 (+63091); lateral
/// extracavitary 63101 thoracic, 63102 lumbar (+63103); by vertebral segment.
///
/// ## Guideline
/// Vertebral corpectomy with decompression is coded per vertebral segment removed: the first with
/// the primary code of the approach and region, each further contiguous segment with its add-on.
pub(crate) const CORPECTOMY: Rule = Rule {
    id: "PROC001",
    name: "corpectomy-by-segment",
    guideline: "Anterior corpectomy is coded per vertebral segment by region and approach: 63081/+63082 cervical, 63085/+63086 thoracic, 63087/+63088 thoracolumbar, 63090/+63091 lumbar; through a lateral extracavitary exposure 63101 thoracic or 63102 lumbar, +63103",
    sources: &["U-DESC"],
    apply: |input, out| {
        for c in &input.findings.corpectomies {
            if !c.anterior {
                // Through a lateral extracavitary exposure: 63101 thoracic, 63102 lumbar, +63103.
                let extracavitary = input.findings.approaches.iter().any(|(n, _)| *n == "lateral extracavitary");
                let thoracolumbar = c.vertebrae.iter().all(|v| matches!(v.region(), Region::Thoracic | Region::Lumbar));
                if let (true, true, Some(first)) = (extracavitary, thoracolumbar, c.vertebrae.first()) {
                    let primary = if first.region() == Region::Thoracic { "63101" } else { "63102" };
                    let what = format!("lateral extracavitary corpectomy of {first}");
                    primary_and_add_on(
                        out,
                        (primary, "63103"),
                        &c.vertebrae,
                        "PROC001",
                        what,
                        "additional segments",
                        &c.evidence,
                    );
                    continue;
                }
                out.note("PROC001", format!("corpectomy of {} by a posterior or lateral approach: check 63101–63103 (lateral extracavitary)", list(&c.vertebrae)), &c.evidence);
                continue;
            }
            let regions: Vec<Region> = c.vertebrae.iter().map(|v| v.region()).collect();
            let (primary, add) = if regions.iter().all(|r| *r == Region::Cervical) {
                ("63081", "63082")
            } else if regions.contains(&Region::Thoracic) && regions.contains(&Region::Lumbar) {
                ("63087", "63088")
            } else if regions.iter().all(|r| *r == Region::Thoracic) {
                ("63085", "63086")
            } else {
                ("63090", "63091")
            };
            let what = format!("corpectomy of {}", c.vertebrae[0]);
            primary_and_add_on(out, (primary, add), &c.vertebrae, "PROC001", what, "additional segments", &c.evidence);
        }
    },
};

/// PROC002 — Disc arthroplasty: cervical 22856 (+22858 second level), lumbar 22857 (+22860
/// second level); revision 22861/22862; removal 22864 (cervical) / 22865 (lumbar).
///
/// ## Guideline
/// Total disc arthroplasty includes the discectomy and decompression at its interspace. +22858 and
/// +22860 describe the second level only; no Category I code covers a third. Removal of a cervical
/// artificial disc is 22864 (22865 lumbar); neither is a fusion code.
pub(crate) const ARTHROPLASTY: Rule = Rule {
    id: "PROC002",
    name: "disc-arthroplasty",
    guideline: "Cervical disc arthroplasty is 22856 (+22858 second level), lumbar 22857 (+22860); revision 22861/22862; removal 22864 cervical, 22865 lumbar",
    sources: &["S52", "S51", "S50", "S49"],
    apply: |input, out| {
        let a = &input.findings.arthroplasties;
        for action in [ArthroplastyAction::Insertion, ArthroplastyAction::Revision, ArthroplastyAction::Removal] {
            let mut levels: Vec<_> = a.iter().filter(|x| x.action == action).collect();
            levels.sort_by_key(|x| x.interspace);
            let Some(first) = levels.first() else { continue };
            let cervical = first.interspace.region() == Region::Cervical;
            let e: Vec<Span> = levels.iter().flat_map(|x| x.evidence.iter().copied()).collect();
            match action {
                ArthroplastyAction::Insertion => {
                    let (primary, second) = if cervical { ("22856", "22858") } else { ("22857", "22860") };
                    out.line(
                        primary,
                        1,
                        "PROC002",
                        format!("total disc arthroplasty at {}", first.interspace),
                        &e,
                        Confidence::High,
                    );
                    if levels.len() >= 2 {
                        out.line(
                            second,
                            1,
                            "PROC002",
                            format!("second arthroplasty interspace {}", levels[1].interspace),
                            &e,
                            Confidence::High,
                        );
                    }
                    if levels.len() > 2 {
                        out.note("PROC002", "a third arthroplasty level has no Category I code: consider 22899", &e);
                    }
                    super::distinct_from_arthroplasty(input, out, &e);
                }
                ArthroplastyAction::Revision => {
                    out.line(
                        if cervical { "22861" } else { "22862" },
                        1,
                        "PROC002",
                        format!("revision of the disc arthroplasty at {}", first.interspace),
                        &e,
                        Confidence::Medium,
                    );
                }
                ArthroplastyAction::Removal => {
                    out.line(
                        if cervical { "22864" } else { "22865" },
                        1,
                        "PROC002",
                        format!("removal of the artificial disc at {}", first.interspace),
                        &e,
                        Confidence::High,
                    );
                }
            }
        }
    },
};

/// PROC010 — Interlaminar or interspinous stabilization device without fusion, lumbar: 22867
/// with open decompression at its level (+22868 a second level), 22869 without (+22870).
///
/// ## Guideline
/// The device codes count levels (interspaces), the first and a second; each includes the image
/// guidance and, for 22867/22868, the open decompression at its level, which NCCI pairs under them
/// (63005–63048, 63052). They describe a device without fusion: NCCI pairs them with the lumbar
/// fusion codes, and 22868 is an add-on of 22867 only, 22870 of 22869 only.
pub(crate) const INTERLAMINAR_DEVICE: Rule = Rule {
    id: "PROC010",
    name: "interlaminar-device-without-fusion",
    guideline: "A lumbar interlaminar or interspinous device without fusion is 22867 with open decompression at its level (+22868 second level), 22869 without (+22870); the decompression at its level is included",
    sources: &["U-DESC", "S53", "D-PTP", "D-AOC", "D-MUE"],
    apply: |input, out| {
        let f = input.findings;
        let Some(d) = &f.interlaminar_devices else { return };
        let e = &d.evidence;
        if d.interspaces.is_empty() {
            out.note("PROC010", "an interlaminar or interspinous device is described without its level: name the interspace to code 22867 (with open decompression there) or 22869 (without)", e);
            return;
        }
        let (lumbar, elsewhere): (Vec<Interspace>, Vec<Interspace>) =
            d.interspaces.iter().partition(|&&i| is_lumbar(i));
        if !elsewhere.is_empty() {
            out.note("PROC010", format!("an interlaminar or interspinous device at {} is outside the lumbar spine: 22867-22870 are lumbar codes; review (22899)", list(&elsewhere)), e);
        }
        let fused = |i: Interspace| f.fusions.iter().any(|x| x.interspace == i);
        let (with_fusion, free): (Vec<Interspace>, Vec<Interspace>) = lumbar.into_iter().partition(|&i| fused(i));
        if !with_fusion.is_empty() {
            out.note("PROC010", format!("the spinous-process device at {} sits in a fusion: 22867-22870 are devices without fusion (NCCI pairs them with the fusion codes as mutually exclusive); a spinous-process fixation used for the fusion is instrumentation, review 22840", list(&with_fusion)), e);
        }
        let reaches = |dc: &Decompression, i: Interspace| {
            dc.interspaces.contains(&i) || dc.vertebrae.contains(&i.upper()) || dc.vertebrae.contains(&i.lower())
        };
        let (open, closed): (Vec<Interspace>, Vec<Interspace>) =
            free.iter().partition(|&&i| f.decompressions.iter().any(|dc| reaches(dc, i)));
        let (primary, second, levels, how) = match (open.is_empty(), closed.is_empty()) {
            (true, true) => return,
            (false, _) => ("22867", "22868", &open, "with open decompression"),
            (true, false) => ("22869", "22870", &closed, "without decompression"),
        };
        out.line(primary, 1, "PROC010", format!("interlaminar device {how} at {}", levels[0]), e, Confidence::High);
        if let Some(i) = levels.get(1) {
            out.line(second, 1, "PROC010", format!("second level {i}"), e, Confidence::High);
        }
        if levels.len() > 2 {
            out.note("PROC010", format!("a third device level ({}) has no code of its own: 22868 and 22870 are a second level only; consider 22899", list(&levels[2..])), e);
        }
        if primary == "22867" && !closed.is_empty() {
            out.note("PROC010", format!("the device at {} has no decompression with it: 22870 is an add-on of 22869 only and 22868 a level with decompression; NCCI allows 22869 beside 22867 at another level with a modifier, so review", list(&closed)), e);
        }
        if primary != "22867" {
            return;
        }
        // The open decompression is part of the device code at its levels: left out when it
        // reaches no other level, kept with XS on the pair's column-two code when it does.
        let Ok(device) = primary.parse::<Hcpcs>() else { return };
        let paired: Vec<Hcpcs> = out
            .lines
            .iter()
            .filter(|l| l.rule.starts_with("DCMP"))
            .map(|l| l.code)
            .filter(|&c| input.data.ptp.active(device, c).is_some() || input.data.ptp.active(c, device).is_some())
            .collect();
        if paired.is_empty() {
            return;
        }
        let names: Vec<&str> = paired.iter().map(|c| c.as_str()).collect();
        let own = |dc: &Decompression| {
            dc.interspaces.iter().all(|i| open.contains(i))
                && dc.vertebrae.iter().all(|v| open.iter().any(|i| i.upper() == *v || i.lower() == *v))
        };
        if f.decompressions.iter().all(own) {
            for c in &names {
                out.remove(c);
            }
            out.note(
                "PROC010",
                format!(
                    "the open decompression at {} is part of 22867 (NCCI pairs {} with it) and is not proposed",
                    list(&open),
                    names.join(", ")
                ),
                e,
            );
            return;
        }
        for &c in &paired {
            let column_two = if input.data.ptp.active(device, c).is_some() { c } else { device };
            out.add_modifier(column_two.as_str(), "XS");
        }
        out.note("PROC010", format!("NCCI pairs {} with 22867: XS for the decompression at levels beyond the device's; the decompression at {} is part of 22867, so check that the units count only the other levels", names.join(", "), list(&open)), e);
    },
};

/// PROC011 — Vertebral body tethering: thoracic 22836 (up to seven vertebrae) or 22837 (eight or
/// more), revision, replacement or removal 22838; lumbar or thoracolumbar 0656T / 0657T.
///
/// ## Guideline
/// The tether is one service sized by the vertebrae it is anchored in, thoracoscopy included; its
/// screws are not an instrumentation construct. A tether reaching the lumbar spine is still a
/// Category III service.
pub(crate) const TETHERING: Rule = Rule {
    id: "PROC011",
    name: "vertebral-body-tethering",
    guideline: "Anterior thoracic vertebral body tethering is 22836 for up to seven vertebrae and 22837 for eight or more, 22838 for a revision, replacement or removal; a lumbar or thoracolumbar tether is 0656T (up to seven) or 0657T",
    sources: &["S54", "S54b", "S15", "D-PTP"],
    apply: |input, out| {
        let Some(t) = &input.findings.tethering else { return };
        let e = &t.evidence;
        if t.revision {
            out.line(
                "22838",
                1,
                "PROC011",
                "revision, replacement or removal of the vertebral body tether",
                e,
                Confidence::Medium,
            );
            if t.vertebrae.iter().any(|v| v.region() != Region::Thoracic) {
                out.note("PROC011", "22838 is the thoracic tether's revision; one reaching the lumbar spine is a Category III service: review", e);
            }
            return;
        }
        let (Some(first), Some(last)) = (t.vertebrae.first(), t.vertebrae.last()) else {
            out.note("PROC011", "a vertebral body tether is described without its vertebrae: name them to code 22836 (up to seven) or 22837 (eight or more)", e);
            return;
        };
        let count = last.index() - first.index() + 1;
        let thoracic = t.vertebrae.iter().all(|v| v.region() == Region::Thoracic);
        let code = match (thoracic, count <= 7) {
            (true, true) => "22836",
            (true, false) => "22837",
            (false, true) => "0656T",
            (false, false) => "0657T",
        };
        out.line(
            code,
            1,
            "PROC011",
            format!("vertebral body tether {first} to {last}: {count} vertebrae"),
            e,
            Confidence::High,
        );
        if !thoracic {
            out.note(
                "PROC011",
                "a tether reaching the lumbar spine is a Category III code, priced by the contractor",
                e,
            );
        }
    },
};

/// PROC003 — Vertebral augmentation and vertebroplasty, per vertebral body: kyphoplasty 22513
/// (thoracic) / 22514 (lumbar) + 22515; vertebroplasty 22510 (cervicothoracic) / 22511
/// (lumbosacral) + 22512.
///
/// ## Guideline
/// Each vertebral body treated is one unit; imaging guidance and biopsy are included. Creating a
/// cavity before the cement (balloon or mechanical) makes it augmentation. NCCI does not pay the
/// thoracic and lumbar primaries together: the first body takes the primary, every other body the
/// add-on.
pub(crate) const AUGMENTATION: Rule = Rule {
    id: "PROC003",
    name: "vertebral-augmentation-per-body",
    guideline: "Kyphoplasty (cavity created) is 22513 thoracic / 22514 lumbar + 22515 per additional body; vertebroplasty 22510 / 22511 + 22512",
    sources: &["S48", "S72", "D-PTP"],
    apply: |input, out| {
        for cavity in [true, false] {
            let bodies: Vec<&interspace_notes::findings::Augmentation> =
                input.findings.augmentations.iter().filter(|a| a.cavity == cavity).collect();
            let Some(first) = bodies.first() else { continue };
            let upper = matches!(first.vertebra.region(), Region::Cervical | Region::Thoracic);
            let (primary, add, what) = match (cavity, upper) {
                (true, true) => ("22513", "22515", "kyphoplasty"),
                (true, false) => ("22514", "22515", "kyphoplasty"),
                (false, true) => ("22510", "22512", "vertebroplasty"),
                (false, false) => ("22511", "22512", "vertebroplasty"),
            };
            let e: Vec<Span> = bodies.iter().flat_map(|a| a.evidence.iter().copied()).collect();
            out.line(primary, 1, "PROC003", format!("{what} of {}", first.vertebra), &e, Confidence::High);
            if bodies.len() > 1 {
                let rest: Vec<Vertebra> = bodies[1..].iter().map(|a| a.vertebra).collect();
                out.line(
                    add,
                    rest.len() as u32,
                    "PROC003",
                    format!("additional vertebral bodies {}", list(&rest)),
                    &e,
                    Confidence::High,
                );
            }
        }
        // Kyphoplasty and vertebroplasty of different bodies: NCCI pairs the codes as mutually
        // exclusive (for one body), so the column-two code takes XS.
        let codes: Vec<Hcpcs> = out.lines.iter().filter(|l| l.rule == "PROC003").map(|l| l.code).collect();
        let mut distinct = Vec::new();
        for &a in &codes {
            for &b in &codes {
                if a != b && input.data.ptp.active(a, b).is_some() && !distinct.contains(&b) {
                    distinct.push(b);
                }
            }
        }
        for c in &distinct {
            out.add_modifier(c.as_str(), "XS");
        }
        if !distinct.is_empty() {
            let names: Vec<&str> = distinct.iter().map(|c| c.as_str()).collect();
            let e: Vec<Span> = input.findings.augmentations.iter().flat_map(|a| a.evidence.iter().copied()).collect();
            out.note("PROC003", format!("kyphoplasty and vertebroplasty of different vertebral bodies: NCCI pairs the codes for one body, so {} take XS for their own bodies", names.join(", ")), &e);
        }
    },
};

/// PROC004 — Sacroiliac joint fusion: 27279 minimally invasive with a transfixing device, 27280
/// open; RT/LT for one side, 50 for both.
///
/// ## Guideline
/// 27279 is a percutaneous or minimally invasive SI arthrodesis with image guidance and a
/// transfixing device; 27280 an open arthrodesis. Both allow modifier 50 (bilateral indicator 1).
pub(crate) const SACROILIAC: Rule = Rule {
    id: "PROC004",
    name: "sacroiliac-fusion",
    guideline: "Sacroiliac joint fusion is 27279 (minimally invasive, transfixing device) or 27280 (open), with RT/LT or 50",
    sources: &["S55", "S55b", "S33"],
    apply: |input, out| {
        let Some(s) = input.findings.si_fusions.first() else { return };
        let code = if s.open { "27280" } else { "27279" };
        out.line(
            code,
            1,
            "PROC004",
            if s.open {
                "open sacroiliac joint fusion"
            } else {
                "minimally invasive sacroiliac joint fusion with transfixing implants"
            },
            &s.evidence,
            Confidence::High,
        );
        match s.side {
            interspace_notes::findings::Side::Bilateral => out.add_modifier(code, "50"),
            interspace_notes::findings::Side::Left => out.add_modifier(code, "LT"),
            interspace_notes::findings::Side::Right => out.add_modifier(code, "RT"),
            interspace_notes::findings::Side::Unstated => {}
        }
    },
};

/// PROC005 — Exploration of a prior fusion: 22830, when no definitive procedure is done there.
///
/// ## Guideline
/// Exploration of a spinal fusion is reported alone; it is part of any definitive procedure (new
/// fusion, instrumentation) done in the same area.
pub(crate) const EXPLORATION: Rule = Rule {
    id: "PROC005",
    name: "fusion-exploration",
    guideline: "Exploration of a prior fusion is 22830 only when no definitive procedure is done in that area",
    sources: &["S45b"],
    apply: |input, out| {
        let Some(e) = &input.findings.exploration else { return };
        let definitive =
            out.lines.iter().any(|l| l.rule.starts_with("ARTH") || l.rule.starts_with("INST") || l.rule == "PROC001");
        if definitive {
            out.note("PROC005", "exploration of the fusion is part of the definitive procedure and is not coded", e);
        } else {
            out.line("22830", 1, "PROC005", "exploration of the prior fusion", e, Confidence::High);
        }
    },
};

/// PROC006 — Open treatment of vertebral fractures or dislocations from behind: 22325 lumbar,
/// 22326 cervical, 22327 thoracic for the first fractured vertebra or dislocated segment, +22328
/// for each further one.
///
/// ## Guideline
/// 22325–22327 are one fractured vertebra or dislocated segment treated open by a posterior
/// approach, by region; +22328 adds each further one and pairs with 22325, 22326 and 22327 (NCCI
/// add-on file). Arthrodesis, instrumentation and bone graft done with it are reported with their
/// own codes. A fracture treated from the front is coded by what was done (corpectomy, anterior
/// fusion). The sacrum and occiput have no code in the family. One primary for the session: the
/// highest-valued region present (unverified, as for the other families).
pub(crate) const FRACTURE: Rule = Rule {
    id: "PROC006",
    name: "open-fracture-treatment-posterior",
    guideline: "Open treatment of vertebral fractures or dislocations from behind is 22325 (lumbar), 22326 (cervical) or 22327 (thoracic) for the first vertebra or segment, +22328 for each further one",
    sources: &["U-DESC", "D-AOC"],
    apply: |input, out| {
        let Some(t) = &input.findings.fracture_treatment else { return };
        if t.anterior {
            out.note(
                "PROC006",
                "a fracture treated from the front is coded by what was done (corpectomy, anterior fusion), not with 22325-22328",
                &t.evidence,
            );
            return;
        }
        let code = |r: Region| match r {
            Region::Cervical => Some("22326"),
            Region::Thoracic => Some("22327"),
            Region::Lumbar => Some("22325"),
            _ => None,
        };
        // Each fractured vertebra or dislocated segment is one unit, named by where it is.
        let mut units: Vec<(String, &str)> = Vec::new();
        units.extend(t.vertebrae.iter().filter_map(|v| Some((v.to_string(), code(v.region())?))));
        units.extend(t.segments.iter().filter_map(|i| Some((format!("{i} (dislocation)"), code(i.upper().region())?))));
        if units.is_empty() {
            out.note(
                "PROC006",
                "an open reduction of a fracture is described without a cervical, thoracic or lumbar vertebra named with it: name the fractured vertebra to code 22325-22328",
                &t.evidence,
            );
            return;
        }
        let rvu = |c: &str| c.parse().ok().and_then(|h| input.data.pfs.get(h)).map(|r| r.work).unwrap_or_default();
        let Some(first) = units.iter().max_by(|a, b| rvu(a.1).cmp(&rvu(b.1))).cloned() else { return };
        out.line(
            first.1,
            1,
            "PROC006",
            format!("open treatment of the fracture at {}", first.0),
            &t.evidence,
            Confidence::High,
        );
        let rest: Vec<&str> = units.iter().filter(|u| u.0 != first.0).map(|u| u.0.as_str()).collect();
        if !rest.is_empty() {
            out.line(
                "22328",
                rest.len() as u32,
                "PROC006",
                format!("additional fractured vertebrae or dislocated segments {}", rest.join(", ")),
                &t.evidence,
                Confidence::High,
            );
        }
    },
};

/// PROC008 — Anterior fixation of an odontoid fracture: 22318 without bone graft, 22319 with it;
/// one unit.
///
/// ## Guideline
/// Open treatment or reduction of an odontoid fracture or dislocation (os odontoideum included)
/// from the front, with its internal fixation, is 22318, or 22319 when bone graft is placed.
/// NCCI pairs 22318 over the graft codes (there is no graft in it) and lists 22319 as a primary of
/// 20930–20939, so graft is coded with 22319 only (GRFT001). Both are 22326's column-two codes as
/// mutually exclusive: a posterior open treatment of C2 is not added. The screw in the dens is
/// the internal fixation the descriptor names: although NCCI's add-on file lists 22318 and
/// 22319 as primaries of 22840–22848, Interspace does not propose instrumentation for that
/// screw (the conservative reading) and says so in a note. MUE 1.
pub(crate) const ODONTOID: Rule = Rule {
    id: "PROC008",
    name: "anterior-odontoid-fracture-fixation",
    guideline: "Anterior open treatment of an odontoid fracture with internal fixation is 22318, or 22319 with bone graft; one unit; the dens screw is part of it",
    sources: &["U-DESC", "D-PTP", "D-AOC", "D-MUE"],
    apply: |input, out| {
        let Some(o) = &input.findings.odontoid_fixation else { return };
        let grafted = input.findings.grafts.iter().any(|g| g.kind != GraftKind::Synthetic);
        let (code, what) = if grafted {
            ("22319", "anterior fixation of the odontoid fracture, with bone graft")
        } else {
            ("22318", "anterior fixation of the odontoid fracture, without bone graft")
        };
        out.line(code, 1, "PROC008", what, &o.evidence, Confidence::High);
        out.note(
            "PROC008",
            format!("the screw across the odontoid fracture is the internal fixation {code} includes: no instrumentation code is proposed for it"),
            &o.evidence,
        );
    },
};

/// PROC009 — Three-column osteotomy: 22206 thoracic, 22207 lumbar for the first vertebral
/// segment, +22208 for each further one; other osteotomies are left to the coder.
///
/// ## Guideline
/// An osteotomy cut and removed to realign the spine is coded per vertebral segment by depth and
/// approach: three-column from behind (pedicle subtraction, vertebral column resection) 22206
/// thoracic, 22207 lumbar, +22208 each further segment; posterior column (Smith-Petersen, Ponte)
/// 22210–22214, +22216; anterior 22220–22224, +22226. The arthrodesis, instrumentation and graft
/// are reported with their own codes (NCCI's add-on file lists 22206 and 22207 as primaries of
/// the instrumentation add-ons). The decompression at the osteotomy is part of it: NCCI pairs
/// 22206 and 22207 over 63001–63066 (modifier indicator 1), so a decompression at the osteotomy's
/// vertebrae or those next to it is not proposed, and one beyond them takes XS. Which facet
/// resections count as a posterior-column osteotomy rather than the facetectomy of a fusion is
/// disputed (the compendium marks it unverified), so those, and a cervical three-column
/// osteotomy, get a note and no line.
pub(crate) const OSTEOTOMY: Rule = Rule {
    id: "PROC009",
    name: "three-column-osteotomy",
    guideline: "A posterior three-column osteotomy is 22206 (thoracic) or 22207 (lumbar) for the first vertebral segment, +22208 for each further one; decompression at its segments is included; other osteotomies are left to the coder",
    sources: &["U-DESC", "D-PTP", "D-AOC", "D-MUE"],
    apply: |input, out| {
        let f = input.findings;
        let Some(e) = &f.osteotomy else { return };
        let Some(o) = &f.three_column_osteotomy else {
            out.note(
                "PROC009",
                "osteotomies are described and not coded automatically: posterior column (Smith-Petersen, Ponte) 22210, 22212 or 22214 by region, +22216 per further segment; anterior 22220-22224, +22226; three-column 22206/22207, +22208. Only for realignment of a deformity, not the facetectomy of an interbody fusion; NCCI pairs laminectomy at the segment under them",
                e,
            );
            return;
        };
        let code = |v: &Vertebra| match v.region() {
            Region::Thoracic => Some("22206"),
            Region::Lumbar => Some("22207"),
            _ => None,
        };
        let coded: Vec<(&Vertebra, &str)> = o.vertebrae.iter().filter_map(|v| Some((v, code(v)?))).collect();
        if coded.len() < o.vertebrae.len() || coded.is_empty() {
            out.note(
                "PROC009",
                if o.vertebrae.is_empty() {
                    "a three-column osteotomy is described without its vertebra: name it to code 22206 (thoracic) or 22207 (lumbar)".to_string()
                } else {
                    format!("a three-column osteotomy of {} is outside the thoracic and lumbar spine: 22206-22208 do not apply; review (a cervical one is coded from 22210)", list(&o.vertebrae))
                },
                &o.evidence,
            );
        }
        let rvu = |c: &str| c.parse().ok().and_then(|h| input.data.pfs.get(h)).map(|r| r.work).unwrap_or_default();
        let Some(&(first, first_code)) = coded.iter().max_by(|a, b| rvu(a.1).cmp(&rvu(b.1))) else { return };
        out.line(first_code, 1, "PROC009", format!("three-column osteotomy of {first}"), &o.evidence, Confidence::High);
        let rest: Vec<Vertebra> = coded.iter().map(|c| *c.0).filter(|v| v != first).collect();
        if !rest.is_empty() {
            out.line(
                "22208",
                rest.len() as u32,
                "PROC009",
                format!("each further three-column osteotomy: {}", list(&rest)),
                &o.evidence,
                Confidence::High,
            );
        }
        // Decompression paired under the osteotomy: left out at its segments, XS beyond them.
        let near = |v: Vertebra| o.vertebrae.iter().any(|x| x.index().abs_diff(v.index()) <= 1);
        let beyond = f.decompressions.iter().any(|d| {
            let bounds = d.interspaces.iter().flat_map(|i| [i.upper(), i.lower()]);
            d.vertebrae.iter().copied().chain(bounds).any(|v| !near(v))
        });
        decompression_within(input, out, ("PROC009", first_code, "osteotomy"), "segments", beyond, &o.evidence);
    },
};

/// PROC007 — Open incision and drainage of a deep (subfascial) abscess of the posterior spine:
/// 22010 cervical or thoracic, 22015 lumbar or sacral, one unit.
///
/// ## Guideline
/// A deep wound infection washed out (irrigation and debridement beneath the fascia, typically of
/// a fusion wound at a return to the operating room, which then takes 78) is 22010 or 22015 by
/// region. An infection above the fascia is not these codes (10180 or debridement 11042–11047,
/// which Interspace does not code); a note that does not say how deep is left to the coder. A
/// collection inside the spinal canal reached by laminectomy is 63265–63268 (DCMP005). With the
/// hardware removed (22850, 22852) the drainage is their column-two code and is not proposed.
pub(crate) const DEEP_WOUND_DRAINAGE: Rule = Rule {
    id: "PROC007",
    name: "deep-posterior-spine-abscess-drainage",
    guideline: "Irrigation and debridement of a deep (subfascial) posterior spine wound infection is 22010 (cervical, thoracic) or 22015 (lumbar, sacral), one unit; above the fascia or unstated depth is left to the coder",
    sources: &["U-DESC", "D-PTP", "D-MUE"],
    apply: |input, out| {
        let Some(w) = &input.findings.wound_washout else { return };
        let code = match w.region {
            Some(Region::Occiput | Region::Cervical | Region::Thoracic) => "22010",
            Some(_) => "22015",
            None => {
                out.note(
                    "PROC007",
                    "a wound infection was washed out, but the note names no spinal level: 22010 (cervical, thoracic) or 22015 (lumbar, sacral) for a deep abscess; review",
                    &w.evidence,
                );
                return;
            }
        };
        // Hardware removed through the same wound is column one over the drainage (NCCI).
        let over =
            code.parse().ok().and_then(|c2| out.lines.iter().find(|l| input.data.ptp.active(l.code, c2).is_some()));
        if let (Some(true), Some(l)) = (w.deep, over) {
            out.note(
                "PROC007",
                format!(
                    "the deep wound washout ({code}) is not proposed: NCCI pairs it under {} as the column-two code; XS or 59 fits only when the abscess was drained at a separate site",
                    l.code
                ),
                &w.evidence,
            );
            return;
        }
        match w.deep {
            Some(true) => out.line(
                code,
                1,
                "PROC007",
                "irrigation and debridement of a deep (subfascial) wound infection of the posterior spine",
                &w.evidence,
                Confidence::High,
            ),
            Some(false) => out.note(
                "PROC007",
                format!(
                    "the wound infection washed out was above the fascia: {code} is for a deep (subfascial) abscess; a superficial one is 10180 or debridement (11042–11047), which Interspace does not code"
                ),
                &w.evidence,
            ),
            None => out.note(
                "PROC007",
                format!(
                    "a wound infection was washed out, but the note does not say whether beneath the fascia: {code} needs a deep (subfascial) abscess; document the depth, or code the superficial washout by hand"
                ),
                &w.evidence,
            ),
        }
    },
};

/// PROC012 — A dural tear repaired during the operation is part of it.
///
/// ## Guideline
/// Repair of a dural tear or cerebrospinal fluid leak is coded (63707, or 63709 through a
/// laminectomy) when the repair is the operation. A tear made during a spine procedure and
/// repaired in it is part of that procedure: NCCI pairs 63707 and 63709 as column-two codes under
/// the spine codes (modifier indicator 1, "misuse of column two code" or "standards of medical
/// practice"), so nothing is proposed and the note says under which of the proposed codes.
pub(crate) const DURAL_REPAIR: Rule = Rule {
    id: "PROC012",
    name: "dural-repair-included",
    guideline: "A dural tear repaired during a spine procedure is part of it (NCCI pairs 63707/63709 under the spine codes); a repair as its own operation is left to the coder",
    sources: &["D-PTP", "U-DESC"],
    apply: |input, out| {
        let Some(e) = &input.findings.durotomy else { return };
        let repairs: [Hcpcs; 2] = ["63707".parse().expect("a code"), "63709".parse().expect("a code")];
        let mut over: Vec<String> = out
            .lines
            .iter()
            .filter(|l| repairs.iter().any(|&r| input.data.ptp.active(l.code, r).is_some()))
            .map(|l| l.code.to_string())
            .collect();
        over.dedup();
        let message = if over.is_empty() {
            "a dural tear or its repair is described: 63707 (without laminectomy) or 63709 (with laminectomy) code a repair done as its own operation; a tear repaired within another procedure is part of it; review".to_string()
        } else {
            format!(
                "the repair of the dural tear is part of the procedure and is not coded: NCCI pairs 63707 and 63709 under {}",
                over.join(", ")
            )
        };
        out.note("PROC012", message, e);
    },
};

/// PROC013 — A spinal cord stimulator's paddle electrode placed through a laminotomy.
///
/// ## Guideline
/// The laminotomy or laminectomy that makes room for a paddle electrode is part of placing it
/// (63655, with the pulse generator 63685): it is not a decompression, and the findings leave it
/// out unless its sentence tells of neural structures decompressed. Stimulator codes
/// (63650–63688) are outside Interspace's code family, so none is proposed; the note says so.
pub(crate) const STIMULATOR_ELECTRODE: Rule = Rule {
    id: "PROC013",
    name: "stimulator-electrode-laminotomy",
    guideline: "A laminotomy to place a spinal cord stimulator's paddle electrode is part of 63655, not a decompression; stimulator codes are left to the coder",
    sources: &["U-DESC"],
    apply: |input, out| {
        let Some(e) = &input.findings.stimulator_electrode else { return };
        out.note(
            "PROC013",
            "a spinal cord stimulator electrode was placed: the laminotomy or laminectomy that makes room for a paddle electrode is part of its placement (63655; a percutaneous array 63650, the pulse generator 63685), not a decompression, and stimulator codes are outside Interspace's spine code family: code them by hand",
            e,
        );
    },
};
