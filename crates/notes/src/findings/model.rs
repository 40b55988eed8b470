//! The procedure model: what was done, where, with which devices, with the evidence for each
//! fact. Levels are [`Interspace`]s for disc-space work and [`Vertebra`]s for bone work.

use crate::level::{Interspace, Region, Vertebra};
use crate::text::Span;

/// Where in the note a fact was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// The procedure list of the header (PROCEDURES PERFORMED).
    Header,
    /// The operative narrative and other sections.
    Narrative,
}

/// The approach of an interbody fusion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InterbodyApproach {
    /// Anterior lumbar or thoracic (ALIF, retroperitoneal, transperitoneal).
    Anterior,
    /// Lateral transpsoas (XLIF, LLIF, DLIF).
    Lateral,
    /// Oblique, in front of the psoas (OLIF, ATP).
    Oblique,
    /// Anterior cervical discectomy and fusion.
    AnteriorCervical,
    /// Posterior interbody (PLIF).
    Posterior,
    /// Transforaminal (TLIF).
    Transforaminal,
    /// Presacral (AxiaLIF).
    Presacral,
    /// Lateral extracavitary.
    LateralExtracavitary,
    /// Interbody fusion whose approach the note does not make clear.
    Unknown,
}

impl InterbodyApproach {
    /// Whether the disc space was reached from behind.
    pub fn is_posterior(self) -> bool {
        matches!(self, InterbodyApproach::Posterior | InterbodyApproach::Transforaminal)
    }

    /// Whether the disc space was reached from the front or side.
    pub fn is_anterior(self) -> bool {
        matches!(
            self,
            InterbodyApproach::Anterior
                | InterbodyApproach::Lateral
                | InterbodyApproach::Oblique
                | InterbodyApproach::AnteriorCervical
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            InterbodyApproach::Anterior => "anterior",
            InterbodyApproach::Lateral => "lateral transpsoas",
            InterbodyApproach::Oblique => "oblique",
            InterbodyApproach::AnteriorCervical => "anterior cervical",
            InterbodyApproach::Posterior => "posterior",
            InterbodyApproach::Transforaminal => "transforaminal",
            InterbodyApproach::Presacral => "presacral",
            InterbodyApproach::LateralExtracavitary => "lateral extracavitary",
            InterbodyApproach::Unknown => "unspecified",
        }
    }
}

/// A fusion technique at one interspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FusionKind {
    /// Graft in the disc space.
    Interbody(InterbodyApproach),
    /// Graft over the decorticated transverse processes, facets, lateral masses or laminae.
    Posterolateral,
}

/// One fusion technique at one interspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fusion {
    pub interspace: Interspace,
    pub kind: FusionKind,
    pub source: Source,
    /// Named with its own level (not carried over from an earlier sentence, not inferred from a cage).
    pub explicit: bool,
    pub evidence: Vec<Span>,
}

/// The kind of a decompression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DecompressionKind {
    /// Complete laminectomy, with or without facetectomy and foraminotomy.
    Laminectomy,
    /// Laminotomy or hemilaminectomy, with or without discectomy (one side of one interspace).
    Laminotomy,
    /// Foraminotomy alone.
    Foraminotomy,
    /// Posterior discectomy for a herniation.
    Discectomy,
    /// Anterior discectomy with decompression, no fusion.
    AnteriorDiscectomy,
    Laminoplasty,
    /// A decompression the note does not describe further.
    Unspecified,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Left,
    Right,
    Bilateral,
    Unstated,
}

/// A decompression of neural elements (not the bone removed only to reach a disc space).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decompression {
    pub kind: DecompressionKind,
    /// Vertebrae whose laminae were named.
    pub vertebrae: Vec<Vertebra>,
    /// Interspace levels named.
    pub interspaces: Vec<Interspace>,
    pub side: Side,
    /// Facetectomy or foraminotomy was part of it.
    pub with_facetectomy_or_foraminotomy: bool,
    pub source: Source,
    /// Named with its own level (not carried over from an earlier sentence).
    pub explicit: bool,
    pub evidence: Vec<Span>,
    /// Each mention merged into this decompression, with its own levels and quotes: a coded line
    /// quotes the mentions at its levels.
    pub parts: Vec<DecompressionPart>,
}

