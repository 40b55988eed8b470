//! ICD-10-PCS codes for an inpatient stay, built from the table axes.
//!
//! Fusion (root operation G) of vertebral joints uses table 0RG (occiput to the thoracolumbar
//! junction) or 0SG (lumbar, lumbosacral, sacroiliac). Characters: body part by region and number
//! of joints; approach (0 open); device A (interbody fusion device), 7 (autologous), K
//! (nonautologous), J (synthetic); qualifier 0 (anterior approach, anterior column), 1 (posterior
//! approach, posterior column), J (posterior approach, anterior column: PLIF, TLIF and the lateral
//! extracavitary route, which runs behind the transverse processes). Joints fused with a
//! different device or qualifier take separate codes (guideline B3.10b); a mix of autograft and
//! allograft is 7 (B3.10c); rods, screws and plates are not coded. Every code is looked up in
//! the FY2026 PCS table before it is proposed.

use std::collections::BTreeMap;

use interspace_notes::findings::{
    ArthroplastyAction, Decompression, DecompressionKind, Findings, FusionKind, GraftKind, InterbodyApproach,
    IntraspinalLesion, Side,
};
use interspace_notes::{Interspace, Region, Span};
use interspace_refdata::Dataset;

/// One proposed ICD-10-PCS code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PcsCode {
    pub code: String,
    pub title: String,
    /// Why: the joints or structures, and each axis chosen.
    pub rationale: String,
    /// `family (logic list)` of each MS-DRG logic list that holds the code, in the year's grouper.
    pub drg_families: Vec<String>,
    /// The code rests on a guideline the compendium marks unverified.
    pub verify: bool,
    pub evidence: Vec<Span>,
}

/// Body-part groups of vertebral joints, each with the characters 1–4 for one joint and for
/// several (`None` where the table has no multi-joint value).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum JointGroup {
    OccipitalCervical,
    Cervical,
    Cervicothoracic,
    Thoracic,
    Thoracolumbar,
    Lumbar,
    Lumbosacral,
}

fn group(i: Interspace) -> JointGroup {
    let u = i.upper().index();
    match u {
        0 => JointGroup::OccipitalCervical,
        1..=6 => JointGroup::Cervical,
        7 => JointGroup::Cervicothoracic,
        8..=18 => JointGroup::Thoracic,
        19 => JointGroup::Thoracolumbar,
        20..=23 => JointGroup::Lumbar,
        _ => JointGroup::Lumbosacral,
    }
}

/// Table and body-part value for a group and number of joints.
fn body_part(g: JointGroup, n: usize) -> (&'static str, char) {
    match g {
        JointGroup::OccipitalCervical => ("0RG", '0'),
        JointGroup::Cervical => ("0RG", if n == 1 { '1' } else { '2' }),
        JointGroup::Cervicothoracic => ("0RG", '4'),
        JointGroup::Thoracic => (
            "0RG",
            if n == 1 {
                '6'
            } else if n <= 7 {
                '7'
            } else {
                '8'
            },
        ),
        JointGroup::Thoracolumbar => ("0RG", 'A'),
        JointGroup::Lumbar => ("0SG", if n == 1 { '0' } else { '1' }),
        JointGroup::Lumbosacral => ("0SG", '3'),
    }
}

/// The graft device value for a fusion without an interbody device: autograft 7, allograft K,
/// synthetic or osteopromotive only J; a mix of autograft and allograft is 7 (B3.10c).
fn graft_device(f: &Findings) -> char {
    let auto = f.grafts.iter().any(|g| {
        matches!(
            g.kind,
            GraftKind::LocalAutograft
                | GraftKind::SeparateAutograftMorselized
                | GraftKind::SeparateAutograftStructural
                | GraftKind::BoneMarrowAspirate
        )
    });
    let allo =
        f.grafts.iter().any(|g| matches!(g.kind, GraftKind::MorselizedAllograft | GraftKind::StructuralAllograft));
    match (auto, allo) {
        (true, _) => '7',
        (false, true) => 'K',
        (false, false) => {
            if f.grafts.is_empty() {
                '7'
            } else {
                'J'
            }
        }
    }
}

