//! The analysis report: the stable JSON shape of `interspace analyze --json` and
//! `POST /api/v1/analyze`. Field names and meanings are documented in `docs/REPORT.md`; engine
//! types are converted here and nowhere else.

use std::borrow::Cow;

use interspace_coding::Proposal;
use interspace_knowledge::Knowledge;
use interspace_notes::findings::{ConstructSide, DecompressionKind, Findings, FusionKind, GraftKind, Side, Source};
use interspace_notes::{Document, Span};
use interspace_pricing::PricedClaim;
use rust_decimal::Decimal;
use serde::Serialize;

/// The schema id; bumped on incompatible changes.
pub const SCHEMA: &str = "interspace.report/1";

/// A quoted span of the note.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FusionView {
    pub interspace: String,
    pub technique: String,
    pub source: &'static str,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DecompressionView {
    pub kind: &'static str,
    pub levels: Vec<String>,
    pub side: &'static str,
    pub source: &'static str,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ConstructView {
    pub side: &'static str,
    pub from: String,
    pub to: String,
    pub segments: u8,
    pub segmental: bool,
    pub pelvic: bool,
    /// The span was inferred from the fused levels rather than named.
    pub inferred: bool,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DeviceView {
    pub kind: &'static str,
    pub location: String,
    pub integral_fixation: bool,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ItemView {
    // Most kinds are fixed words (no allocation); a few are written out with their levels.
    #[schema(value_type = String)]
    pub kind: Cow<'static, str>,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FindingsView {
    pub fusions: Vec<FusionView>,
    pub decompressions: Vec<DecompressionView>,
    pub constructs: Vec<ConstructView>,
    pub devices: Vec<DeviceView>,
    pub grafts: Vec<ItemView>,
    /// Corpectomies, arthroplasties, interlaminar devices, vertebral body tethers, augmentations, SI
    /// fusions, removals, fracture treatment, exploration, osteotomies, stimulator electrodes.
    pub other_procedures: Vec<ItemView>,
    /// Navigation, microscope, neuromonitoring, fluoroscopy, co-surgeon, assistant, return to OR,
    /// deformity, dural tear.
    pub adjuncts: Vec<ItemView>,
    pub approaches: Vec<&'static str>,
    pub diagnoses: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LineView {
    pub code: String,
    pub modifiers: Vec<String>,
    pub units: u32,
    /// `CODE[-MOD…][xUNITS]`.
    pub token: String,
    pub rule: &'static str,
    pub rule_name: &'static str,
    pub rationale: String,
    pub confidence: &'static str,
    /// Plain-language name of the code, from the knowledge base.
    pub name: Option<String>,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PcsView {
    pub code: String,
    pub title: String,
    pub rationale: String,
    pub drg_families: Vec<String>,
    pub verify: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GapView {
    pub element: String,
    pub label: String,
    pub why: String,
    pub template: String,
    pub codes: Vec<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NoteView {
    pub rule: &'static str,
    pub message: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PricedLineView {
    pub token: String,
    pub fee_schedule: Option<Decimal>,
    pub allowed: Decimal,
    pub not_paid: Option<String>,
    pub adjustments: Vec<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PriceView {
    pub year: i16,
    pub locality: Option<String>,
    pub setting: &'static str,
    pub conversion_factor: Decimal,
    pub total: Decimal,
    pub lines: Vec<PricedLineView>,
    pub caveats: Vec<String>,
}

/// The whole report.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub schema: &'static str,
    pub year: i16,
    pub findings: FindingsView,
    pub lines: Vec<LineView>,
    pub pcs: Vec<PcsView>,
    pub gaps: Vec<GapView>,
    pub notes: Vec<NoteView>,
    pub price: PriceView,
}

impl Report {
    /// The proposed codes as `CODE[-MOD…][xUNITS]` tokens.
    pub fn tokens(&self) -> Vec<String> {
        self.lines.iter().map(|l| l.token.clone()).collect()
    }
}

fn ev(doc: &Document<'_>, spans: &[Span]) -> Vec<Evidence> {
    let text = doc.text();
    // Most evidence comes sorted and without repeats (`M::evidence` makes it so): copied and
    // sorted only when it is not.
    let sorted: Vec<Span>;
    let spans = if spans.is_sorted_by(|a, b| a < b) {
        spans
    } else {
        let mut copy = spans.to_vec();
        copy.sort();
        copy.dedup();
        sorted = copy;
        &sorted
    };
    // Sized up front: a collect through the filter would grow the vector from empty.
    let mut evidence = Vec::with_capacity(spans.len());
    evidence.extend(
        spans
            .iter()
            .filter(|s| {
                s.start <= s.end
                    && s.end <= text.len()
                    && text.is_char_boundary(s.start)
                    && text.is_char_boundary(s.end)
            })
            .map(|s| Evidence { start: s.start, end: s.end, text: text[s.start..s.end].to_string() }),
    );
    evidence
}

fn source(s: Source) -> &'static str {
    match s {
        Source::Header => "header",
        Source::Narrative => "narrative",
    }
}

fn side(s: Side) -> &'static str {
    match s {
        Side::Left => "left",
        Side::Right => "right",
        Side::Bilateral => "bilateral",
        Side::Unstated => "unstated",
    }
}

fn findings_view(doc: &Document<'_>, f: &Findings) -> FindingsView {
    let item = |kind: &'static str, spans: &Option<Vec<Span>>| {
        spans.as_ref().map(|s| ItemView { kind: Cow::Borrowed(kind), evidence: ev(doc, s) })
    };
    let mut other = Vec::new();
    for c in &f.corpectomies {
        let v: Vec<String> = c.vertebrae.iter().map(ToString::to_string).collect();
        other.push(ItemView { kind: format!("corpectomy {}", v.join(" ")).into(), evidence: ev(doc, &c.evidence) });
    }
    for a in &f.arthroplasties {
        other.push(ItemView {
            kind: format!("arthroplasty {:?} {}", a.action, a.interspace).to_lowercase().into(),
            evidence: ev(doc, &a.evidence),
        });
    }
    if let Some(d) = &f.interlaminar_devices {
        let mut kind = String::from("interlaminar device");
        for i in &d.interspaces {
            kind.push_str(&format!(" {i}"));
        }
        if d.percutaneous {
            kind.push_str(" (percutaneous)");
        }
        other.push(ItemView { kind: kind.into(), evidence: ev(doc, &d.evidence) });
    }
    if let Some(t) = &f.tethering {
        let mut kind = String::from(if t.revision { "vertebral body tether revised" } else { "vertebral body tether" });
        if let (Some(a), Some(b)) = (t.vertebrae.first(), t.vertebrae.last()) {
            kind.push_str(&format!(" {a} to {b}"));
        }
        other.push(ItemView { kind: kind.into(), evidence: ev(doc, &t.evidence) });
    }
    for a in &f.augmentations {
        other.push(ItemView {
            kind: format!("{} {}", if a.cavity { "kyphoplasty" } else { "vertebroplasty" }, a.vertebra).into(),
            evidence: ev(doc, &a.evidence),
        });
    }
    for s in &f.si_fusions {
        other.push(ItemView {
            kind: format!(
                "sacroiliac fusion {} ({})",
                side(s.side),
                if s.open { "open" } else { "minimally invasive" }
            )
            .into(),
            evidence: ev(doc, &s.evidence),
        });
    }
    for r in &f.removals {
        let v: Vec<String> = r.vertebrae.iter().map(ToString::to_string).collect();
        let where_ = if r.side == ConstructSide::Anterior { "anterior" } else { "posterior" };
        other.push(ItemView {
            kind: format!("removal of {where_} instrumentation {}", v.join(" ")).trim_end().to_string().into(),
            evidence: ev(doc, &r.evidence),
        });
    }
    if let Some(t) = &f.fracture_treatment {
        let mut at: Vec<String> = t.vertebrae.iter().map(ToString::to_string).collect();
        at.extend(t.segments.iter().map(|i| format!("{i} (dislocation)")));
        other.push(ItemView {
            kind: format!("open treatment of fracture {}", at.join(" ")).trim_end().to_string().into(),
            evidence: ev(doc, &t.evidence),
        });
    }
    if let Some(o) = &f.odontoid_fixation {
        let how = if o.reduced { "reduced and fixed" } else { "fixed" };
        other.push(ItemView {
            kind: format!("odontoid fracture {how} with a screw from the front").into(),
            evidence: ev(doc, &o.evidence),
        });
    }
    other.extend(item("exploration of fusion", &f.exploration));
    other.extend(item("osteotomy", &f.osteotomy));
    other.extend(item("spinal cord stimulator electrode", &f.stimulator_electrode));
    let mut adjuncts = Vec::new();
    for (name, e) in [
        ("navigation", &f.navigation),
        ("operating microscope", &f.microscope),
        ("neuromonitoring", &f.neuromonitoring),
        ("fluoroscopy", &f.fluoroscopy),
        ("co-surgeon", &f.co_surgeon),
        ("assistant", &f.assistant),
        ("return to the operating room", &f.return_to_or),
        ("deformity", &f.deformity),
        ("dural tear repaired", &f.durotomy),
    ] {
        adjuncts.extend(item(name, e));
    }
    FindingsView {
        fusions: f
            .fusions
            .iter()
            .map(|x| FusionView {
                interspace: x.interspace.to_string(),
                technique: match x.kind {
                    FusionKind::Interbody(a) => format!("{} interbody", a.name()),
                    FusionKind::Posterolateral => "posterolateral".into(),
                },
                source: source(x.source),
                evidence: ev(doc, &x.evidence),
            })
            .collect(),
        decompressions: f
            .decompressions
            .iter()
            .map(|d| DecompressionView {
                kind: match d.kind {
                    DecompressionKind::Laminectomy => "laminectomy",
                    DecompressionKind::Laminotomy => "laminotomy",
                    DecompressionKind::Foraminotomy => "foraminotomy",
                    DecompressionKind::Discectomy => "discectomy",
                    DecompressionKind::AnteriorDiscectomy => "anterior discectomy",
                    DecompressionKind::Laminoplasty => "laminoplasty",
                    DecompressionKind::Unspecified => "decompression",
                },
                levels: d
                    .vertebrae
                    .iter()
                    .map(ToString::to_string)
                    .chain(d.interspaces.iter().map(ToString::to_string))
                    .collect(),
                side: side(d.side),
                source: source(d.source),
                evidence: ev(doc, &d.evidence),
            })
            .collect(),
        constructs: f
            .constructs
            .iter()
            .map(|c| ConstructView {
                side: if c.side == ConstructSide::Anterior { "anterior" } else { "posterior" },
                from: c.from.to_string(),
                to: c.to.to_string(),
                segments: c.segments(),
                segmental: c.is_segmental(),
                pelvic: c.pelvic,
                inferred: c.inferred,
                evidence: ev(doc, &c.evidence),
            })
            .collect(),
        devices: f
            .devices
            .iter()
            .map(|d| DeviceView {
                kind: match d.kind {
                    interspace_notes::findings::DeviceKind::Cage => "cage",
                    interspace_notes::findings::DeviceKind::StructuralAllograft => "structural allograft",
                },
                location: match (d.interspace, d.corpectomy) {
                    (Some(i), _) => i.to_string(),
                    (None, Some((a, b))) => format!("corpectomy defect {a}-{b}"),
                    _ => "unspecified".into(),
                },
                integral_fixation: d.integral_fixation,
                evidence: ev(doc, &d.evidence),
            })
            .collect(),
        grafts: f
            .grafts
            .iter()
            .map(|g| ItemView {
                kind: match g.kind {
                    GraftKind::LocalAutograft => "local autograft",
                    GraftKind::SeparateAutograftMorselized => "morselized autograft, separate incision",
                    GraftKind::SeparateAutograftStructural => "structural autograft, separate incision",
                    GraftKind::MorselizedAllograft => "morselized allograft",
                    GraftKind::Osteopromotive => "osteopromotive material (DBM/BMP)",
                    GraftKind::StructuralAllograft => "structural allograft",
                    GraftKind::BoneMarrowAspirate => "bone marrow aspirate",
                    GraftKind::Synthetic => "synthetic substitute",
                }
                .into(),
                evidence: ev(doc, &g.evidence),
            })
            .collect(),
        other_procedures: other,
        adjuncts,
        approaches: f.approaches.iter().map(|(a, _)| *a).collect(),
        diagnoses: f.diagnoses.iter().map(|(d, _)| *d).collect(),
    }
}

/// Converts the engine's results into the report, moving their text into it.
pub(crate) fn build(doc: &Document<'_>, f: &Findings, p: Proposal, priced: PricedClaim, k: &Knowledge) -> Report {
    let lines = p
        .lines
        .into_iter()
        .map(|l| LineView {
            code: l.code.to_string(),
            modifiers: l.modifiers.iter().map(ToString::to_string).collect(),
            units: l.units,
            token: l.token(),
            rule: l.rule,
            rule_name: interspace_coding::rules::rule(l.rule).map_or("", |r| r.name),
            confidence: l.confidence.name(),
            name: k.code(l.code).map(|c| c.name.clone()),
            evidence: ev(doc, &l.evidence),
            rationale: l.rationale,
        })
        .collect();
    Report {
        schema: SCHEMA,
        year: priced.year,
        findings: findings_view(doc, f),
        lines,
        pcs: p
            .pcs
            .into_iter()
            .map(|c| PcsView {
                code: c.code,
                title: c.title,
                rationale: c.rationale,
                drg_families: c.drg_families,
                verify: c.verify,
            })
            .collect(),
        gaps: p
            .gaps
            .into_iter()
            .map(|g| GapView { element: g.element, label: g.label, why: g.why, template: g.template, codes: g.codes })
            .collect(),
        notes: p.notes.into_iter().map(|n| NoteView { rule: n.rule, message: n.message }).collect(),
        price: PriceView {
            year: priced.year,
            locality: priced.locality.as_ref().map(|l| l.id.to_string()),
            setting: priced.setting.name(),
            conversion_factor: priced.conversion_factor,
            total: priced.total,
            lines: priced
                .lines
                .into_iter()
                .map(|l| PricedLineView {
                    token: l.line.to_string(),
                    fee_schedule: l.fee_schedule,
                    allowed: l.allowed,
                    not_paid: l.not_paid,
                    adjustments: l
                        .adjustments
                        .iter()
                        .filter(|a| a.step != interspace_pricing::Step::FeeSchedule)
                        .map(|a| a.description.to_string())
                        .collect(),
                })
                .collect(),
            caveats: priced.caveats,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Evidence reads in order of position, once per span, with spans the text cannot hold dropped,
    /// whether the spans came sorted or not.
    #[test]
    fn evidence_is_in_order_without_repeats() {
        let doc = Document::parse("TLIF at L4-5. Pedicle screws.", interspace_notes::Lexicon::embedded());
        let texts = |spans: &[Span]| ev(&doc, spans).into_iter().map(|e| e.text).collect::<Vec<_>>();
        let (tlif, level, screws) = (Span::new(0, 4), Span::new(8, 12), Span::new(14, 28));
        assert_eq!(texts(&[tlif, level, screws]), ["TLIF", "L4-5", "Pedicle screws"]);
        assert_eq!(texts(&[screws, tlif, level, tlif]), ["TLIF", "L4-5", "Pedicle screws"]);
        assert_eq!(texts(&[tlif, Span::new(20, 99)]), ["TLIF"]);
    }
}