/// One mention of a decompression: the levels it named and its quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecompressionPart {
    pub vertebrae: Vec<Vertebra>,
    pub interspaces: Vec<Interspace>,
    pub evidence: Vec<Span>,
}

/// An open treatment of vertebral fractures or dislocations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FractureTreatment {
    /// Fractured vertebrae named with the reduction.
    pub vertebrae: Vec<Vertebra>,
    /// Dislocated segments named with the reduction, one interspace each.
    pub segments: Vec<Interspace>,
    /// The operation reached the spine only from the front.
    pub anterior: bool,
    pub evidence: Vec<Span>,
}

/// A three-column osteotomy: a wedge through all three columns of the vertebrae named with it
/// ("L3 pedicle subtraction osteotomy"), none named when the note gives no vertebra.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreeColumnOsteotomy {
    pub vertebrae: Vec<Vertebra>,
    pub evidence: Evidence,
}

/// A screw placed into the dens from the front for an odontoid fracture or os odontoideum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OdontoidFixation {
    /// The note says the fracture or dislocation was reduced (a reposition), not fixed in place.
    pub reduced: bool,
    pub evidence: Evidence,
}

/// Where instrumentation sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConstructSide {
    Posterior,
    Anterior,
}

/// An instrumentation construct placed in this operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Construct {
    pub side: ConstructSide,
    /// Top and bottom vertebra of the construct (the occiput counts as the top when fixed).
    pub from: Vertebra,
    pub to: Vertebra,
    /// Vertebrae the note says carry an anchor (screw, hook, wire).
    pub anchored: Vec<Vertebra>,
    /// Anchors in the ilium (iliac or S2-alar-iliac screws).
    pub pelvic: bool,
    /// The span was inferred from the fused levels, not named.
    pub inferred: bool,
    pub evidence: Vec<Span>,
}

impl Construct {
    /// Vertebral segments spanned, both ends included; the occiput is not a vertebra.
    pub fn segments(&self) -> u8 {
        let from = self.from.index().max(1);
        self.to.index().saturating_sub(from) + 1
    }

    /// Fixed to at least one vertebra between its ends.
    pub fn is_segmental(&self) -> bool {
        if self.segments() < 3 {
            return false;
        }
        if self.anchored.len() < 2 {
            // Only a span was named ("pedicle screw instrumentation L3-L5"): modern constructs
            // anchor every vertebra.
            return true;
        }
        self.anchored.iter().any(|v| *v > self.from && *v < self.to)
    }
}

/// What sits in a disc space or corpectomy defect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeviceKind {
    /// A synthetic cage or spacer (PEEK, titanium).
    Cage,
    /// A structural allograft spacer (a bone graft, not a device).
    StructuralAllograft,
}

/// An interbody device in one interspace, or in a corpectomy defect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub kind: DeviceKind,
    pub interspace: Option<Interspace>,
    /// In a corpectomy defect spanning these vertebrae.
    pub corpectomy: Option<(Vertebra, Vertebra)>,
    pub integral_fixation: bool,
    pub evidence: Vec<Span>,
}

/// Bone graft used in this operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GraftKind {
    /// Bone from the operative field.
    LocalAutograft,
    /// Morselized autograft harvested through a separate incision (iliac crest).
    SeparateAutograftMorselized,
    /// Structural (tricortical) autograft through a separate incision.
    SeparateAutograftStructural,
    /// Morselized allograft chips.
    MorselizedAllograft,
    /// Osteopromotive material (DBM, BMP).
    Osteopromotive,
    /// Structural allograft (counted once per session, whatever the pieces).
    StructuralAllograft,
    /// Bone marrow aspirated through a separate incision.
    BoneMarrowAspirate,
    /// Synthetic substitutes (ceramics): no CPT graft code.
    Synthetic,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Graft {
    pub kind: GraftKind,
    pub evidence: Vec<Span>,
}

/// Vertebral bodies removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corpectomy {
    pub vertebrae: Vec<Vertebra>,
    pub anterior: bool,
    pub evidence: Vec<Span>,
}

/// What was done to an artificial disc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArthroplastyAction {
    Insertion,
    Revision,
    Removal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arthroplasty {
    pub interspace: Interspace,
    pub action: ArthroplastyAction,
    pub evidence: Vec<Span>,
}