fn lookup(data: &Dataset, code: &str, rationale: String, verify: bool, evidence: Vec<Span>) -> Option<PcsCode> {
    let c = data.icd10pcs.get(code)?;
    let drg_families = data.msdrg.families(code).iter().map(|f| f.to_string()).collect();
    Some(PcsCode { code: code.to_string(), title: c.title.to_string(), rationale, drg_families, verify, evidence })
}

/// A fusion code's grouping key: body-part group, device value and qualifier value.
type FusionKey = (JointGroup, char, char);

/// The PCS codes of the findings, in table order.
pub fn build(f: &Findings, data: &Dataset) -> Vec<PcsCode> {
    let mut out = Vec::new();
    // Fusions: group joints by (body-part group, device, qualifier).
    let mut groups: BTreeMap<FusionKey, (Vec<Interspace>, Vec<Span>)> = BTreeMap::new();
    for x in &f.fusions {
        let (device, qualifier) = match x.kind {
            FusionKind::Posterolateral => (graft_device(f), '1'),
            FusionKind::Interbody(a) => {
                let cage = f.devices.iter().any(|d| {
                    d.interspace == Some(x.interspace) && d.kind == interspace_notes::findings::DeviceKind::Cage
                });
                let device = if cage {
                    'A'
                } else if f.devices.iter().any(|d| d.interspace == Some(x.interspace)) {
                    'K'
                } else {
                    graft_device(f)
                };
                let qualifier = match a {
                    InterbodyApproach::Posterior
                    | InterbodyApproach::Transforaminal
                    | InterbodyApproach::LateralExtracavitary => 'J',
                    InterbodyApproach::Unknown if f.fusions.iter().any(|y| y.kind == FusionKind::Posterolateral) => 'J',
                    _ => '0',
                };
                (device, qualifier)
            }
        };
        let e = groups.entry((group(x.interspace), device, qualifier)).or_default();
        if !e.0.contains(&x.interspace) {
            e.0.push(x.interspace);
        }
        e.1.extend(x.evidence.iter().take(2).copied());
    }
    for ((g, device, qualifier), (is, evidence)) in groups {
        let (table, part) = body_part(g, is.len());
        let code = format!("{table}{part}0{device}{qualifier}");
        let joints = is.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let column = match qualifier {
            '0' => "anterior approach, anterior column",
            '1' => "posterior approach, posterior column",
            _ => "posterior approach, anterior column",
        };
        let what = match device {
            'A' => "interbody fusion device",
            '7' => "autologous tissue substitute",
            'K' => "nonautologous tissue substitute",
            _ => "synthetic substitute",
        };
        let rationale = format!("fusion of {joints}: {column}, {what}");
        if let Some(p) = lookup(data, &code, rationale, false, evidence) {
            out.push(p);
        }
    }
    // Sacroiliac fusion: right 0SG7, left 0SG8; percutaneous with internal fixation.
    for s in &f.si_fusions {
        let approach = if s.open { '0' } else { '3' };
        let sides: &[char] = match s.side {
            Side::Right => &['7'],
            Side::Left => &['8'],
            Side::Bilateral => &['7', '8'],
            Side::Unstated => &[],
        };
        for side in sides {
            let code = format!("0SG{side}{approach}4Z");
            if let Some(p) = lookup(
                data,
                &code,
                "sacroiliac joint fusion with internal fixation device".into(),
                false,
                s.evidence.clone(),
            ) {
                out.push(p);
            }
        }
    }
    // Disc arthroplasty: replacement of the disc with synthetic substitute.
    for a in f.arthroplasties.iter().filter(|a| a.action == ArthroplastyAction::Insertion) {
        let code = match group(a.interspace) {
            JointGroup::Lumbosacral => "0SR40JZ",
            JointGroup::Lumbar => "0SR20JZ",
            JointGroup::Thoracic | JointGroup::Thoracolumbar => "0RR90JZ",
            _ => "0RR30JZ",
        };
        if let Some(p) = lookup(
            data,
            code,
            format!("replacement of the {} disc with synthetic substitute", a.interspace),
            false,
            a.evidence.clone(),
        ) && !out.iter().any(|x: &PcsCode| x.code == p.code)
        {
            out.push(p);
        }
    }
    // An interlaminar or interspinous device without fusion: insertion of the interspinous-process
    // stabilization device (B) into the lumbar (0SH0) or lumbosacral (0SH3) joint, open or
    // percutaneous; one code per body-part value (B3.2). Inside a fusion the fusion codes stand.
    if let Some(d) = &f.interlaminar_devices {
        let approach = if d.percutaneous { '3' } else { '0' };
        let how = if d.percutaneous { "percutaneous" } else { "open" };
        let mut parts: BTreeMap<char, Vec<Interspace>> = BTreeMap::new();
        for &i in d.interspaces.iter().filter(|&&i| !f.fusions.iter().any(|x| x.interspace == i)) {
            match group(i) {
                JointGroup::Lumbar => parts.entry('0').or_default().push(i),
                JointGroup::Lumbosacral => parts.entry('3').or_default().push(i),
                _ => {}
            }
        }
        for (part, joints) in parts {
            let joints = joints.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            let what = format!("insertion of an interspinous process stabilization device at {joints}, {how}");
            if let Some(p) = lookup(data, &format!("0SH{part}{approach}BZ"), what, true, d.evidence.clone()) {
                out.push(p);
            }
        }
    }
    // Vertebral augmentation: supplement the vertebra with synthetic substitute, percutaneous.
    for a in &f.augmentations {
        let code = match a.vertebra.region() {
            Region::Cervical => "0PU33JZ",
            Region::Thoracic => "0PU43JZ",
            Region::Lumbar => "0QU03JZ",
            _ => "0QU13JZ",
        };
        if let Some(p) =
            lookup(data, code, format!("augmentation of {} with cement", a.vertebra), false, a.evidence.clone())
            && !out.iter().any(|x: &PcsCode| x.code == p.code)
        {
            out.push(p);
        }
    }
    // Open reduction of a fracture or dislocation: reposition of the vertebra (0PS3 cervical, 0PS4
    // thoracic, 0QS0 lumbar), open, with internal fixation when a posterior construct spans it;
    // one code per body-part value (B3.2).
    if let Some(t) = &f.fracture_treatment
        && !t.anterior
    {
        let at = t.vertebrae.iter().copied().chain(t.segments.iter().map(|i| i.upper()));
        for v in at {
            let fixed = f.constructs.iter().any(|c| c.from <= v && v <= c.to);
            let device = if fixed { '4' } else { 'Z' };
            let table = match v.region() {
                Region::Cervical => "0PS3",
                Region::Thoracic => "0PS4",
                Region::Lumbar => "0QS0",
                _ => continue,
            };
            let code = format!("{table}0{device}Z");
            let how = if fixed { "with the construct's internal fixation" } else { "no fixation device" };
            if !out.iter().any(|x: &PcsCode| x.code == code)
                && let Some(p) = lookup(
                    data,
                    &code,
                    format!("reposition of the fractured {v}, open, {how}"),
                    true,
                    t.evidence.clone(),
                )
            {
                out.push(p);
            }
        }
    }
    // An odontoid fracture fixed from the front: reposition of C2 with its screw when the note
    // says it was reduced, else insertion of the screw into the vertebra (guideline B3.15: a
    // nondisplaced fracture is coded to the procedure performed).
    if let Some(o) = &f.odontoid_fixation {
        let (code, what) = if o.reduced {
            ("0PS304Z", "reposition of the odontoid fracture of C2, open, with the screw as internal fixation")
        } else {
            ("0PH304Z", "insertion of the screw into C2 across the odontoid fracture, open (not said to be reduced)")
        };
        if let Some(p) = lookup(data, code, what.to_string(), true, o.evidence.clone()) {
            out.push(p);
        }
    }
    // An epidural abscess drained (Drainage) or haematoma evacuated (Extirpation of matter) from
    // the spinal canal, the body part of the spinal epidural space; the laminectomy that reached it
    // is the approach, not a release of its own.
    let lesion = f.lesion_removed.as_ref().and_then(|l| match l.lesion {
        IntraspinalLesion::EpiduralAbscess => {
            Some(("009U0ZZ", "drainage of an epidural abscess from the spinal canal", l))
        }
        IntraspinalLesion::EpiduralHematoma => {
            Some(("00CU0ZZ", "extirpation (evacuation) of an epidural hematoma from the spinal canal", l))
        }
        _ => None,
    });
    let posterior_approach = |d: &Decompression| {
        lesion.is_some() && matches!(d.kind, DecompressionKind::Laminectomy | DecompressionKind::Laminotomy)
    };
    if let Some((code, what, l)) = lesion
        && (f.decompressions.iter().any(posterior_approach) || f.return_to_or.is_some())
        && let Some(p) = lookup(data, code, what.to_string(), true, l.evidence.clone())
    {
        out.push(p);
    }
    // Decompression for neural compression: release of the spinal cord or nerves by region.
    for d in f.decompressions.iter().filter(|d| !posterior_approach(d)) {
        let region = d.vertebrae.first().map(|v| v.region()).or_else(|| d.interspaces.first().map(|i| i.region()));
        let nerves = matches!(
            d.kind,
            DecompressionKind::Laminotomy | DecompressionKind::Foraminotomy | DecompressionKind::Discectomy
        );
        let code = match (region, nerves) {
            (Some(Region::Cervical), false) => "00NW0ZZ",
            (Some(Region::Thoracic), false) => "00NX0ZZ",
            (Some(Region::Lumbar | Region::Sacral), false) => "00NY0ZZ",
            (Some(Region::Cervical), true) => "01N10ZZ",
            (Some(Region::Thoracic), true) => "01N80ZZ",
            (Some(Region::Lumbar | Region::Sacral), true) => "01NB0ZZ",
            _ => continue,
        };
        let what = if nerves { "release of the nerve roots" } else { "release of the spinal cord / cauda equina" };
        // Through an endoscope the approach is percutaneous endoscopic (4), not open (0).
        let (code, how) = match &f.endoscopic {
            Some(_) => (format!("{}4{}", &code[..4], &code[5..]), ", through an endoscope"),
            None => (code.to_string(), ""),
        };
        if let Some(p) = lookup(
            data,
            &code,
            format!("{what} (decompression for neural compression, not access to the fusion){how}"),
            true,
            d.evidence.clone(),
        ) && !out.iter().any(|x: &PcsCode| x.code == p.code)
        {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_parts_follow_the_tables() {
        let l = |u: u8| Interspace::below(interspace_notes::Vertebra::from_index(u).unwrap()).unwrap();
        assert_eq!(body_part(group(l(23)), 1), ("0SG", '0')); // L4-L5
        assert_eq!(body_part(group(l(24)), 1), ("0SG", '3')); // L5-S1
        assert_eq!(body_part(group(l(22)), 2), ("0SG", '1'));
        assert_eq!(body_part(group(l(5)), 2), ("0RG", '2')); // C5-C6 + another
        assert_eq!(body_part(group(l(7)), 1), ("0RG", '4')); // C7-T1
        assert_eq!(body_part(group(l(19)), 1), ("0RG", 'A')); // T12-L1
        assert_eq!(body_part(group(l(10)), 8), ("0RG", '8'));
    }
}