/// Interlaminar or interspinous devices placed without a fusion (coflex, Superion), by the
/// interspaces they sit at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterlaminarDevices {
    pub interspaces: Vec<Interspace>,
    /// Placed through a puncture or a small incision (a cannula), not an open exposure.
    pub percutaneous: bool,
    pub evidence: Vec<Span>,
}

/// A vertebral body tether: screws in the vertebral bodies joined by a tensioned cord, no fusion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tethering {
    /// The vertebrae the tether is anchored in.
    pub vertebrae: Vec<Vertebra>,
    /// An earlier tether revised, replaced or removed.
    pub revision: bool,
    pub evidence: Vec<Span>,
}

/// Vertebroplasty or augmentation of one vertebral body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Augmentation {
    pub vertebra: Vertebra,
    /// A cavity was created (kyphoplasty) before the cement.
    pub cavity: bool,
    pub evidence: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiFusion {
    pub side: Side,
    /// Open arthrodesis rather than a percutaneous transfixing device.
    pub open: bool,
    pub evidence: Vec<Span>,
}

/// Instrumentation taken out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    pub side: ConstructSide,
    pub vertebrae: Vec<Vertebra>,
    pub evidence: Vec<Span>,
}

/// A fact with only evidence (navigation used, co-surgeon present, …).
pub type Evidence = Vec<Span>;

/// A disagreement between the header's procedure list and the narrative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discrepancy {
    pub what: &'static str,
    pub header: String,
    pub narrative: String,
    pub evidence: Vec<Span>,
}

/// What a lesion in the spinal canal was. Abscesses and haematomas are the non-neoplastic
/// extradural lesions of 63265–63268; a synovial cyst is read either way by coders, and tumours
/// have codes of their own (63275–63290).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntraspinalLesion {
    EpiduralAbscess,
    EpiduralHematoma,
    SynovialCyst,
    Neoplasm,
}

impl IntraspinalLesion {
    pub fn name(self) -> &'static str {
        match self {
            IntraspinalLesion::EpiduralAbscess => "epidural abscess",
            IntraspinalLesion::EpiduralHematoma => "epidural hematoma",
            IntraspinalLesion::SynovialCyst => "synovial cyst",
            IntraspinalLesion::Neoplasm => "tumor",
        }
    }
}

/// An infected wound of the posterior spine opened, irrigated and debrided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WoundWashout {
    /// The note puts the infection beneath the fascia (`Some(true)`), above it (`Some(false)`),
    /// or does not say.
    pub deep: Option<bool>,
    /// The region most of the note's levels are in.
    pub region: Option<Region>,
    pub evidence: Evidence,
}

/// A lesion in the spinal canal drained, evacuated or excised, as a procedure sentence says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LesionRemoval {
    pub lesion: IntraspinalLesion,
    /// The region of the first level named with it, else the note's.
    pub region: Option<Region>,
    pub evidence: Evidence,
}

/// Everything the note says was done in this operation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub fusions: Vec<Fusion>,
    pub decompressions: Vec<Decompression>,
    pub constructs: Vec<Construct>,
    pub devices: Vec<Device>,
    pub grafts: Vec<Graft>,
    /// Iliac crest bone harvested "through the same incision": not a separate-incision graft.
    pub iliac_same_incision: Option<Evidence>,
    pub corpectomies: Vec<Corpectomy>,
    pub arthroplasties: Vec<Arthroplasty>,
    /// Lumbar interspaces whose disc was taken out from outside the foramen or through the facet
    /// (a far-lateral discectomy), not through a laminotomy.
    pub extraforaminal: Vec<Interspace>,
    /// A vertebral body tether (22836-22838).
    pub tethering: Option<Tethering>,
    /// Interlaminar or interspinous stabilization devices (22867-22870).
    pub interlaminar_devices: Option<InterlaminarDevices>,
    pub augmentations: Vec<Augmentation>,
    pub si_fusions: Vec<SiFusion>,
    pub removals: Vec<Removal>,
    /// Vertebrae whose anchors were taken out and replaced, with no new construct (reinsertion).
    pub reinserted: Vec<Vertebra>,
    pub exploration: Option<Evidence>,
    /// Lumbar vertebrae whose loose lamina was removed in a Gill-type laminectomy for
    /// spondylolisthesis.
    pub gill: Vec<Vertebra>,
    /// A laminotomy or discectomy at a previously operated interspace (re-exploration, revision,
    /// recurrent herniation) without fusion.
    pub reexploration: Option<Evidence>,
    pub navigation: Option<Evidence>,
    pub microscope: Option<Evidence>,
    /// The decompression or discectomy was done through an endoscope.
    pub endoscopic: Option<Evidence>,
    pub neuromonitoring: Option<Evidence>,
    pub fluoroscopy: Option<Evidence>,
    pub co_surgeon: Option<Evidence>,
    pub assistant: Option<Evidence>,
    pub return_to_or: Option<Evidence>,
    pub complication: Option<Evidence>,
    /// A dural tear (incidental or made) and its repair.
    pub durotomy: Option<Evidence>,
    /// A spinal cord stimulator's electrode placed (its laminotomy is no decompression).
    pub stimulator_electrode: Option<Evidence>,
    /// A lesion in the spinal canal that the operation drained or removed (an epidural abscess or
    /// haematoma, a synovial cyst, a tumour).
    pub lesion_removed: Option<LesionRemoval>,
    /// An infected wound washed out (irrigation and debridement).
    pub wound_washout: Option<WoundWashout>,
    /// A deformity (scoliosis, kyphosis) diagnosed or corrected.
    pub deformity: Option<Evidence>,
    /// Osteotomies mentioned (reported for review).
    pub osteotomy: Option<Evidence>,
    /// Three-column osteotomies (pedicle subtraction, vertebral column resection), by vertebra.
    pub three_column_osteotomy: Option<ThreeColumnOsteotomy>,
    /// Open treatment (reduction) of a vertebral fracture or dislocation.
    pub fracture_treatment: Option<FractureTreatment>,
    /// Anterior screw fixation of an odontoid fracture or os odontoideum.
    pub odontoid_fixation: Option<OdontoidFixation>,
    /// Plates, wires or graft holding a laminoplasty open.
    pub laminoplasty_fixation: Option<Evidence>,
    /// The fusion was done without instrumentation, as the note says.
    pub instrumentation_negated: Option<Evidence>,
    /// Approaches the note names.
    pub approaches: Vec<(&'static str, Span)>,
    /// Diagnoses named in the diagnosis and indication sections (stenosis, spondylolisthesis, …).
    pub diagnoses: Vec<(&'static str, Span)>,
    pub discrepancies: Vec<Discrepancy>,
    /// What the note says about how things were done, for documentation checks.
    pub cues: Cues,
}

/// Statements a documentation element looks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cues {
    /// Procedures named without any level (e.g. "ACDF" with no interspace).
    pub unlocated: Vec<(&'static str, Span)>,
    /// Levels written that the standard numbering does not have ("L9-L12", "T13").
    pub nonexistent_levels: Vec<(String, Span)>,
    /// Discectomy, endplate preparation or disc-space work described.
    pub disc_preparation: Option<Evidence>,
    /// Decortication of transverse processes, facets or pars, graft laid posterolaterally.
    pub posterolateral_bed: Option<Evidence>,
    /// A separate skin or fascial incision for graft or marrow harvest.
    pub separate_incision: Option<Evidence>,
    /// The neural structures a decompression freed (thecal sac, nerve roots, cord).
    pub decompression_target: Option<Evidence>,
    /// Anterior decompression of cord or roots (osteophytes, posterior longitudinal ligament).
    pub anterior_decompression: Option<Evidence>,
    /// Diagnosis or indication text.
    pub indication: Option<Evidence>,
    /// Neuromonitoring with times or duration.
    pub monitoring_time: Option<Evidence>,
    /// Deformity correction maneuvers.
    pub correction: Option<Evidence>,
    /// Result of exploring a fusion (solid, pseudarthrosis).
    pub exploration_result: Option<Evidence>,
    /// What the co-surgeon or access surgeon did.
    pub co_surgeon_role: Option<Evidence>,
    /// What the assistant did, or why one was needed.
    pub assistant_role: Option<Evidence>,
}
