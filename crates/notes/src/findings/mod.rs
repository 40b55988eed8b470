//! From a parsed note to the procedure model ([`Findings`]).
//!
//! Each fact is read from the concept mentions that ConText affirms, located by the levels bound
//! to them (see `bind`), and kept with its evidence spans. The header's procedure list and the
//! narrative are read separately; where both name levels for the same kind of fact the narrative
//! wins and the disagreement is recorded as a [`Discrepancy`].

mod bind;
mod model;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use memchr::memmem::Finder;

pub use model::*;

use crate::concept::Concept;
use crate::document::{ConceptHit, Context, Document};
use crate::level::{Interspace, LevelRef, Region, Vertebra};
use crate::lexicon::{Lexicon, SectionKind};
use crate::phrase::{Phrases, phrases};
use crate::text::Span;
use bind::{Binding, bind};

/// Parses and reads a note in one step, with the embedded vocabulary.
pub fn analyze(text: &str) -> Findings {
    let doc = Document::parse(text, Lexicon::embedded());
    build(&doc)
}

/// Sections where procedures done in this operation are described.
fn describes_procedure(kind: SectionKind) -> bool {
    matches!(
        kind,
        SectionKind::Procedures
            | SectionKind::Narrative
            | SectionKind::Preamble
            | SectionKind::Implants
            | SectionKind::Other
    )
}

fn source_of(kind: SectionKind) -> Source {
    if kind == SectionKind::Procedures { Source::Header } else { Source::Narrative }
}

/// A set of interspaces, a bit per interspace by the index of its upper vertebra: a mention's
/// interspaces without a vector for each of the many times the rules ask for them. Iterates in
/// order from the skull down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Interspaces(u32);

impl Interspaces {
    /// The set of the interspaces below the vertebrae whose indexes are the set bits (a bit whose
    /// vertebra has no interspace below it is dropped).
    fn from_bits(bits: u32) -> Interspaces {
        InterspacesIter(bits).collect()
    }

    fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The first (highest) interspace.
    fn first(self) -> Option<Interspace> {
        self.into_iter().next()
    }
}

impl FromIterator<Interspace> for Interspaces {
    fn from_iter<I: IntoIterator<Item = Interspace>>(iter: I) -> Interspaces {
        Interspaces(iter.into_iter().fold(0, |bits, i| bits | 1 << i.upper().index()))
    }
}

impl IntoIterator for Interspaces {
    type Item = Interspace;
    type IntoIter = InterspacesIter;

    fn into_iter(self) -> InterspacesIter {
        InterspacesIter(self.0)
    }
}

/// The interspaces of an [`Interspaces`], in order.
struct InterspacesIter(u32);

impl Iterator for InterspacesIter {
    type Item = Interspace;

    fn next(&mut self) -> Option<Interspace> {
        while self.0 != 0 {
            let i = self.0.trailing_zeros() as u8;
            self.0 &= self.0 - 1;
            if let Some(interspace) = Vertebra::from_index(i).and_then(Interspace::below) {
                return Some(interspace);
            }
        }
        None
    }
}

/// A bound mention with everything the rules look at.
struct M<'d> {
    hit: &'d ConceptHit,
    levels: &'d [LevelRef],
    level_spans: &'d [Span],
    span: Span,
    section: SectionKind,
    from_focus: bool,
}

impl M<'_> {
    fn evidence(&self) -> Vec<Span> {
        let levels = if self.from_focus { &[][..] } else { self.level_spans };
        // Sized for all of them at once: `vec![self.span]` grew again for the first level.
        let mut e = Vec::with_capacity(1 + levels.len());
        e.push(self.span);
        e.extend_from_slice(levels);
        e.sort();
        e.dedup();
        e
    }

    fn interspaces(&self) -> Interspaces {
        // A bit per interspace, by the index of its upper vertebra (0–29): the set comes out in
        // order and without repeats, with no vector per level.
        let below = |a: Vertebra, b: Vertebra| (1u32 << b.index()) - (1u32 << a.index().min(b.index()));
        let mut bits = 0u32;
        let mut singles: Option<(Vertebra, Vertebra)> = None;
        let mut n_singles = 0;
        let mut pelvis = false;
        for l in self.levels {
            match *l {
                LevelRef::Span(a, b) => bits |= below(a, b),
                LevelRef::Vertebra(v) => {
                    n_singles += 1;
                    singles = Some(singles.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
                }
                LevelRef::Pelvis => pelvis = true,
                LevelRef::Count(_) => {}
            }
        }
        // "L4 and L5" named as two vertebrae around a disc space; "T10 to the pelvis" reaches S1.
        if bits == 0
            && (n_singles >= 2 || pelvis)
            && let Some((lo, hi)) = singles
        {
            bits = below(lo, if pelvis { Vertebra::S1 } else { hi });
        }
        Interspaces::from_bits(bits)
    }

    fn vertebrae(&self) -> Vec<Vertebra> {
        let mut out: Vec<Vertebra> = self.levels.iter().flat_map(|l| l.vertebrae()).collect();
        out.sort();
        out.dedup();
        out
    }

    fn pelvis(&self) -> bool {
        self.levels.contains(&LevelRef::Pelvis)
    }

    fn affirmed(&self) -> bool {
        self.hit.context.is_affirmed()
    }

    fn removed(&self) -> bool {
        self.hit.context.has(Context::REMOVED)
    }
}

/// The whole reading context: the document, the mentions, and sentence-level lookups.
struct Reader<'d, 'a> {
    doc: &'d Document<'a>,
    mentions: Vec<M<'d>>,
    /// Mentions per sentence, as a run of `mentions` (they are in note order).
    by_sentence: Vec<std::ops::Range<usize>>,
    /// Mentions grouped by concept, each group in note order; concept `c`'s group is
    /// `by_concept[concept_start[c]..concept_start[c + 1]]`.
    by_concept: Vec<usize>,
    concept_start: Vec<usize>,
}

/// The levels of every bound mention, a run each as in [`Binding::levels`]: what each level
/// denotes and its span in the note.
struct MentionLevels {
    levels: Vec<LevelRef>,
    spans: Vec<Span>,
}

impl MentionLevels {
    fn of(doc: &Document<'_>, binding: &Binding) -> MentionLevels {
        // A level is bound to several mentions as often as not: map its span once.
        let spans: Vec<Span> = doc.levels.iter().map(|l| doc.level_span(l)).collect();
        MentionLevels {
            levels: binding.levels.iter().map(|&l| doc.levels[l].level).collect(),
            spans: binding.levels.iter().map(|&l| spans[l]).collect(),
        }
    }
}

impl<'d, 'a> Reader<'d, 'a> {
    fn new(doc: &'d Document<'a>, binding: &Binding, levels: &'d MentionLevels) -> Reader<'d, 'a> {
        let mut mentions = Vec::with_capacity(binding.bound.len());
        let mut by_sentence: Vec<std::ops::Range<usize>> = vec![0..0; doc.sentences.len()];
        // A counting sort of the mentions by concept.
        let mut concept_start = vec![0; Concept::COUNT + 1];
        for b in &binding.bound {
            concept_start[doc.concepts[b.concept].concept as usize + 1] += 1;
        }
        for c in 0..Concept::COUNT {
            concept_start[c + 1] += concept_start[c];
        }
        let mut next = concept_start.clone();
        let mut by_concept = vec![0; binding.bound.len()];
        for b in &binding.bound {
            let hit = &doc.concepts[b.concept];
            if let Some(run) = by_sentence.get_mut(hit.sentence) {
                if run.start == run.end {
                    run.start = mentions.len();
                }
                debug_assert!(run.start == mentions.len() || run.end == mentions.len(), "mentions out of note order");
                run.end = mentions.len() + 1;
            }
            by_concept[next[hit.concept as usize]] = mentions.len();
            next[hit.concept as usize] += 1;
            mentions.push(M {
                hit,
                levels: &levels.levels[b.levels.clone()],
                level_spans: &levels.spans[b.levels.clone()],
                span: doc.concept_span(hit),
                section: doc.section_of(hit.sentence),
                from_focus: b.from_focus,
            });
        }
        Reader { doc, mentions, by_sentence, by_concept, concept_start }
    }

    /// Every mention of a concept, in note order.
    fn of(&self, c: Concept) -> impl Iterator<Item = &M<'d>> {
        self.by_concept[self.concept_start[c as usize]..self.concept_start[c as usize + 1]]
            .iter()
            .map(|&i| &self.mentions[i])
    }

    /// Affirmed mentions of a concept in procedure sections.
    fn done(&self, c: Concept) -> impl Iterator<Item = &M<'d>> {
        self.of(c).filter(|m| m.affirmed() && describes_procedure(m.section))
    }

    fn any_done(&self, c: Concept) -> bool {
        self.done(c).next().is_some()
    }

    /// Whether a sentence mentions a concept (affirmed or not, unless `affirmed`).
    fn sentence_has(&self, sentence: usize, c: Concept, affirmed: bool) -> bool {
        self.by_sentence.get(sentence).is_some_and(|run| {
            self.mentions[run.clone()].iter().any(|m| m.hit.concept == c && (!affirmed || m.affirmed()))
        })
    }

    fn sentence_any(&self, sentence: usize, cs: &[Concept]) -> bool {
        cs.iter().any(|c| self.sentence_has(sentence, *c, true))
    }

    fn first_evidence(&self, cs: &[Concept], sections: impl Fn(SectionKind) -> bool) -> Option<Evidence> {
        self.first_where(cs, |m| sections(m.section))
    }

    /// The spans of the first three affirmed mentions of any of `cs` that `keep` accepts.
    fn first_where(&self, cs: &[Concept], keep: impl Fn(&M<'d>) -> bool) -> Option<Evidence> {
        // The concepts' own groups, merged back into note order (mention indices are note order).
        let mut found: Vec<usize> = cs
            .iter()
            .flat_map(|&c| &self.by_concept[self.concept_start[c as usize]..self.concept_start[c as usize + 1]])
            .copied()
            .filter(|&i| self.mentions[i].affirmed() && keep(&self.mentions[i]))
            .collect();
        if found.is_empty() {
            return None;
        }
        found.sort_unstable();
        Some(found.iter().take(3).map(|&i| self.mentions[i].span).collect())
    }
}

fn side_in(doc: &Document<'_>, sentence: usize) -> Side {
    let bilateral = doc.sentence_has(
        sentence,
        phrases!("bilateral", "bilaterally", "both sides", "on both sides", "left and right", "right and left"),
    );
    let left = side_word(doc.sentence_text(sentence), &LEFT);
    let right = side_word(doc.sentence_text(sentence), &RIGHT);
    match (bilateral, left, right) {
        (true, _, _) | (_, true, true) => Side::Bilateral,
        (_, true, false) => Side::Left,
        (_, false, true) => Side::Right,
        _ => Side::Unstated,
    }
}

/// The side words and "posterolateral", each searched for with one finder built once.
static LEFT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("left"));
static RIGHT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("right"));
static POSTEROLATERAL: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("posterolateral"));

/// Whether `word` names a side of the work in a sentence: a whole word, not the verb ("was left
/// in place", "left alone") and not a side said to be untouched ("the left SI joint was not
/// treated").
fn side_word(t: &[u8], word: &Finder<'static>) -> bool {
    for at in word.find_iter(t) {
        let end = at + word.needle().len();
        let whole =
            (at == 0 || !t[at - 1].is_ascii_alphanumeric()) && t.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
        if !whole {
            continue;
        }
        let before = &t[at.saturating_sub(6)..at];
        let after = &t[end..(end + 45).min(t.len())];
        let has = |hay: &[u8], w: &str| hay.windows(w.len()).any(|x| x == w.as_bytes());
        let verb = has(before, "was ") || has(before, "were ") || has(before, "be ") || has(before, "is ");
        let untouched =
            ["was not", "were not", "not treated", "untreated", "not addressed", "not operated", "left alone"]
                .iter()
                .any(|w| has(after, w))
                || has(&t[at.saturating_sub(8)..at], "no ");
        if !verb && !untouched {
            return true;
        }
    }
    false
}

/// The side of the work a sentence describes: its own side words, or those of a recent sentence
/// of the same section that opened a side ("Right side: …", "On the left, …").
fn side_of(doc: &Document<'_>, sentence: usize) -> Side {
    let own = side_in(doc, sentence);
    if own != Side::Unstated {
        return own;
    }
    let section = doc.sentences[sentence].section;
    for prev in (sentence.saturating_sub(4)..sentence).rev() {
        if doc.sentences[prev].section != section {
            break;
        }
        let t = doc.sentence_text(prev);
        for (opener, side) in [
            ("right side", Side::Right),
            ("left side", Side::Left),
            ("on the right", Side::Right),
            ("on the left", Side::Left),
            ("right:", Side::Right),
            ("left:", Side::Left),
        ] {
            if t.starts_with(opener.as_bytes()) {
                return side;
            }
        }
    }
    Side::Unstated
}

/// The approach a note is written for, from the approach words of its narrative and header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NoteApproach {
    Anterior,
    Lateral,
    Posterior,
    Unknown,
}

fn note_approach(r: &Reader<'_, '_>) -> NoteApproach {
    let count = |cs: &[Concept]| {
        cs.iter().map(|&c| r.of(c).filter(|m| m.affirmed() && describes_procedure(m.section)).count()).sum::<usize>()
    };
    let anterior = count(&[
        Concept::Anterior,
        Concept::Retroperitoneal,
        Concept::Transperitoneal,
        Concept::Alif,
        Concept::Acdf,
        Concept::Plate,
        Concept::Thoracotomy,
    ]);
    let lateral = count(&[Concept::Lateral, Concept::LateralInterbody, Concept::ObliqueInterbody]);
    let posterior = count(&[
        Concept::Posterior,
        Concept::Tlif,
        Concept::Plif,
        Concept::PosterolateralFusion,
        Concept::PedicleScrew,
        Concept::Laminectomy,
        Concept::Laminoplasty,
    ]);
    if lateral > 0 && lateral >= anterior && lateral >= posterior {
        NoteApproach::Lateral
    } else if anterior > posterior {
        NoteApproach::Anterior
    } else if posterior > 0 {
        NoteApproach::Posterior
    } else if anterior > 0 {
        NoteApproach::Anterior
    } else {
        NoteApproach::Unknown
    }
}

/// Builds the findings of a parsed note.
pub fn build(doc: &Document<'_>) -> Findings {
    let binding = bind(doc);
    let levels = MentionLevels::of(doc, &binding);
    let r = Reader::new(doc, &binding, &levels);
    let mut f = Findings::default();
    let approach = note_approach(&r);
    fusions(&r, approach, &mut f);
    cancel_levels(&r, &mut f);
    corpectomies(&r, &mut f);
    f.stimulator_electrode = stimulator_electrode(&r);
    decompressions(&r, approach, &mut f);
    devices(&r, &mut f);
    constructs(&r, &mut f);
    grafts(&r, &mut f);
    other_procedures(&r, &mut f);
    adjuncts(&r, &mut f);
    fracture_treatment(&r, approach, &mut f);
    f.odontoid_fixation = odontoid_fixation(&r, approach);
    if f.odontoid_fixation.is_some() {
        // The dens's reduction is the odontoid fixation's, not a second fracture treatment.
        if let Some(t) = &mut f.fracture_treatment {
            t.vertebrae.retain(|v| v.index() != 2);
            t.segments.retain(|i| i.upper().index() > 2);
        }
        f.fracture_treatment.take_if(|t| t.vertebrae.is_empty() && t.segments.is_empty());
    }
    cues(&r, &mut f);
    f
}

/// Open treatment of a vertebral fracture or dislocation: a reduction with a fracture or
/// dislocation named in its sentence ("open reduction of the T12 burst fracture", "the fracture
/// was then reduced by distraction across T12"), at the vertebrae named with it, or at the
/// segment of a dislocation ("reduction of the C5-6 facet dislocation"). The procedure list's
/// levels stand where it names any: a narrative reduction is often told with the screws that
/// did it ("screws were placed at T12 and L3 and the fractures were reduced"). Kyphoplasty and
/// vertebroplasty reduce fractures through a needle and have codes of their own.
fn fracture_treatment(r: &Reader<'_, '_>, approach: NoteApproach, f: &mut Findings) {
    if r.any_done(Concept::Kyphoplasty) || r.any_done(Concept::Vertebroplasty) {
        return;
    }
    // Vertebrae and dislocated segments by source: [procedure list, narrative].
    let mut vertebrae: [BTreeSet<Vertebra>; 2] = Default::default();
    let mut segments: [BTreeSet<Interspace>; 2] = Default::default();
    let mut evidence: Vec<Span> = Vec::new();
    for m in r.done(Concept::FractureReduction) {
        if !m.affirmed() || !describes_procedure(m.section) {
            continue;
        }
        let words = r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase();
        let dislocation = words.contains("dislocat") || r.doc.sentence_has(m.hit.sentence, phrases!("dislocat"));
        if !(words.contains("fractur") || dislocation || r.sentence_any(m.hit.sentence, &[Concept::Fracture])) {
            continue;
        }
        let source = usize::from(m.section != SectionKind::Procedures);
        for l in m.levels {
            match *l {
                LevelRef::Vertebra(v) => {
                    vertebrae[source].insert(v);
                }
                LevelRef::Span(a, b) if dislocation && b.index() == a.index() + 1 => {
                    segments[source].extend(Interspace::below(a));
                }
                _ => {}
            }
        }
        evidence.extend(m.evidence());
    }
    if evidence.is_empty() {
        return;
    }
    evidence.sort();
    evidence.dedup();
    let [header_vertebrae, narrative_vertebrae] = vertebrae;
    let [header_segments, narrative_segments] = segments;
    let (vertebrae, segments) = if header_vertebrae.is_empty() && header_segments.is_empty() {
        (narrative_vertebrae, narrative_segments)
    } else {
        (header_vertebrae, header_segments)
    };
    f.fracture_treatment = Some(FractureTreatment {
        vertebrae: vertebrae.into_iter().collect(),
        segments: segments.into_iter().collect(),
        anterior: approach == NoteApproach::Anterior,
        evidence,
    });
}

/// Anterior fixation of an odontoid fracture: the dens named with a screw in a procedure sentence
/// of a note that works from the front ("anterior odontoid screw fixation", "a lag screw was
/// placed across the fracture into the apex of the dens"), with an odontoid fracture, os
/// odontoideum or nonunion named in the note. A posterior C1–C2 fusion for the same fracture is
/// not this.
fn odontoid_fixation(r: &Reader<'_, '_>, approach: NoteApproach) -> Option<OdontoidFixation> {
    const LESION: Phrases = phrases!("os odontoideum", "nonunion", "non-union");
    if !r.any_done(Concept::Screw) {
        return None;
    }
    // "Anterior odontoid screw fixation" names its approach in a word the approach reading does
    // not count; in a posterior note only an anterior approach named with the dens does.
    let from_front = |s: usize| {
        approach == NoteApproach::Anterior
            || r.sentence_any(s, &[Concept::Anterior])
            || approach != NoteApproach::Posterior && r.doc.sentence_has(s, phrases!("anterior"))
    };
    // The screw goes into the dens in the same sentence ("anterior odontoid screw fixation"): a
    // screw in the next sentence may be a plate's ("the odontoid fracture will be treated in a
    // collar. The plate was fixed with screws").
    let dens: Vec<&M<'_>> = r
        .done(Concept::Odontoid)
        .filter(|m| from_front(m.hit.sentence) && r.sentence_any(m.hit.sentence, &[Concept::Screw]))
        .take(3)
        .collect();
    if dens.is_empty() {
        return None;
    }
    let sentences = 0..r.doc.sentences.len();
    let fractured = r.of(Concept::Fracture).any(|m| !m.hit.context.has(Context::NEGATED))
        || sentences.clone().any(|s| r.doc.sentence_has(s, LESION));
    if !fractured {
        return None;
    }
    // "The fracture was reduced with gentle extension": a reduction in a sentence about the fracture.
    let reduced = r.done(Concept::FractureReduction).next().is_some()
        || sentences.filter(|&s| describes_procedure(r.doc.section_of(s))).any(|s| {
            r.doc.sentence_has(s, phrases!("reduc")) && r.sentence_any(s, &[Concept::Fracture, Concept::Odontoid])
        });
    Some(OdontoidFixation { reduced, evidence: dens.iter().map(|m| m.span).collect() })
}

/// Words that say the work planned at a level was not done there.
const NOT_DONE_AT_LEVEL: Phrases = Phrases::of(&[
    "abandon",
    "aborted",
    "not completed",
    "could not be completed",
    "not disturbed",
    "not operated",
    "not touched",
    "left alone",
    "no disc work",
    "not fused",
    "not addressed",
    "not treated",
    "not entered",
    "was not performed",
    "were not performed",
    "deferred",
    "not instrumented",
    "was not done",
    "were not done",
    "not included",
]);

/// Words that open a sentence about what the sentence before named.
const CARRIED_SUBJECTS: [&[u8]; 5] = [b"they ", b"it ", b"these ", b"this ", b"both "];

/// Interspaces the narrative says were not operated on: the procedure list's facts there do not
/// stand ("L5-S1 was abandoned because of bleeding", "the L5-S1 facets were not disturbed").
fn cancel_levels(r: &Reader<'_, '_>, f: &mut Findings) {
    let mut cancelled: BTreeSet<Interspace> = BTreeSet::new();
    for (i, s) in r.doc.sentences.iter().enumerate() {
        let kind = r.doc.sections[s.section].kind;
        if !describes_procedure(kind) || kind == SectionKind::Procedures && !r.doc.sentence_has(i, NOT_DONE_AT_LEVEL) {
            continue;
        }
        if !r.doc.sentence_has(i, NOT_DONE_AT_LEVEL) {
            continue;
        }
        // "… the L5-S1 facets were confirmed to be solidly fused; they were not disturbed": a
        // sentence that opens with a pronoun and names no level speaks of the sentence before.
        let named = |j: usize| r.doc.levels.iter().filter(move |l| l.sentence == j);
        let about = if named(i).next().is_none()
            && i > 0
            && r.doc.sentences[i - 1].section == s.section
            && CARRIED_SUBJECTS.iter().any(|p| r.doc.sentence_text(i).starts_with(p))
        {
            i - 1
        } else {
            i
        };
        for l in named(about) {
            cancelled.extend(l.level.interspaces());
        }
    }
    if cancelled.is_empty() {
        return;
    }
    let before = f.fusions.len();
    f.fusions.retain(|x| !(cancelled.contains(&x.interspace) && (x.source == Source::Header || !x.explicit)));
    if f.fusions.len() != before {
        let list: Vec<String> = cancelled.iter().map(ToString::to_string).collect();
        f.discrepancies.push(Discrepancy {
            what: "levels",
            header: list.join(", "),
            narrative: format!("no work at {}", list.join(", ")),
            evidence: Vec::new(),
        });
    }
}

/// The first spans of affirmed mentions of `cs` in procedure sections whose sentence passes `keep`.
fn spans_where(r: &Reader<'_, '_>, cs: &[Concept], keep: impl Fn(usize) -> bool) -> Option<Evidence> {
    r.first_where(cs, |m| describes_procedure(m.section) && keep(m.hit.sentence))
}

fn cues(r: &Reader<'_, '_>, f: &mut Findings) {
    let technique = [
        Concept::Tlif,
        Concept::Plif,
        Concept::Alif,
        Concept::LateralInterbody,
        Concept::ObliqueInterbody,
        Concept::Acdf,
        Concept::Presacral,
        Concept::InterbodyFusion,
        Concept::PosterolateralFusion,
        Concept::Laminectomy,
        Concept::Laminotomy,
        Concept::Corpectomy,
        Concept::Arthroplasty,
        Concept::InterlaminarDevice,
        Concept::Kyphoplasty,
        Concept::Vertebroplasty,
        Concept::Microdiscectomy,
    ];
    let mut unlocated = Vec::new();
    for c in technique {
        let ms: Vec<&M<'_>> = r.done(c).collect();
        if !ms.is_empty() && ms.iter().all(|m| m.levels.iter().all(|l| matches!(l, LevelRef::Count(_)))) {
            unlocated.push((c.id(), ms[0].span));
        }
    }
    let narrative = |k: SectionKind| !matches!(k, SectionKind::Procedures);
    let c = &mut f.cues;
    c.unlocated = unlocated;
    c.nonexistent_levels = r.doc.nonexistent_levels().collect();
    c.disc_preparation = r
        .mentions
        .iter()
        .filter(|m| {
            matches!(m.hit.concept, Concept::Discectomy | Concept::DiscSpace)
                && m.affirmed()
                && narrative(m.section)
                && describes_procedure(m.section)
        })
        .map(|m| m.span)
        .take(3)
        .collect::<Vec<_>>()
        .into();
    if c.disc_preparation.as_ref().is_some_and(Vec::is_empty) {
        c.disc_preparation = None;
    }
    c.posterolateral_bed = spans_where(r, &[Concept::Decortication], |s| {
        r.sentence_any(s, &[Concept::TransverseProcess, Concept::Facet, Concept::Pars])
            || r.doc.sentence_has(s, phrases!("gutter"))
            || r.doc.sentence_has(s, phrases!("lamina"))
    })
    .or_else(|| {
        spans_where(r, &[Concept::PosterolateralFusion], |s| {
            r.doc.sentence_has(s, phrases!("gutter")) || r.sentence_any(s, &[Concept::TransverseProcess])
        })
    });
    c.separate_incision = spans_where(r, &[Concept::SeparateIncision], |_| true);
    c.decompression_target = spans_where(r, &[Concept::ThecalSac], |s| {
        r.sentence_any(
            s,
            &[
                Concept::Laminectomy,
                Concept::Laminotomy,
                Concept::Foraminotomy,
                Concept::Decompression,
                Concept::Discectomy,
                Concept::Microdiscectomy,
                Concept::Facetectomy,
            ],
        ) || r.doc.sentence_has(s, phrases!("decompress"))
    })
    // "decompressing the C6 root": a root named by its level is not the vocabulary's "nerve root".
    .or_else(|| {
        spans_where(r, &[Concept::Decompression], |s| {
            r.doc.sentence_has(s, phrases!("root")) && r.doc.sentence_has(s, phrases!("decompress"))
        })
    });
    c.anterior_decompression = spans_where(r, &[Concept::ThecalSac, Concept::Decompression], |s| {
        r.doc.sentence_has(s, phrases!("osteophyte"))
            || r.doc.sentence_has(s, phrases!("posterior longitudinal ligament"))
            || r.doc.sentence_has(s, phrases!("pll"))
            || r.doc.sentence_has(s, phrases!("decompress"))
    });
    c.indication = r
        .doc
        .sections
        .iter()
        .find(|s| matches!(s.kind, SectionKind::Diagnosis | SectionKind::Indications) && s.end > s.start + 3)
        .and_then(|s| s.header)
        .map(|h| vec![h])
        // "Mr. Dunn … with L5-S1 spondylolisthesis … who failed a year of nonoperative care":
        // an indication told in the note's opening prose, without a header.
        .or_else(|| {
            let dx = [
                Concept::Stenosis,
                Concept::Spondylolisthesis,
                Concept::Herniation,
                Concept::Myelopathy,
                Concept::Radiculopathy,
                Concept::Scoliosis,
                Concept::Kyphosis,
                Concept::Fracture,
                Concept::Pseudarthrosis,
            ];
            r.mentions
                .iter()
                .find(|m| {
                    m.section == SectionKind::Preamble
                        && dx.contains(&m.hit.concept)
                        && !m.hit.context.has(Context::NEGATED)
                        && r.doc
                            .sentence_has(m.hit.sentence, phrases!("failed", "despite", "nonoperative", "conservative"))
                })
                .map(|m| vec![m.span])
        });
    c.monitoring_time = spans_where(r, &[Concept::Neuromonitoring], |s| {
        r.doc.sentence_has(s, phrases!("minute"))
            || r.doc.sentence_has(s, phrases!("hour"))
            || r.doc.sentence_has(s, phrases!(" from ")) && r.doc.sentence_text(s).contains(&b':')
    })
    .or_else(|| {
        r.of(Concept::Neuromonitoring)
            .filter(|m| {
                m.section == SectionKind::Monitoring
                    && (r.doc.sentence_has(m.hit.sentence, phrases!("minute"))
                        || r.doc.sentence_has(m.hit.sentence, phrases!("hour")))
            })
            .map(|m| vec![m.span])
            .next()
    });
    c.correction = spans_where(r, &[Concept::DeformityCorrection], |_| true);
    // Revision words with the decompression they qualify, or in the procedure list of a note
    // that decompresses without fusing.
    if f.fusions.is_empty() {
        f.reexploration = spans_where(r, &[Concept::Revision], |s| {
            r.sentence_any(s, &[Concept::Laminotomy, Concept::Discectomy, Concept::Microdiscectomy])
                || r.doc.sentences[s].section < r.doc.sections.len()
                    && r.doc.sections[r.doc.sentences[s].section].kind == SectionKind::Procedures
        });
    }
    c.exploration_result = spans_where(r, &[Concept::Exploration], |s| {
        r.doc.sentence_has(s, phrases!("solid"))
            || r.doc.sentence_has(s, phrases!("pseudarthrosis"))
            || r.doc.sentence_has(s, phrases!("nonunion"))
            || r.doc.sentence_has(s, phrases!("motion"))
            || r.doc.sentence_has(s, phrases!("healed"))
    });
    let role_words = phrases!(
        "performed",
        "provided",
        "exposure",
        "approach",
        "retract",
        "assisted",
        "mobiliz",
        "closure",
        "resident"
    );
    let role = |c: Concept| -> Option<Evidence> {
        let v: Vec<Span> = r
            .mentions
            .iter()
            .filter(|m| {
                m.hit.concept == c
                    && !m.hit.context.has(Context::NEGATED)
                    && r.doc.sentence_has(m.hit.sentence, role_words)
            })
            .map(|m| m.span)
            .take(2)
            .collect();
        (!v.is_empty()).then_some(v)
    };
    let co = role(Concept::CoSurgeon);
    let asst = role(Concept::Assistant);
    f.cues.co_surgeon_role = co;
    f.cues.assistant_role = asst;
}

fn interbody_kind(c: Concept) -> Option<InterbodyApproach> {
    Some(match c {
        Concept::Tlif => InterbodyApproach::Transforaminal,
        Concept::Plif => InterbodyApproach::Posterior,
        Concept::Alif => InterbodyApproach::Anterior,
        Concept::LateralInterbody => InterbodyApproach::Lateral,
        Concept::ObliqueInterbody => InterbodyApproach::Oblique,
        Concept::Acdf => InterbodyApproach::AnteriorCervical,
        Concept::Presacral => InterbodyApproach::Presacral,
        _ => return None,
    })
}

/// The approach of an interbody fusion named without a technique ("interbody fusion", a cage).
fn infer_interbody(
    r: &Reader<'_, '_>,
    sentence: usize,
    region: Option<Region>,
    approach: NoteApproach,
) -> InterbodyApproach {
    if r.sentence_any(sentence, &[Concept::Tlif]) {
        return InterbodyApproach::Transforaminal;
    }
    if r.sentence_any(sentence, &[Concept::LateralInterbody, Concept::Lateral]) {
        return InterbodyApproach::Lateral;
    }
    if r.sentence_any(sentence, &[Concept::ObliqueInterbody]) {
        return InterbodyApproach::Oblique;
    }
    if r.sentence_any(sentence, &[Concept::LateralExtracavitary]) {
        return InterbodyApproach::LateralExtracavitary;
    }
    let anterior_here =
        r.sentence_any(sentence, &[Concept::Anterior, Concept::Retroperitoneal, Concept::Transperitoneal]);
    // An operation done through a lateral extracavitary exposure reaches its disc spaces that way.
    let extracavitary = || {
        r.done(Concept::LateralExtracavitary)
            .any(|m| r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase().contains("extracavitary"))
    };
    if !anterior_here && extracavitary() {
        return InterbodyApproach::LateralExtracavitary;
    }
    let posterior_here = r.sentence_any(sentence, &[Concept::Posterior, Concept::Plif]);
    let cervical = region == Some(Region::Cervical);
    match (anterior_here, posterior_here, approach) {
        (true, false, _) | (false, false, NoteApproach::Anterior) => {
            if cervical {
                InterbodyApproach::AnteriorCervical
            } else {
                InterbodyApproach::Anterior
            }
        }
        (false, true, _) | (false, false, NoteApproach::Posterior) => {
            if r.any_done(Concept::Tlif) || r.doc.concepts.iter().any(|c| c.concept == Concept::Tlif) {
                InterbodyApproach::Transforaminal
            } else {
                InterbodyApproach::Posterior
            }
        }
        (false, false, NoteApproach::Lateral) => InterbodyApproach::Lateral,
        _ => InterbodyApproach::Unknown,
    }
}

fn region_of(is: Interspaces) -> Option<Region> {
    is.first().map(|i| i.region())
}

fn push_fusion(
    out: &mut Vec<Fusion>,
    interspace: Interspace,
    kind: FusionKind,
    source: Source,
    explicit: bool,
    evidence: Vec<Span>,
) {
    if let Some(f) = out.iter_mut().find(|f| f.interspace == interspace && f.kind == kind && f.source == source) {
        f.evidence.extend(evidence);
        f.evidence.sort();
        f.evidence.dedup();
        f.explicit |= explicit;
    } else {
        out.push(Fusion { interspace, kind, source, explicit, evidence });
    }
}

fn fusions(r: &Reader<'_, '_>, approach: NoteApproach, f: &mut Findings) {
    let repeated = repeated_interspaces(r);
    let mut all: Vec<Fusion> = Vec::new();
    let mut generic: Vec<(Interspace, Source, Vec<Span>, usize, bool)> = Vec::new();
    let mut lone_beds: Vec<(Vertebra, Source, Vec<Span>, bool)> = Vec::new();
    let posterolateral_bed = r.of(Concept::Decortication).any(|m| {
        m.affirmed()
            && describes_procedure(m.section)
            && r.sentence_any(m.hit.sentence, &[Concept::TransverseProcess, Concept::Facet, Concept::Pars])
    });
    for m in &r.mentions {
        if !m.affirmed() || !describes_procedure(m.section) {
            continue;
        }
        let source = source_of(m.section);
        let sentence = m.hit.sentence;
        let mut is = m.interspaces();
        match m.hit.concept {
            c if interbody_kind(c).is_some() => {
                let kind = interbody_kind(c).unwrap_or(InterbodyApproach::Unknown);
                if kind == InterbodyApproach::Presacral && is.is_empty() {
                    is = Interspace::below(Vertebra::new(b'l', 5).unwrap_or(Vertebra::S1)).into_iter().collect();
                }
                // "Transforaminal approach" alone is the TLIF corridor only when interbody work is
                // in the same sentence or the note names a TLIF elsewhere.
                for i in is {
                    push_fusion(&mut all, i, FusionKind::Interbody(kind), source, !m.from_focus, m.evidence());
                }
            }
            Concept::InterbodyFusion => {
                let kind = infer_interbody(r, sentence, region_of(is).or(r.doc.region), approach);
                for i in is {
                    push_fusion(&mut all, i, FusionKind::Interbody(kind), source, !m.from_focus, m.evidence());
                }
            }
            Concept::PosterolateralFusion => {
                // "posterolateral" alone is an approach word unless fusion or graft is in the sentence.
                let explicit = POSTEROLATERAL.find(r.doc.sentence_text(sentence)).is_some()
                    && !r.sentence_any(
                        sentence,
                        &[
                            Concept::Fusion,
                            Concept::BoneGraft,
                            Concept::LocalAutograft,
                            Concept::Allograft,
                            Concept::Dbm,
                            Concept::Bmp,
                            Concept::Decortication,
                        ],
                    );
                let word = m.span;
                let text = &r.doc.text()[word.start..word.end].to_ascii_lowercase();
                if text == "posterolateral" && explicit {
                    continue;
                }
                for i in is {
                    push_fusion(&mut all, i, FusionKind::Posterolateral, source, !m.from_focus, m.evidence());
                }
            }
            Concept::Decortication
                if (r.sentence_any(sentence, &[Concept::TransverseProcess, Concept::Facet, Concept::Pars])
                    || r.doc.sentence_has(sentence, phrases!("gutter"))
                    || r.doc.sentence_has(sentence, phrases!("lamina"))) =>
            {
                if is.is_empty()
                    && let [LevelRef::Vertebra(v)] = m.levels
                {
                    lone_beds.push((*v, source, m.evidence(), !m.from_focus));
                }
                for i in is {
                    push_fusion(&mut all, i, FusionKind::Posterolateral, source, !m.from_focus, m.evidence());
                }
            }
            Concept::Fusion => {
                for i in is {
                    generic.push((i, source, m.evidence(), sentence, !m.from_focus));
                }
            }
            _ => {}
        }
    }
    // Bone graft set into a disc space ("the tricortical graft was tamped into the C5-6
    // interspace") is an interbody fusion too.
    let inserted = phrases!(
        "placed",
        "inserted",
        "impacted",
        "tamped",
        "tapped into",
        "packed into",
        "seated",
        "countersunk",
        "positioned",
    );
    for m in &r.mentions {
        let graft = matches!(
            m.hit.concept,
            Concept::Tricortical | Concept::BoneGraft | Concept::StructuralAllograft | Concept::IliacCrest
        );
        if !graft || !m.affirmed() || !describes_procedure(m.section) || m.removed() {
            continue;
        }
        let s = m.hit.sentence;
        // The disc space may be named in the sentence before ("The interspace measured 7 mm. The
        // graft was trimmed and tapped into place.").
        let disc_named = r.sentence_any(s, &[Concept::DiscSpace])
            || s > 0
                && r.doc.sentences[s - 1].section == r.doc.sentences[s].section
                && r.sentence_any(s - 1, &[Concept::DiscSpace]);
        let into_disc = disc_named && r.doc.sentence_has(s, inserted);
        if !into_disc
            || r.sentence_any(s, &[Concept::Corpectomy, Concept::PosterolateralFusion, Concept::TransverseProcess])
        {
            continue;
        }
        // Graft words carry no level: the disc space named with them has it.
        let mut levels = m.interspaces();
        if levels.is_empty() {
            // The last disc-space work named with an interspace before the graft went in.
            levels = r
                .mentions
                .iter()
                .filter(|d| {
                    d.hit.sentence <= s
                        && d.section == m.section
                        && matches!(d.hit.concept, Concept::DiscSpace | Concept::Discectomy | Concept::Microdiscectomy)
                })
                .rev()
                .map(M::interspaces)
                .find(|is| !is.is_empty())
                .unwrap_or_default();
        }
        for i in levels {
            let source = source_of(m.section);
            if !all
                .iter()
                .any(|f| f.interspace == i && f.source == source && matches!(f.kind, FusionKind::Interbody(_)))
            {
                let kind = infer_interbody(r, s, Some(i.region()), approach);
                push_fusion(&mut all, i, FusionKind::Interbody(kind), source_of(m.section), false, m.evidence());
            }
        }
    }
    // Cages and spacers placed in a disc space are interbody fusions where the note fuses.
    let fuses = r.any_done(Concept::Fusion) || !all.is_empty() || r.any_done(Concept::BoneGraft);
    if fuses {
        for m in r.done(Concept::Cage).chain(r.done(Concept::StructuralAllograft)) {
            if m.removed() || r.sentence_any(m.hit.sentence, &[Concept::Corpectomy]) {
                continue;
            }
            let is = m.interspaces();
            let source = source_of(m.section);
            for i in is {
                // The header's fusion at this interspace does not stand for the narrative's; a
                // fusion already read there quotes the cage too ("the same was done at L5-S1 with
                // a 12 mm cage").
                if let Some(f) = all
                    .iter_mut()
                    .find(|f| f.interspace == i && f.source == source && matches!(f.kind, FusionKind::Interbody(_)))
                {
                    f.evidence.extend(m.evidence());
                    f.evidence.sort();
                    f.evidence.dedup();
                } else {
                    let kind = infer_interbody(r, m.hit.sentence, Some(i.region()), approach);
                    push_fusion(&mut all, i, FusionKind::Interbody(kind), source, false, m.evidence());
                }
            }
        }
    }
    // "Decorticated TPs and sacral ala": a bed whose one level is a lone vertebra lies along the
    // run of interbody fusions that reaches that vertebra.
    for (v, source, evidence, explicit) in lone_beds {
        let mut interbody: Vec<Interspace> =
            all.iter().filter(|x| matches!(x.kind, FusionKind::Interbody(_))).map(|x| x.interspace).collect();
        interbody.sort();
        interbody.dedup();
        let Some(at) = interbody.iter().position(|i| i.upper() == v || i.lower() == v) else { continue };
        let (mut lo, mut hi) = (at, at);
        while lo > 0 && interbody[lo - 1].lower() == interbody[lo].upper() {
            lo -= 1;
        }
        while hi + 1 < interbody.len() && interbody[hi].lower() == interbody[hi + 1].upper() {
            hi += 1;
        }
        for &i in &interbody[lo..=hi] {
            push_fusion(&mut all, i, FusionKind::Posterolateral, source, explicit, evidence.clone());
        }
    }
    // A generic "fusion" at an interspace no technique covers: posterolateral in a posterior
    // operation with a fusion bed, interbody in an anterior or lateral one.
    for (i, source, evidence, sentence, explicit) in generic {
        // "fusion at C4-5" names the level of a fusion already read from its cage.
        if let Some(f) = all.iter_mut().find(|f| f.interspace == i && f.source == source) {
            f.explicit |= explicit;
            f.evidence.extend(evidence);
            continue;
        }
        let kind = match approach {
            NoteApproach::Anterior | NoteApproach::Lateral => {
                Some(FusionKind::Interbody(infer_interbody(r, sentence, Some(i.region()), approach)))
            }
            NoteApproach::Posterior
                if posterolateral_bed || !all.iter().any(|f| matches!(f.kind, FusionKind::Interbody(_))) =>
            {
                Some(FusionKind::Posterolateral)
            }
            _ => None,
        };
        if let Some(kind) = kind {
            push_fusion(&mut all, i, kind, source, explicit, evidence);
        }
    }
    // An interbody fusion read only from a cage takes its technique from the operation's own
    // words: the header's technique at that interspace, else the one technique the same part of
    // the note names ("L4-5: … a cage was placed" in an OLIF narrative is an OLIF level).
    let named: Vec<(Interspace, Source, InterbodyApproach)> = all
        .iter()
        .filter(|x| x.explicit)
        .filter_map(|x| match x.kind {
            FusionKind::Interbody(a) if a != InterbodyApproach::Unknown => Some((x.interspace, x.source, a)),
            _ => None,
        })
        .collect();
    for x in all.iter_mut().filter(|x| !x.explicit) {
        let FusionKind::Interbody(_) = x.kind else { continue };
        let at_header = named.iter().find(|(i, s, _)| *i == x.interspace && *s == Source::Header).map(|n| n.2);
        let kinds: BTreeSet<InterbodyApproach> = named.iter().filter(|(_, s, _)| *s == x.source).map(|n| n.2).collect();
        let only = if kinds.len() == 1 { kinds.into_iter().next() } else { None };
        if let Some(k) = at_header.or(only) {
            x.kind = FusionKind::Interbody(k);
        }
    }
    let (interbody, posterolateral): (Vec<Fusion>, Vec<Fusion>) =
        all.into_iter().partition(|x| matches!(x.kind, FusionKind::Interbody(_)));
    let mut fusions = Vec::new();
    for (group, what) in [(interbody, "interbody fusion"), (posterolateral, "posterolateral fusion")] {
        fusions.extend(reconcile(
            group,
            |x| x.interspace,
            |x| x.source,
            |x| x.explicit,
            |x| repeated.contains(&x.interspace),
            what,
            |x| x.interspace.to_string(),
            &mut f.discrepancies,
        ));
    }
    // A presacral fusion is the only interbody fusion its interspace can have: other interbody
    // readings of the same words ("presacral interbody fusion") are the same operation.
    let presacral: Vec<Interspace> = fusions
        .iter()
        .filter(|x| x.kind == FusionKind::Interbody(InterbodyApproach::Presacral))
        .map(|x| x.interspace)
        .collect();
    fusions.retain(|x| {
        !matches!(x.kind, FusionKind::Interbody(a) if a != InterbodyApproach::Presacral)
            || !presacral.contains(&x.interspace)
    });
    f.fusions = fusions;
}

/// Keeps the narrative's facts where the narrative has any of this kind, else the header's;
/// records a discrepancy where both exist and differ.
#[allow(clippy::too_many_arguments)]
fn reconcile<T: Clone, K: Ord + Clone>(
    all: Vec<T>,
    key: impl Fn(&T) -> K,
    source: impl Fn(&T) -> Source,
    explicit: impl Fn(&T) -> bool,
    repeated: impl Fn(&T) -> bool,
    what: &'static str,
    label: impl Fn(&T) -> String,
    discrepancies: &mut Vec<Discrepancy>,
) -> Vec<T> {
    let header: Vec<T> = all.iter().filter(|x| source(x) == Source::Header).cloned().collect();
    let narrative: Vec<T> = all.iter().filter(|x| source(x) == Source::Narrative).cloned().collect();
    if narrative.is_empty() {
        return header;
    }
    // A narrative that never names its own levels for this kind (it carries them over or infers
    // them) does not contradict the header: keep both.
    if !narrative.iter().any(&explicit) {
        // The header names levels the narrative only implies: the header's levels stand.
        if header.iter().any(&explicit) {
            return header;
        }
        let keys: BTreeSet<K> = narrative.iter().map(&key).collect();
        let mut out = narrative;
        out.extend(header.into_iter().filter(|h| !keys.contains(&key(h))));
        return out;
    }
    let mut narrative: Vec<T> = narrative;
    // "The same procedure was performed at C6-7": the header's item at a level the narrative
    // repeats the work at stands.
    let nk: BTreeSet<K> = narrative.iter().map(&key).collect();
    narrative.extend(header.iter().filter(|h| !nk.contains(&key(h)) && repeated(h)).cloned());
    if !header.is_empty() {
        let hk: BTreeSet<K> = header.iter().map(&key).collect();
        let nk: BTreeSet<K> = narrative.iter().map(&key).collect();
        if !hk.is_subset(&nk) || !nk.is_subset(&hk) && !header.iter().any(&repeated) {
            let list = |v: &[T]| {
                let mut l: Vec<String> = v.iter().map(&label).collect();
                l.sort();
                l.dedup();
                l.join(", ")
            };
            discrepancies.push(Discrepancy {
                what,
                header: list(&header),
                narrative: list(&narrative),
                evidence: Vec::new(),
            });
        }
    }
    narrative
}

/// Words that say a sentence repeats the work just described at another level.
const REPEATED: Phrases = Phrases::of(&[
    "the same",
    "same manner",
    "same fashion",
    "similar fashion",
    "similarly",
    "likewise",
    "was repeated",
    "were repeated",
    "identical fashion",
    "as above",
]);

/// Interspaces named in narrative sentences that repeat earlier work there.
fn repeated_interspaces(r: &Reader<'_, '_>) -> BTreeSet<Interspace> {
    r.doc
        .levels
        .iter()
        .filter(|l| r.doc.section_of(l.sentence) == SectionKind::Narrative && r.doc.sentence_has(l.sentence, REPEATED))
        .flat_map(|l| l.level.interspaces())
        .collect()
}

/// Phrases that say bone was removed to reach the disc space, not to decompress.
const PREP: Phrases = Phrases::of(&[
    "to access",
    "access to the disc",
    "access the disc",
    "to gain access",
    "in preparation",
    "to prepare",
    "for the interbody",
    "for interbody",
    "to expose the disc",
    "exposure of the disc",
    "to allow",
    "for placement of",
    "for the tlif",
    "for the plif",
    "for cage",
    "to enter the disc",
    "working corridor",
    "to reach the disc",
    "in order to access",
    "to palpate",
    "palpation of",
    "medial wall of the pedicle",
    "to identify the pedicle",
    "to expose the pedicle",
    "for screw placement",
    "for the screw",
]);

fn decompressions(r: &Reader<'_, '_>, approach: NoteApproach, f: &mut Findings) {
    let repeated = repeated_interspaces(r);
    // "L5 Gill laminectomy", "the loose lamina was removed (Gill procedure)".
    let mut gill: Vec<Vertebra> = r
        .mentions
        .iter()
        .filter(|m| {
            matches!(m.hit.concept, Concept::Laminectomy | Concept::Decompression)
                && m.affirmed()
                && describes_procedure(m.section)
                && r.doc.sentence_has(m.hit.sentence, phrases!("gill"))
        })
        .flat_map(M::vertebrae)
        .filter(|v| v.region() == Region::Lumbar)
        .collect();
    gill.sort();
    gill.dedup();
    f.gill = gill;
    let mut all: Vec<Decompression> = Vec::new();
    // In an operation done only from the front, foraminotomies and decompressions are part of
    // the anterior discectomy, corpectomy or arthroplasty, and a discectomy is anterior.
    let anterior_only = approach == NoteApproach::Anterior
        && !r.any_done(Concept::Laminectomy)
        && !r.any_done(Concept::Laminotomy)
        && !r.any_done(Concept::Laminoplasty);
    let anterior_procedure = r.any_done(Concept::Acdf)
        || r.any_done(Concept::Corpectomy)
        || r.any_done(Concept::Arthroplasty)
        || f.fusions.iter().any(|x| matches!(x.kind, FusionKind::Interbody(a) if a.is_anterior()));
    let interbody_posterior =
        |s: usize| r.sentence_any(s, &[Concept::Tlif, Concept::Plif, Concept::InterbodyFusion, Concept::Cage]);
    // Work a sentence tells that makes a laminectomy one "with facetectomy and foraminotomy"
    // (63045–63047) without those words: facets undercut, the lateral recesses named, or nerve
    // roots decompressed (what 63045–63047 add to 63001–63005's cord or cauda equina).
    let facet_work = |s: usize| {
        r.doc.sentence_has(s, phrases!("undercut", "lateral recess"))
            || r.doc.sentence_has(s, phrases!("root")) && r.doc.sentence_has(s, phrases!("decompress"))
    };
    // A laminotomy that makes room for a stimulator's paddle electrode is part of placing it
    // (63655), unless its sentence tells of neural structures decompressed.
    let stimulator = f.stimulator_electrode.is_some();
    for m in &r.mentions {
        if !m.affirmed() || !describes_procedure(m.section) || m.removed() {
            continue;
        }
        let s = m.hit.sentence;
        if stimulator && !r.doc.sentence_has(s, phrases!("decompress", "stenosis")) {
            continue;
        }
        let kind = match m.hit.concept {
            Concept::Foraminotomy | Concept::Decompression if anterior_only => continue,
            // The anterior fusion's discectomy prepares the interspace "other than for
            // decompression" (CPT): a thoracic one that decompresses the cord or roots is 63077
            // beside 22556. In the neck 22551 includes it.
            Concept::Discectomy | Concept::Microdiscectomy if anterior_only && anterior_procedure => {
                let thoracic =
                    !m.interspaces().is_empty() && m.interspaces().into_iter().all(|i| i.region() == Region::Thoracic);
                if !(thoracic && r.doc.sentence_has(s, phrases!("decompress"))) {
                    continue;
                }
                DecompressionKind::AnteriorDiscectomy
            }
            Concept::Discectomy | Concept::Microdiscectomy if anterior_only => DecompressionKind::AnteriorDiscectomy,
            Concept::Laminectomy => DecompressionKind::Laminectomy,
            Concept::Laminotomy => DecompressionKind::Laminotomy,
            Concept::Microdiscectomy => DecompressionKind::Discectomy,
            Concept::Foraminotomy => DecompressionKind::Foraminotomy,
            Concept::Laminoplasty => DecompressionKind::Laminoplasty,
            Concept::Discectomy => {
                // Discectomy belongs to the fusion, the arthroplasty or the corpectomy in their sentences.
                if interbody_posterior(s)
                    || r.sentence_any(
                        s,
                        &[
                            Concept::Acdf,
                            Concept::Alif,
                            Concept::LateralInterbody,
                            Concept::ObliqueInterbody,
                            Concept::Fusion,
                            Concept::Arthroplasty,
                            Concept::Corpectomy,
                            Concept::DiscSpace,
                            Concept::InterbodyFusion,
                        ],
                    )
                {
                    continue;
                }
                let anterior = r.sentence_any(s, &[Concept::Anterior])
                    || (r.doc.region == Some(Region::Cervical)
                        && approach != NoteApproach::Posterior
                        && !r.sentence_any(s, &[Concept::Posterior, Concept::Laminotomy, Concept::Foraminotomy]));
                // A thoracic anterior discectomy at an interspace fused elsewhere in the note is
                // that fusion's preparation unless it decompresses (as above).
                let is = m.interspaces();
                if anterior
                    && !is.is_empty()
                    && is
                        .into_iter()
                        .all(|i| i.region() == Region::Thoracic && f.fusions.iter().any(|x| x.interspace == i))
                    && !r.doc.sentence_has(s, phrases!("decompress"))
                {
                    continue;
                }
                if anterior { DecompressionKind::AnteriorDiscectomy } else { DecompressionKind::Discectomy }
            }
            Concept::Decompression => DecompressionKind::Unspecified,
            _ => continue,
        };
        let prep_words = r.doc.sentence_has(s, PREP);
        let decompressive = r.sentence_any(
            s,
            &[
                Concept::ThecalSac,
                Concept::Stenosis,
                Concept::Herniation,
                Concept::Decompression,
                Concept::Foraminotomy,
            ],
        ) || r.doc.sentence_has(s, phrases!("stenosis"))
            || r.doc.sentence_has(s, phrases!("decompress"));
        if (prep_words || interbody_posterior(s)) && !decompressive {
            continue;
        }
        // A decompression inside an ACDF or arthroplasty sentence is part of that code.
        if r.sentence_any(s, &[Concept::Acdf, Concept::Arthroplasty])
            && !matches!(kind, DecompressionKind::Laminectomy | DecompressionKind::Laminotomy)
        {
            continue;
        }
        let vertebrae: Vec<Vertebra> =
            m.levels.iter().filter_map(|l| if let LevelRef::Vertebra(v) = l { Some(*v) } else { None }).collect();
        let mut interspaces = Vec::new();
        let mut named = vertebrae.clone();
        for l in m.levels {
            if let LevelRef::Span(a, b) = l {
                if b.index() == a.index() + 1 {
                    interspaces.extend(l.interspaces());
                } else {
                    named.extend(l.vertebrae());
                }
            }
        }
        if named.is_empty() && interspaces.is_empty() {
            continue;
        }
        named.sort();
        named.dedup();
        interspaces.sort();
        interspaces.dedup();
        let with_ff = r.sentence_any(s, &[Concept::Foraminotomy, Concept::Facetectomy])
            || r.doc.sentence_has(s, phrases!("foramin"))
            || facet_work(s);
        let evidence = m.evidence();
        let part = DecompressionPart {
            vertebrae: named.clone(),
            interspaces: interspaces.clone(),
            evidence: evidence.clone(),
        };
        all.push(Decompression {
            kind,
            vertebrae: named,
            interspaces,
            side: side_of(r.doc, s),
            with_facetectomy_or_foraminotomy: with_ff,
            source: source_of(m.section),
            explicit: !m.from_focus,
            evidence,
            parts: vec![part],
        });
    }
    // Merge by kind and source: one fact per kind per source, with the union of levels.
    let mut merged: Vec<Decompression> = Vec::new();
    for d in all {
        if let Some(x) = merged.iter_mut().find(|x| x.kind == d.kind && x.source == d.source) {
            x.vertebrae.extend(d.vertebrae);
            x.vertebrae.sort();
            x.vertebrae.dedup();
            x.interspaces.extend(d.interspaces);
            x.interspaces.sort();
            x.interspaces.dedup();
            x.with_facetectomy_or_foraminotomy |= d.with_facetectomy_or_foraminotomy;
            x.explicit |= d.explicit;
            x.side = match (x.side, d.side) {
                (a, b) if a == b => a,
                (Side::Unstated, b) => b,
                (a, Side::Unstated) => a,
                _ => Side::Bilateral,
            };
            x.evidence.extend(d.evidence);
            x.parts.extend(d.parts);
        } else {
            merged.push(d);
        }
    }
    // A laminectomy subsumes the foraminotomy, facetectomy and unspecified decompression at its levels.
    let lam: Vec<Decompression> = merged.iter().filter(|d| d.kind == DecompressionKind::Laminectomy).cloned().collect();
    merged.retain(|d| {
        if !matches!(d.kind, DecompressionKind::Foraminotomy | DecompressionKind::Unspecified) {
            return true;
        }
        !lam.iter().any(|l| l.source == d.source && covers(l, d))
    });
    let ff_in_note = r.any_done(Concept::Foraminotomy)
        || r.any_done(Concept::Facetectomy)
        || (0..r.doc.sentences.len())
            .any(|s| describes_procedure(r.doc.sections[r.doc.sentences[s].section].kind) && facet_work(s));
    for l in merged.iter_mut().filter(|d| d.kind == DecompressionKind::Laminectomy) {
        l.with_facetectomy_or_foraminotomy |= ff_in_note;
    }
    // Unspecified decompressions where a laminotomy or discectomy was named are that procedure.
    let named_kinds = merged.iter().any(|d| {
        matches!(
            d.kind,
            DecompressionKind::Laminotomy
                | DecompressionKind::Discectomy
                | DecompressionKind::AnteriorDiscectomy
                | DecompressionKind::Laminoplasty
        )
    });
    merged.retain(|d| !(d.kind == DecompressionKind::Unspecified && named_kinds));
    // Foraminotomies in the same source as a laminotomy at the same levels are part of it.
    let lamino: Vec<Decompression> = merged
        .iter()
        .filter(|d| matches!(d.kind, DecompressionKind::Laminotomy | DecompressionKind::Discectomy))
        .cloned()
        .collect();
    merged.retain(|d| {
        d.kind != DecompressionKind::Foraminotomy || !lamino.iter().any(|l| l.source == d.source && covers(l, d))
    });
    for d in &mut merged {
        d.evidence.sort();
        d.evidence.dedup();
    }
    let mut by_kind: BTreeMap<DecompressionKind, Vec<Decompression>> = BTreeMap::new();
    for d in merged {
        by_kind.entry(d.kind).or_default().push(d);
    }
    // "L4-5 laminectomy" in the list and "laminectomy of L4 and L5" in the narrative are the same
    // operation told two ways: compare the vertebrae each reaches. So is "laminectomy of L4": the
    // lamina above a disc space is the one taken for it, so a list item stands for a narrative one
    // that names only vertebrae: all of the item's, or the ones above its disc spaces.
    let reach = |d: &Decompression| {
        let bounds = d.interspaces.iter().flat_map(|i| [i.upper(), i.lower()]);
        d.vertebrae.iter().copied().chain(bounds).fold(0u64, |bits, v| bits | 1 << v.index())
    };
    for (_, group) in by_kind {
        let told: Vec<u64> =
            group.iter().filter(|d| d.source == Source::Narrative && d.interspaces.is_empty()).map(reach).collect();
        let keyed: Vec<(Decompression, u64)> = group
            .into_iter()
            .map(|d| {
                let mut key = reach(&d);
                if d.source == Source::Header
                    && !d.interspaces.iter().any(|i| repeated.contains(i))
                    && let Some(&n) = told.iter().find(|&&n| n & !key == 0 && key & !(n | n << 1) == 0)
                {
                    key = n;
                }
                (d, key)
            })
            .collect();
        let reconciled = reconcile(
            keyed,
            |d| d.1,
            |d| d.0.source,
            |d| d.0.explicit,
            |d| d.0.interspaces.iter().any(|i| repeated.contains(i)),
            "decompression",
            |d| format!("{:?} {}", d.0.kind, levels_label(&d.0.vertebrae, &d.0.interspaces)).to_lowercase(),
            &mut f.discrepancies,
        );
        f.decompressions.extend(reconciled.into_iter().map(|d| d.0));
    }
    // A discectomy at an interspace with an interbody fusion prepares that fusion, whatever the
    // approach; in a presacral fusion every disc step belongs to 22586.
    let interbody: Vec<Interspace> =
        f.fusions.iter().filter(|x| matches!(x.kind, FusionKind::Interbody(_))).map(|x| x.interspace).collect();
    let presacral = f.fusions.iter().any(|x| x.kind == FusionKind::Interbody(InterbodyApproach::Presacral));
    // A discectomy without a level of its own in an interbody fusion note is that fusion's disc
    // preparation ("a complete discectomy was carried out" after the disc was exposed).
    f.decompressions.retain(|d| {
        let prepares_fusion = presacral
            || !interbody.is_empty() && !d.explicit
            || interbody.iter().any(|i| {
                d.interspaces.contains(i) || (d.vertebrae.contains(&i.upper()) && d.vertebrae.contains(&i.lower()))
            });
        d.kind != DecompressionKind::Discectomy || !prepares_fusion
    });
}

fn covers(outer: &Decompression, inner: &Decompression) -> bool {
    let outer_v: BTreeSet<Vertebra> =
        outer.vertebrae.iter().copied().chain(outer.interspaces.iter().flat_map(|i| [i.upper(), i.lower()])).collect();
    inner.vertebrae.iter().all(|v| outer_v.contains(v))
        && inner.interspaces.iter().all(|i| outer_v.contains(&i.upper()) || outer_v.contains(&i.lower()))
}

fn levels_label(v: &[Vertebra], i: &[Interspace]) -> String {
    let mut parts: Vec<String> = v.iter().map(ToString::to_string).collect();
    parts.extend(i.iter().map(ToString::to_string));
    parts.join(" ")
}

/// Words after "corpectomy" that make it an adjective ("corpectomy cage", "corpectomy defect").
const CORPECTOMY_NOUNS: &[&str] =
    &[" cage", " defect", " site", " trough", " autograft", " bone", " graft", " space", " level", " bed", " gap"];

fn corpectomies(r: &Reader<'_, '_>, f: &mut Findings) {
    let header_has =
        r.done(Concept::Corpectomy).any(|m| m.section == SectionKind::Procedures && !m.vertebrae().is_empty());
    // "the bone from the corpectomy": a mention that borrows its levels refers back to a
    // corpectomy named with its own.
    let named = r.done(Concept::Corpectomy).any(|m| !m.from_focus && !m.vertebrae().is_empty());
    for m in r.done(Concept::Corpectomy) {
        if header_has && m.section != SectionKind::Procedures || named && m.from_focus {
            continue;
        }
        let after = &r.doc.text()[m.span.end..];
        let next: String = after.chars().take(12).collect::<String>().to_ascii_lowercase();
        if CORPECTOMY_NOUNS.iter().any(|n| next.starts_with(n)) {
            continue;
        }
        // "local autograft from the corpectomy" names where bone came from, once a corpectomy
        // has been named with its vertebrae; in a list it would take the item before's levels.
        let before = r.doc.text()[..m.span.start].trim_end().as_bytes();
        let ends = |w: &[u8]| {
            let Some(at) = before.len().checked_sub(w.len()) else { return false };
            before[at..].eq_ignore_ascii_case(w) && (at == 0 || !before[at - 1].is_ascii_alphanumeric())
        };
        if named && (ends(b"from the") || ends(b"from")) {
            continue;
        }
        let mut vs = m.vertebrae();
        // "C5-C6 corpectomy" names two bodies; an interspace-only mention names none.
        if vs.is_empty() {
            continue;
        }
        vs.retain(|v| v.index() >= 1 && v.index() <= 25);
        if vs.is_empty() {
            continue;
        }
        let anterior = r.sentence_any(
            m.hit.sentence,
            &[Concept::Anterior, Concept::Retroperitoneal, Concept::Transperitoneal, Concept::Thoracotomy],
        ) || r.doc.sentence_has(
            m.hit.sentence,
            phrases!("anterior corpectomy", "anterior vertebrectomy", "anterolateral corpectomy"),
        ) || vs[0].region() == Region::Cervical
            && !r.sentence_any(m.hit.sentence, &[Concept::Posterior, Concept::LateralExtracavitary]);
        if let Some(c) = f.corpectomies.iter_mut().find(|c| c.anterior == anterior) {
            c.vertebrae.extend(vs);
            c.vertebrae.sort();
            c.vertebrae.dedup();
            c.evidence.extend(m.evidence());
        } else {
            f.corpectomies.push(Corpectomy { vertebrae: vs, anterior, evidence: m.evidence() });
        }
    }
}

/// Whether a device's words name a made material ("PEEK spacer", "titanium cage"), not bone.
fn synthetic_material(words: &str) -> bool {
    let w = words.to_ascii_lowercase();
    ["cage", "peek", "titanium", "expandable", "3d"].iter().any(|m| w.contains(m))
}

fn devices(r: &Reader<'_, '_>, f: &mut Findings) {
    let integral = r
        .mentions
        .iter()
        .any(|m| m.hit.concept == Concept::IntegralFixation && m.affirmed() && describes_procedure(m.section));
    let corpectomy_span = f
        .corpectomies
        .iter()
        .flat_map(|c| c.vertebrae.iter().copied())
        .fold(None, |acc: Option<(Vertebra, Vertebra)>, v| Some(acc.map_or((v, v), |(a, b)| (a.min(v), b.max(v)))));
    // A note that names structural allograft spacers and no synthetic cage material.
    let synthetic =
        r.of(Concept::Cage).any(|m| m.affirmed() && synthetic_material(&r.doc.text()[m.span.start..m.span.end]));
    let structural_only = !synthetic && r.any_done(Concept::StructuralAllograft);
    let mut out: Vec<Device> = Vec::new();
    for m in r.done(Concept::Cage).chain(r.done(Concept::StructuralAllograft)) {
        if m.removed() {
            continue;
        }
        // A trial is not an implant.
        let word = r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase();
        if word == "trial"
            || r.doc
                .text()
                .get(m.span.start.saturating_sub(6)..m.span.start)
                .unwrap_or("")
                .to_ascii_lowercase()
                .contains("trial")
            || word == "peek"
                && !r.sentence_any(
                    m.hit.sentence,
                    &[
                        Concept::DiscSpace,
                        Concept::InterbodyFusion,
                        Concept::Tlif,
                        Concept::Plif,
                        Concept::Alif,
                        Concept::LateralInterbody,
                        Concept::Acdf,
                    ],
                )
        {
            continue;
        }
        // "spacer" or "interbody device" in a sentence about a structural allograft is that allograft.
        let generic = matches!(
            word.as_str(),
            "spacer"
                | "spacers"
                | "interbody spacer"
                | "interbody spacers"
                | "interbody device"
                | "interbody devices"
                | "interbody implant"
                | "interbody implants"
                | "biomechanical device"
                | "intervertebral device"
                | "interbody was"
        );
        let kind = if m.hit.concept == Concept::StructuralAllograft
            || (generic && (r.sentence_any(m.hit.sentence, &[Concept::StructuralAllograft]) || structural_only))
        {
            DeviceKind::StructuralAllograft
        } else {
            DeviceKind::Cage
        };
        let in_corpectomy = corpectomy_span.is_some()
            && (r.sentence_any(m.hit.sentence, &[Concept::Corpectomy])
                || r.doc.sentence_has(m.hit.sentence, phrases!("corpectomy"))
                || r.doc.sentence_has(m.hit.sentence, phrases!("defect"))
                || word.contains("corpectomy")
                || word.contains("vertebral body replacement")
                || word.contains("expandable") && m.interspaces().is_empty()
                // "a cage ... placed from T11 to L1" around the T12 corpectomy.
                || corpectomy_span.is_some_and(|(a, b)| {
                    m.levels.iter().any(|l| matches!(*l, LevelRef::Span(x, y) if x < a && b < y))
                }));
        if in_corpectomy {
            if !out.iter().any(|d| d.corpectomy.is_some()) {
                out.push(Device {
                    kind,
                    interspace: None,
                    corpectomy: corpectomy_span,
                    integral_fixation: integral,
                    evidence: m.evidence(),
                });
            }
            continue;
        }
        // "PEEK cages at each level": every interbody-fused interspace its sentence names.
        let mut is = m.interspaces();
        if r.doc.sentence_has(
            m.hit.sentence,
            phrases!("each level", "both levels", "each interspace", "both interspaces", "every level", "all levels"),
        ) {
            let s = m.hit.sentence;
            let fused = |i: &Interspace| {
                f.fusions.iter().any(|x| matches!(x.kind, FusionKind::Interbody(_)) && x.interspace == *i)
            };
            is = is
                .into_iter()
                .chain(
                    r.doc.levels.iter().filter(|l| l.sentence == s).flat_map(|l| l.level.interspaces()).filter(fused),
                )
                .collect();
        }
        if is.is_empty() {
            out.push(Device {
                kind,
                interspace: None,
                corpectomy: None,
                integral_fixation: integral,
                evidence: m.evidence(),
            });
        }
        for i in is {
            out.push(Device {
                kind,
                interspace: Some(i),
                corpectomy: None,
                integral_fixation: integral,
                evidence: m.evidence(),
            });
        }
    }
    // Devices without a level go to the interbody fusions that have none.
    let interbody: Vec<Interspace> =
        f.fusions.iter().filter(|x| matches!(x.kind, FusionKind::Interbody(_))).map(|x| x.interspace).collect();
    let mut placed: BTreeMap<Interspace, Device> = BTreeMap::new();
    let mut unplaced: Vec<Device> = Vec::new();
    let mut corpectomy: Option<Device> = None;
    for d in out {
        match (d.interspace, d.corpectomy) {
            (Some(i), _) => {
                let e = placed.entry(i).or_insert_with(|| d.clone());
                // A synthetic cage wins over a structural allograft named at the same interspace.
                if d.kind == DeviceKind::Cage {
                    e.kind = DeviceKind::Cage;
                }
                if e.evidence != d.evidence {
                    e.evidence.extend(d.evidence);
                }
            }
            (None, Some(_)) => corpectomy = corpectomy.or(Some(d)),
            (None, None) => unplaced.push(d),
        }
    }
    if let Some(template) = unplaced.first() {
        let kind = if unplaced.iter().any(|d| d.kind == DeviceKind::Cage) {
            DeviceKind::Cage
        } else {
            DeviceKind::StructuralAllograft
        };
        for i in &interbody {
            placed.entry(*i).or_insert_with(|| Device {
                kind,
                interspace: Some(*i),
                corpectomy: None,
                integral_fixation: integral,
                evidence: template.evidence.clone(),
            });
        }
    }
    // Devices only count in interspaces that were fused, and not in interspaces opened by a
    // corpectomy when a device fills that defect.
    let fused: BTreeSet<Interspace> = f.fusions.iter().map(|x| x.interspace).collect();
    let corpectomised: BTreeSet<Vertebra> = f.corpectomies.iter().flat_map(|c| c.vertebrae.iter().copied()).collect();
    if corpectomy.is_some() {
        placed.retain(|i, _| !corpectomised.contains(&i.upper()) && !corpectomised.contains(&i.lower()));
    }
    let arthroplasty: BTreeSet<Interspace> = f.arthroplasties.iter().map(|a| a.interspace).collect();
    f.devices = placed
        .into_values()
        .filter(|d| d.interspace.is_some_and(|i| fused.contains(&i) && !arthroplasty.contains(&i)))
        .collect();
    for d in &mut f.devices {
        d.evidence.sort();
        d.evidence.dedup();
    }
    f.devices.extend(corpectomy);
}

fn constructs(r: &Reader<'_, '_>, f: &mut Findings) {
    let mut posterior: BTreeSet<Vertebra> = BTreeSet::new();
    let mut span: Option<(Vertebra, Vertebra)> = None;
    let mut pelvic = false;
    let mut evidence: Vec<Span> = Vec::new();
    let mut header_span: Option<(Vertebra, Vertebra)> = None;
    let mut removed: BTreeMap<bool, (BTreeSet<Vertebra>, Vec<Span>)> = BTreeMap::new();
    let anterior_case = f.fusions.iter().any(|x| matches!(x.kind, FusionKind::Interbody(a) if a.is_anterior()))
        || !f.corpectomies.is_empty();
    // Spans named as "instrumentation" or "rods" are posterior only where posterior anchors are
    // named somewhere (an ACDF's "C6-7 construct" is its plate).
    let posterior_hardware = [
        Concept::PedicleScrew,
        Concept::LateralMassScrew,
        Concept::Hook,
        Concept::Wire,
        Concept::Rod,
        Concept::OccipitalFixation,
    ]
    .iter()
    .any(|c| r.of(*c).any(|m| !m.hit.context.has(Context::NEGATED) && describes_procedure(m.section)))
        || r.of(Concept::Instrumentation).any(|m| {
            // "L4-S1 posterior instrumentation" says so itself.
            !m.hit.context.has(Context::NEGATED)
                && describes_procedure(m.section)
                && r.doc.text()[m.span.start..m.span.end].get(..9).is_some_and(|w| w.eq_ignore_ascii_case("posterior"))
        });
    let si_case = r.any_done(Concept::SiFusion) || r.any_done(Concept::SiImplant);
    let extend = |span: &mut Option<(Vertebra, Vertebra)>, vs: &[Vertebra]| {
        for v in vs {
            *span = Some(span.map_or((*v, *v), |(a, b)| (a.min(*v), b.max(*v))));
        }
    };
    let mut reinsert_anchors: BTreeSet<Vertebra> = BTreeSet::new();
    for m in &r.mentions {
        if !describes_procedure(m.section) {
            continue;
        }
        let s = m.hit.sentence;
        let anchor_concept = matches!(
            m.hit.concept,
            Concept::PedicleScrew
                | Concept::LateralMassScrew
                | Concept::Hook
                | Concept::Wire
                | Concept::Screw
                | Concept::OccipitalFixation
        );
        // Anchors taken out are recorded whatever the sentence says about placement.
        if anchor_concept
            && m.removed()
            && !m.hit.context.has(Context::NEGATED)
            && !m.hit.context.has(Context::HYPOTHETICAL)
        {
            // Screws of an anterior plate are anterior hardware.
            let anterior = r.sentence_any(s, &[Concept::Plate]) || anterior_case && !posterior_hardware;
            let e = removed.entry(anterior).or_default();
            e.0.extend(m.vertebrae());
            e.1.push(m.span);
            continue;
        }
        // "Removal of posterior segmental instrumentation L4-S1": a construct taken out, named by
        // its span rather than its anchors.
        if matches!(m.hit.concept, Concept::Instrumentation | Concept::Rod)
            && m.removed()
            && !m.from_focus
            && !m.hit.context.has(Context::NEGATED)
            && !m.hit.context.has(Context::HYPOTHETICAL)
            && !r.sentence_any(s, &[Concept::Reinsertion])
        {
            let vs = m.vertebrae();
            if !vs.is_empty() {
                let e = removed.entry(r.sentence_any(s, &[Concept::Anterior, Concept::Plate])).or_default();
                e.0.extend(vs);
                e.1.push(m.span);
                continue;
            }
        }
        // "Removal and reinsertion of the right L5 pedicle screw": the anchors were reinserted.
        if anchor_concept && m.affirmed() && r.sentence_any(s, &[Concept::Reinsertion]) && !m.vertebrae().is_empty() {
            reinsert_anchors.extend(m.vertebrae());
            evidence.push(m.span);
            continue;
        }
        let anchor = match m.hit.concept {
            Concept::PedicleScrew | Concept::LateralMassScrew | Concept::Hook | Concept::Wire => true,
            Concept::OccipitalFixation => true,
            // A bare "screw" is posterior only when the sentence is not about a plate, cage or
            // anterior work, and the operation has posterior instrumentation words.
            Concept::Screw => {
                !r.sentence_any(
                    s,
                    &[
                        Concept::Plate,
                        Concept::Cage,
                        Concept::StructuralAllograft,
                        Concept::IntegralFixation,
                        Concept::Anterior,
                        Concept::Kyphoplasty,
                        Concept::SiFusion,
                        Concept::SiImplant,
                        Concept::IliacFixation,
                    ],
                ) && !r.doc.sentence_has(s, phrases!("plate"))
                    && (r.sentence_any(
                        s,
                        &[Concept::Posterior, Concept::Rod, Concept::PedicleScrew, Concept::Percutaneous],
                    ) || r.doc.sentence_has(s, phrases!("pedicle"))
                        || !anterior_case)
                    // A screw of this operation is placed; others are old hardware being handled.
                    && (m.section == SectionKind::Procedures || r.doc.sentence_has(s, PLACED))
                    // In a sacroiliac fusion, screws are the joint's implants.
                    && (!si_case || r.doc.sentence_has(s, phrases!("pedicle")))
            }
            Concept::IliacFixation => {
                if m.affirmed() && !m.removed() {
                    pelvic = true;
                    evidence.push(m.span);
                }
                continue;
            }
            Concept::Instrumentation | Concept::Rod
                if !posterior_hardware || r.sentence_any(s, &[Concept::Reinsertion]) =>
            {
                continue;
            }
            Concept::Instrumentation | Concept::Rod => {
                // A named span ("instrumentation from L3 to S1", "rods from T10 to the pelvis").
                let vs = m.vertebrae();
                let is_anterior = r.sentence_any(s, &[Concept::Anterior, Concept::Plate]);
                let placed = m.section == SectionKind::Procedures
                    || r.doc.sentence_has(s, PLACED)
                    || r.doc.sentence_has(s, phrases!("contoured"))
                    || r.doc.sentence_has(s, phrases!("connected"));
                if m.affirmed() && !m.removed() && vs.len() >= 2 && !m.from_focus && !is_anterior && placed {
                    if m.section == SectionKind::Procedures {
                        extend(&mut header_span, &vs);
                    } else {
                        extend(&mut span, &vs);
                    }
                    evidence.extend(m.evidence());
                    if m.pelvis() && m.affirmed() {
                        pelvic |= r.doc.sentence_has(s, phrases!("iliac")) || r.doc.sentence_has(s, phrases!("pelvis"));
                    }
                }
                if m.hit.context.has(Context::NEGATED)
                    && m.hit.concept == Concept::Instrumentation
                    && !m.hit.context.has(Context::HISTORICAL)
                {
                    f.instrumentation_negated.get_or_insert_with(Vec::new).push(m.span);
                }
                continue;
            }
            _ => continue,
        };
        if !anchor {
            continue;
        }
        // Existing hardware being examined is not an anchor placed in this operation.
        if r.doc.sentence_has(s, EXAMINED) && !r.doc.sentence_has(s, PLACED) {
            continue;
        }
        let vs = m.vertebrae();
        if m.removed() && !m.hit.context.has(Context::NEGATED) {
            let e = removed.entry(false).or_default();
            e.0.extend(vs);
            e.1.push(m.span);
            continue;
        }
        if !m.affirmed() {
            continue;
        }
        if m.hit.concept == Concept::OccipitalFixation {
            posterior.insert(Vertebra::OCCIPUT);
            evidence.push(m.span);
        }
        if m.pelvis() {
            pelvic |= r.doc.sentence_has(s, phrases!("iliac")) || r.doc.sentence_has(s, phrases!("s2"));
        }
        if vs.is_empty() {
            evidence.push(m.span);
            continue;
        }
        if m.section == SectionKind::Procedures {
            extend(&mut header_span, &vs);
        } else {
            posterior.extend(vs.iter().copied());
        }
        evidence.extend(m.evidence());
    }
    let anchors: Vec<Vertebra> = posterior.iter().copied().collect();
    // New anchors only where old ones were taken out, and no rod or construct span named:
    // the anchors were reinserted, no new construct was built.
    let only_reinserted = !reinsert_anchors.is_empty()
        && anchors
            .iter()
            .all(|v| reinsert_anchors.contains(v) || removed.get(&false).is_some_and(|(old, _)| old.contains(v)))
        && span.is_none()
        // A procedure list naming a construct span ("instrumentation L2 to S1") names a new one.
        && header_span.is_none();
    if only_reinserted {
        let e = removed.entry(false).or_default();
        e.0.extend(reinsert_anchors.iter().copied());
        f.reinserted = reinsert_anchors
            .iter()
            .copied()
            .chain(anchors.iter().copied())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for (anterior, (vs, ev)) in removed {
            f.removals.push(Removal {
                side: if anterior { ConstructSide::Anterior } else { ConstructSide::Posterior },
                vertebrae: vs.into_iter().collect(),
                evidence: dedup(ev),
            });
        }
        return;
    }
    if let Some((old, _)) = removed.get(&false)
        && !anchors.is_empty()
        && anchors.iter().all(|v| old.contains(v))
        && span.is_none()
        && header_span.is_none()
    {
        f.reinserted = anchors;
        for (anterior, (vs, ev)) in removed {
            f.removals.push(Removal {
                side: if anterior { ConstructSide::Anterior } else { ConstructSide::Posterior },
                vertebrae: vs.into_iter().collect(),
                evidence: dedup(ev),
            });
        }
        return;
    }
    extend(&mut span, &anchors);
    let span = span.or(header_span);
    let any_posterior_instrumentation = !evidence.is_empty();
    if let Some((from, to)) = span
        && to > from
    {
        f.constructs.push(Construct {
            side: ConstructSide::Posterior,
            from,
            to,
            anchored: anchors.clone(),
            pelvic,
            inferred: false,
            evidence: dedup(evidence),
        });
    } else if any_posterior_instrumentation && f.instrumentation_negated.is_none() {
        // Screws named without levels: they span the posterior fusion.
        let fused: Vec<Interspace> = f
            .fusions
            .iter()
            .filter(|x| {
                matches!(x.kind, FusionKind::Posterolateral)
                    || matches!(x.kind, FusionKind::Interbody(a) if a.is_posterior())
            })
            .map(|x| x.interspace)
            .collect();
        if let (Some(a), Some(b)) = (fused.iter().min(), fused.iter().max()) {
            f.constructs.push(Construct {
                side: ConstructSide::Posterior,
                from: a.upper(),
                to: b.lower(),
                anchored: Vec::new(),
                pelvic,
                inferred: true,
                evidence: dedup(evidence),
            });
        } else if let (Some(a), Some(b)) =
            (f.fusions.iter().map(|x| x.interspace).min(), f.fusions.iter().map(|x| x.interspace).max())
            && f.fusions
                .iter()
                .all(|x| !matches!(x.kind, FusionKind::Interbody(k) if k == InterbodyApproach::AnteriorCervical))
            && r.sentence_any_in_note(&[Concept::PedicleScrew, Concept::Percutaneous])
        {
            f.constructs.push(Construct {
                side: ConstructSide::Posterior,
                from: a.upper(),
                to: b.lower(),
                anchored: Vec::new(),
                pelvic,
                inferred: true,
                evidence: dedup(evidence),
            });
        }
    }

    // Anterior plates.
    let mut plate_span: Option<(Vertebra, Vertebra)> = None;
    let mut plate_header_span: Option<(Vertebra, Vertebra)> = None;
    let mut plate_evidence = Vec::new();
    let mut plate_seen = false;
    // The narrative saying no plate was placed overrides a procedure list that names one; so does
    // a cage with integral fixation when the list only says "anterior instrumentation".
    let plate_negated = r.of(Concept::Plate).any(|m| {
        m.hit.context.has(Context::NEGATED) && m.section != SectionKind::Procedures && describes_procedure(m.section)
    });
    let integral = r.any_done(Concept::IntegralFixation);
    for m in &r.mentions {
        if m.hit.concept != Concept::Plate || !describes_procedure(m.section) {
            continue;
        }
        let s = m.hit.sentence;
        if m.section == SectionKind::Procedures
            && (plate_negated
                || integral && !r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase().contains("plate"))
        {
            continue;
        }
        let laminoplasty = r.any_done(Concept::Laminoplasty)
            && (r.sentence_any(s, &[Concept::Laminoplasty])
                || !f.fusions.iter().any(|x| matches!(x.kind, FusionKind::Interbody(_))));
        if laminoplasty && m.affirmed() {
            f.laminoplasty_fixation.get_or_insert_with(Vec::new).push(m.span);
            continue;
        }
        if r.sentence_any(s, &[Concept::IntegralFixation, Concept::OccipitalFixation])
            || r.doc.sentence_has(s, phrases!("occipital"))
            || r.doc.sentence_has(s, phrases!("end plate"))
            || r.doc.sentence_has(s, phrases!("endplate"))
        {
            continue;
        }
        let word = r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase();
        if word.starts_with("plate")
            && (r.doc.sentence_has(s, phrases!("end-plate")) || r.doc.sentence_has(s, phrases!("cartilaginous")))
        {
            continue;
        }
        if m.removed() && !m.hit.context.has(Context::NEGATED) {
            let e = removed.entry(true).or_default();
            e.0.extend(m.vertebrae());
            e.1.push(m.span);
            continue;
        }
        if !m.affirmed() {
            continue;
        }
        // A plate that belongs to a cage ("integrated locking plate") is the cage's fixation.
        if r.doc.sentence_has(s, phrases!("integrat", "zero-profile", "zero profile", "of the cage", "stand-alone")) {
            continue;
        }
        plate_seen = true;
        plate_evidence.push(m.span);
        let vs = m.vertebrae();
        // Only a sentence that places the plate says what it spans ("the top of the plate sits below
        // the C4-5 disc" does not).
        let placing = matches!(m.section, SectionKind::Procedures | SectionKind::Implants)
            || r.doc.sentence_has(s, PLACED)
            || r.doc.sentence_has(
                s,
                phrases!("applied", "spanning", "affixed", "fixed", "contoured", "spans", "extending"),
            );
        if vs.len() >= 2 && !m.from_focus && placing {
            // The narrative's span wins over the procedure list's.
            if m.section == SectionKind::Procedures {
                extend(&mut plate_header_span, &vs);
            } else {
                extend(&mut plate_span, &vs);
            }
            plate_evidence.extend(m.evidence());
        }
    }
    if plate_seen {
        let plate_span = plate_span.or(plate_header_span);
        let span = plate_span.or_else(|| {
            let anterior: Vec<Interspace> = f
                .fusions
                .iter()
                .filter(|x| matches!(x.kind, FusionKind::Interbody(a) if a.is_anterior()))
                .map(|x| x.interspace)
                .collect();
            let corp: Vec<Vertebra> = f.corpectomies.iter().flat_map(|c| c.vertebrae.iter().copied()).collect();
            let lo = anterior
                .iter()
                .map(|i| i.upper())
                .chain(corp.iter().map(|v| Vertebra::from_index(v.index().saturating_sub(1)).unwrap_or(*v)))
                .min();
            let hi = anterior.iter().map(|i| i.lower()).chain(corp.iter().map(|v| v.next().unwrap_or(*v))).max();
            lo.zip(hi)
        });
        if let Some((from, to)) = span
            && to > from
        {
            f.constructs.push(Construct {
                side: ConstructSide::Anterior,
                from,
                to,
                anchored: Vec::new(),
                pelvic: false,
                inferred: plate_span.is_none(),
                evidence: dedup(plate_evidence),
            });
        }
    }
    for (anterior, (vs, ev)) in removed {
        f.removals.push(Removal {
            side: if anterior { ConstructSide::Anterior } else { ConstructSide::Posterior },
            vertebrae: vs.into_iter().collect(),
            evidence: dedup(ev),
        });
    }
}

/// Words that say an anchor was put in during this operation.
const PLACED: Phrases = Phrases::of(&[
    "placed",
    "inserted",
    "placement",
    "insertion",
    "seated",
    "advanced",
    "driven",
    "cannulated",
    "tapped",
    "were put",
    "was put",
    "instrumented",
    "fixated",
    "secured",
]);

/// Words that say existing hardware was looked at, not placed.
const EXAMINED: Phrases = Phrases::of(&[
    "stress",
    "exposed",
    "inspected",
    "checked",
    "loosen",
    "tight",
    "well fixed",
    "well-fixed",
    "halo around",
    "lucency",
]);

fn dedup(mut v: Vec<Span>) -> Vec<Span> {
    v.sort();
    v.dedup();
    v
}

impl Reader<'_, '_> {
    fn sentence_any_in_note(&self, cs: &[Concept]) -> bool {
        cs.iter().any(|c| self.any_done(*c))
    }
}

/// Autograft words that do not say where the bone came from.
const GENERIC_AUTOGRAFT: &[&str] = &[
    "autograft",
    "autologous bone",
    "autogenous bone",
    "autologous bone graft",
    "autogenous bone graft",
    "morselized autograft",
    "morcellized autograft",
];

/// A sentence that says bone was harvested from the iliac crest (not the crest as a landmark,
/// a screw entry point or a place that was prepped and draped).
fn iliac_harvest(r: &Reader<'_, '_>, s: usize) -> bool {
    let harvest = r.doc.sentence_has(
        s,
        phrases!(
            "harvest",
            "graft",
            "obtained",
            "procured",
            "taken from",
            "cancellous bone",
            "corticocancellous",
            "curette",
            "gouge",
            "osteotome",
        ),
    );
    let landmark = r.doc.sentence_has(
        s,
        phrases!(
            "prepped",
            "draped",
            "bump",
            "table",
            "starting point",
            "entry point",
            "padded",
            "retractor",
            "landmark",
            "array",
            "reference",
            "pin",
            "navigation",
        ),
    );
    // Screws into the ilium are fixation; screws elsewhere in a long sentence are not about it.
    let t = r.doc.sentence_text(s);
    let near_iliac_screw = t.windows(5).enumerate().filter(|(_, w)| *w == b"iliac").any(|(i, _)| {
        let around = &t[i.saturating_sub(40)..(i + 45).min(t.len())];
        [&b"screw"[..], b"bolt"].iter().any(|w| around.windows(w.len()).any(|x| x == *w))
    });
    let fixation = r.sentence_any(s, &[Concept::IliacFixation]) || near_iliac_screw;
    harvest && !landmark && !fixation && !r.sentence_any(s, &[Concept::BoneMarrowAspirate])
}

fn grafts(r: &Reader<'_, '_>, f: &mut Findings) {
    let mut kinds: BTreeMap<GraftKind, Vec<Span>> = BTreeMap::new();
    let harvested = r
        .of(Concept::IliacCrest)
        .any(|m| m.affirmed() && describes_procedure(m.section) && iliac_harvest(r, m.hit.sentence));
    let separate_in_note = r.any_done(Concept::SeparateIncision);
    // "Iliac crest bone was harvested through the same incision": 20937 and 20938 need a separate
    // skin or fascial incision, so the harvest is left to the coder.
    let same_incision = |s: usize| {
        r.doc.sentence_has(s, phrases!("same incision", "same skin incision", "same midline incision"))
            && !r.sentence_any(s, &[Concept::SeparateIncision])
    };
    // Whether every morselized allograft read is the bare word "allograft" (see below).
    let mut bare_allograft_only = true;
    for m in &r.mentions {
        if !m.affirmed() || !describes_procedure(m.section) {
            continue;
        }
        let s = m.hit.sentence;
        if matches!(m.hit.concept, Concept::IliacCrest | Concept::Tricortical) && same_incision(s) {
            f.iliac_same_incision.get_or_insert_with(Vec::new).push(m.span);
            continue;
        }
        let kind = match m.hit.concept {
            Concept::LocalAutograft => {
                // "Autograft" without "local" is the harvested graft when one was harvested or
                // the sentence names the crest; "local bone … combined with the iliac crest
                // autograft" is both.
                let word = r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase();
                let generic = GENERIC_AUTOGRAFT.contains(&word.as_str());
                if generic && (harvested || r.sentence_any(s, &[Concept::IliacCrest, Concept::Tricortical])) {
                    continue;
                }
                GraftKind::LocalAutograft
            }
            Concept::IliacCrest => {
                if !iliac_harvest(r, s) {
                    continue;
                }
                if r.sentence_any(s, &[Concept::BoneMarrowAspirate]) {
                    continue;
                }
                if r.sentence_any(s, &[Concept::Tricortical, Concept::StructuralAllograft])
                    || r.doc.sentence_has(s, phrases!("structural"))
                {
                    GraftKind::SeparateAutograftStructural
                } else {
                    GraftKind::SeparateAutograftMorselized
                }
            }
            Concept::Tricortical => {
                if !(r.sentence_any(s, &[Concept::IliacCrest, Concept::BoneGraft])
                    || r.doc.sentence_has(s, phrases!("graft")))
                {
                    continue;
                }
                GraftKind::SeparateAutograftStructural
            }
            Concept::Allograft => {
                // "An allograft spacer" is the structural graft; "PEEK spacers filled with
                // allograft" hold a morselized one.
                let synthetic_spacer = r.by_sentence[s].clone().any(|i| {
                    let c = &r.mentions[i];
                    c.hit.concept == Concept::Cage && synthetic_material(&r.doc.text()[c.span.start..c.span.end])
                }) || r.doc.sentence_has(s, phrases!("packed", "filled"));
                if r.sentence_any(s, &[Concept::StructuralAllograft])
                    || r.doc.sentence_has(s, phrases!("spacer")) && !synthetic_spacer
                {
                    continue;
                }
                bare_allograft_only &= r.doc.text()[m.span.start..m.span.end].eq_ignore_ascii_case("allograft")
                    && !r.doc.sentence_has(s, phrases!("packed", "filled", "chips", "morsel", "cancellous", "crushed"));
                GraftKind::MorselizedAllograft
            }
            Concept::Dbm | Concept::Bmp => GraftKind::Osteopromotive,
            Concept::StructuralAllograft => GraftKind::StructuralAllograft,
            Concept::BoneMarrowAspirate => {
                let separate = r
                    .sentence_any(s, &[Concept::IliacCrest, Concept::SeparateIncision, Concept::Percutaneous])
                    || r.doc.sentence_has(s, phrases!("iliac"))
                    || separate_in_note;
                if !separate {
                    continue;
                }
                GraftKind::BoneMarrowAspirate
            }
            Concept::SyntheticGraft => GraftKind::Synthetic,
            _ => continue,
        };
        kinds.entry(kind).or_default().push(m.span);
    }
    // "C5-6 ACDF with allograft and plate" over "a structural allograft was placed": where every
    // fusion is between the bodies, a bare "allograft" in a note with a structural one is that
    // graft, not a second, morselized one (packed, chips, cancellous … still are).
    let structural = kinds.contains_key(&GraftKind::StructuralAllograft)
        || f.devices.iter().any(|d| d.kind == DeviceKind::StructuralAllograft);
    let interbody_only = !f.fusions.is_empty() && f.fusions.iter().all(|x| matches!(x.kind, FusionKind::Interbody(_)));
    if structural && interbody_only && kinds.contains_key(&GraftKind::MorselizedAllograft) && bare_allograft_only {
        kinds.remove(&GraftKind::MorselizedAllograft);
    }
    // Structural allograft placed as a device counts once, as graft.
    if f.devices.iter().any(|d| d.kind == DeviceKind::StructuralAllograft) {
        let e: Vec<Span> = f
            .devices
            .iter()
            .filter(|d| d.kind == DeviceKind::StructuralAllograft)
            .flat_map(|d| d.evidence.iter().copied())
            .take(2)
            .collect();
        kinds.entry(GraftKind::StructuralAllograft).or_default().extend(e);
    } else if kinds.contains_key(&GraftKind::StructuralAllograft)
        && f.devices.iter().any(|d| d.kind == DeviceKind::Cage)
        && f.fusions.iter().all(|x| !matches!(x.kind, FusionKind::Interbody(_)))
    {
        kinds.remove(&GraftKind::StructuralAllograft);
    }
    f.grafts = kinds.into_iter().map(|(kind, e)| Graft { kind, evidence: dedup(e) }).collect();
}

fn other_procedures(r: &Reader<'_, '_>, f: &mut Findings) {
    // Arthroplasty.
    for m in &r.mentions {
        if m.hit.concept != Concept::Arthroplasty || !describes_procedure(m.section) {
            continue;
        }
        let ctx = m.hit.context;
        if ctx.has(Context::NEGATED)
            || ctx.has(Context::HYPOTHETICAL)
            || ctx.has(Context::ABORTED)
            || ctx.has(Context::OTHER_SURGEON)
        {
            continue;
        }
        let s = m.hit.sentence;
        let action = if m.removed()
            || r.sentence_any(s, &[Concept::HardwareRemoval])
            || r.doc.sentence_has(s, phrases!("removal"))
        {
            ArthroplastyAction::Removal
        } else if ctx.has(Context::HISTORICAL) {
            continue;
        } else if r.sentence_any(s, &[Concept::Revision, Concept::Reinsertion]) {
            ArthroplastyAction::Revision
        } else {
            ArthroplastyAction::Insertion
        };
        for i in m.interspaces() {
            if !f.arthroplasties.iter().any(|a| a.interspace == i && a.action == action) {
                f.arthroplasties.push(Arthroplasty { interspace: i, action, evidence: m.evidence() });
            }
        }
    }
    // An arthroplasty interspace is not also a fusion of the same interspace named by a generic word.
    let arth: BTreeSet<Interspace> =
        f.arthroplasties.iter().filter(|a| a.action != ArthroplastyAction::Removal).map(|a| a.interspace).collect();
    f.fusions.retain(|x| {
        !(arth.contains(&x.interspace) && matches!(x.kind, FusionKind::Interbody(InterbodyApproach::Unknown)))
    });
    f.devices.retain(|d| d.interspace.is_none_or(|i| !arth.contains(&i)));

    // A far-lateral (extraforaminal or transfacet) discectomy, by the interspaces named with it.
    // The words qualify the discectomy just after them ("L3-4 far lateral discectomy and L5-S1
    // microdiscectomy"), or the only one in their sentence.
    let far_lateral = phrases!("far lateral", "far-lateral", "extraforaminal", "extra-foraminal", "transfacet");
    let discs = [Concept::Discectomy, Concept::Microdiscectomy];
    let near = |m: &M<'_>| {
        let before = r.doc.text().get(m.span.start.saturating_sub(24)..m.span.start).unwrap_or("").to_ascii_lowercase();
        ["far lateral", "far-lateral", "extraforaminal", "extra-foraminal", "transfacet"]
            .iter()
            .any(|w| before.contains(w))
    };
    let alone = |m: &M<'_>| {
        r.by_sentence[m.hit.sentence].clone().filter(|&i| discs.contains(&r.mentions[i].hit.concept)).count() == 1
    };
    let mut extraforaminal: Vec<Interspace> = discs
        .into_iter()
        .flat_map(|c| r.done(c))
        .filter(|m| r.doc.sentence_has(m.hit.sentence, far_lateral) && (near(m) || alone(m)))
        .flat_map(|m| m.interspaces())
        .filter(|i| i.region() == Region::Lumbar)
        .collect();
    extraforaminal.sort();
    extraforaminal.dedup();
    f.extraforaminal = extraforaminal;

    f.tethering = tethering(r);
    if let Some(t) = &f.tethering {
        // The tether's screws are its anchors, not an instrumentation construct.
        let within = |c: &Construct| t.vertebrae.contains(&c.from) && t.vertebrae.contains(&c.to);
        let fused = !f.fusions.is_empty();
        f.constructs.retain(|c| fused && !within(c));
    }
    f.interlaminar_devices = interlaminar_devices(r);
    if let Some(d) = &f.interlaminar_devices {
        // The "spacer" of an interspinous device is not an interbody cage, where nothing is fused.
        let fused = |i: Interspace| f.fusions.iter().any(|x| x.interspace == i);
        f.devices.retain(|x| x.interspace.is_none_or(|i| fused(i) || !d.interspaces.contains(&i)));
    }

    // Vertebral augmentation.
    for (concept, cavity) in [(Concept::Kyphoplasty, true), (Concept::Vertebroplasty, false)] {
        for m in r.done(concept) {
            for v in m.vertebrae() {
                if let Some(a) = f.augmentations.iter_mut().find(|a| a.vertebra == v) {
                    a.cavity |= cavity;
                } else {
                    f.augmentations.push(Augmentation { vertebra: v, cavity, evidence: m.evidence() });
                }
            }
        }
    }
    f.augmentations.sort_by_key(|a| a.vertebra);

    // Sacroiliac fusion.
    let si_cue = r.any_done(Concept::SiImplant)
        || r.of(Concept::SiFusion).any(|m| {
            m.affirmed() && describes_procedure(m.section) && {
                let t = r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase();
                t.contains("fusion") || t.contains("arthrodesis") || t == "ifuse"
            }
        });
    if si_cue {
        let mut side = Side::Unstated;
        let mut ev = Vec::new();
        for m in r.done(Concept::SiFusion).chain(r.done(Concept::SiImplant)) {
            let s2 = side_of(r.doc, m.hit.sentence);
            side = match (side, s2) {
                (Side::Unstated, x) => x,
                (x, Side::Unstated) => x,
                (a, b) if a == b => a,
                _ => Side::Bilateral,
            };
            ev.push(m.span);
        }
        let open = !r.any_done(Concept::SiImplant)
            && !r.any_done(Concept::Percutaneous)
            && !r.any_done(Concept::MinimallyInvasive)
            && r.of(Concept::Decortication).any(|m| m.affirmed());
        f.si_fusions.push(SiFusion { side, open, evidence: dedup(ev) });
    }

    // Hardware removal named as a procedure.
    for m in r.of(Concept::HardwareRemoval).filter(|m| describes_procedure(m.section)) {
        let ctx = m.hit.context;
        if ctx.has(Context::NEGATED) || ctx.has(Context::HYPOTHETICAL) || ctx.has(Context::ABORTED) {
            continue;
        }
        let anterior = r.sentence_any(m.hit.sentence, &[Concept::Plate, Concept::Anterior]);
        let side = if anterior { ConstructSide::Anterior } else { ConstructSide::Posterior };
        let vs = m.vertebrae();
        if let Some(x) = f.removals.iter_mut().find(|x| x.side == side) {
            x.vertebrae.extend(vs);
            x.vertebrae.sort();
            x.vertebrae.dedup();
            x.evidence.push(m.span);
        } else {
            f.removals.push(Removal { side, vertebrae: vs, evidence: vec![m.span] });
        }
    }

    // Exploration of a prior fusion.
    let explored: Vec<Span> = r
        .mentions
        .iter()
        .filter(|m| {
            m.hit.concept == Concept::Exploration
                && describes_procedure(m.section)
                && !m.hit.context.has(Context::NEGATED)
                && !m.hit.context.has(Context::HYPOTHETICAL)
        })
        .filter(|m| {
            let t = r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase();
            t.contains("fusion") || r.doc.sentence_has(m.hit.sentence, phrases!("fusion"))
        })
        .map(|m| m.span)
        .collect();
    if !explored.is_empty() {
        f.exploration = Some(explored);
    }
}

/// A vertebral body tether: the vertebrae named with it (the procedure list's where it names
/// any), and whether an earlier tether was revised, replaced or removed.
fn tethering(r: &Reader<'_, '_>) -> Option<Tethering> {
    let mut at: [BTreeSet<Vertebra>; 2] = Default::default();
    let mut evidence = Vec::new();
    let mut revision = false;
    // "Tether" alone is also the filum's hold on the cord: a vertebral body tether is named as
    // one, or goes with its screws.
    let named = |m: &M<'_>| {
        let text = r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase();
        text.contains("vertebral") || text.contains("scoliosis") || text == "vbt"
    };
    let tethers = || r.of(Concept::Tether).filter(|m| describes_procedure(m.section));
    let note_names_one = tethers().any(|m| m.affirmed() && named(m));
    for m in tethers() {
        if !(note_names_one || named(m) || r.sentence_any(m.hit.sentence, &[Concept::Screw, Concept::PedicleScrew])) {
            continue;
        }
        let ctx = m.hit.context;
        let removed = m.removed() || r.sentence_any(m.hit.sentence, &[Concept::HardwareRemoval]);
        if !(m.affirmed() || removed) || ctx.has(Context::NEGATED) || ctx.has(Context::HYPOTHETICAL) {
            continue;
        }
        revision |= removed || r.sentence_any(m.hit.sentence, &[Concept::Revision, Concept::Reinsertion]);
        at[usize::from(m.section != SectionKind::Procedures)].extend(m.vertebrae());
        evidence.extend(m.evidence());
    }
    let (vertebrae, evidence) = listed_else_narrative(at, evidence, BTreeSet::is_empty)?;
    Some(Tethering { vertebrae: vertebrae.into_iter().collect(), revision, evidence })
}

/// A reading from the procedure list and the narrative (`at`, in that order): none without
/// evidence; else the list's levels where it names any, the narrative's otherwise, with the
/// evidence in order.
fn listed_else_narrative<T>(
    at: [T; 2],
    mut evidence: Vec<Span>,
    is_empty: impl Fn(&T) -> bool,
) -> Option<(T, Vec<Span>)> {
    if evidence.is_empty() {
        return None;
    }
    evidence.sort();
    evidence.dedup();
    let [header, narrative] = at;
    Some((if is_empty(&header) { narrative } else { header }, evidence))
}

/// Interlaminar or interspinous devices inserted (not removed), at the interspaces the procedure
/// list names with them, else at those the narrative does ("impacted between the L4 and L5
/// spinous processes").
fn interlaminar_devices(r: &Reader<'_, '_>) -> Option<InterlaminarDevices> {
    // Interspaces by source: [procedure list, narrative].
    let mut at: [Interspaces; 2] = Default::default();
    let mut evidence = Vec::new();
    for m in r.done(Concept::InterlaminarDevice) {
        if m.removed() || r.sentence_any(m.hit.sentence, &[Concept::HardwareRemoval]) {
            continue;
        }
        let source = usize::from(m.section != SectionKind::Procedures);
        at[source] = Interspaces(at[source].0 | m.interspaces().0);
        evidence.extend(m.evidence());
    }
    let (interspaces, evidence) = listed_else_narrative(at, evidence, |i: &Interspaces| i.is_empty())?;
    Some(InterlaminarDevices {
        interspaces: interspaces.into_iter().collect(),
        percutaneous: r.any_done(Concept::Percutaneous),
        evidence,
    })
}

/// An infected wound washed out: an affirmed irrigation and debridement in a procedure sentence
/// that names an infection, an abscess or pus, or in a note whose diagnosis does (a consent's
/// "risks including infection" does not count). Whether it was deep is what any sentence of the
/// note says about the fascia (beneath it wins over above it).
fn wound_washout(r: &Reader<'_, '_>) -> Option<WoundWashout> {
    const INFECTED: Phrases = phrases!("infect", "abscess", "purulen", "pus ");
    const DEEP: Phrases = phrases!(
        "subfascial",
        "beneath the fascia",
        "below the fascia",
        "deep to the fascia",
        "under the fascia",
        "fascia was opened",
        "fascia was incised",
        "deep wound",
        "deep infection",
        "deep abscess",
        "deep surgical site",
    );
    const SUPERFICIAL: Phrases = phrases!("suprafascial", "above the fascia", "superficial", "fascia was intact");
    let washouts: Vec<&M<'_>> = r.done(Concept::WoundWashout).collect();
    if washouts.is_empty() {
        return None;
    }
    let sentences = 0..r.doc.sentences.len();
    let infected = washouts.iter().any(|m| r.doc.sentence_has(m.hit.sentence, INFECTED))
        || sentences.clone().any(|s| r.doc.section_of(s) == SectionKind::Diagnosis && r.doc.sentence_has(s, INFECTED));
    if !infected {
        return None;
    }
    let evidence: Vec<Span> = washouts.iter().take(3).map(|m| m.span).collect();
    let deep = if sentences.clone().any(|s| r.doc.sentence_has(s, DEEP)) {
        Some(true)
    } else if sentences.into_iter().any(|s| r.doc.sentence_has(s, SUPERFICIAL)) {
        Some(false)
    } else {
        None
    };
    Some(WoundWashout { deep, region: r.doc.region, evidence })
}

/// A lesion in the spinal canal drained, evacuated or excised: an affirmed mention of it in a
/// procedure sentence that says so ("laminectomy for evacuation of epidural abscess"). An
/// abscess or haematoma comes first, then a synovial cyst, then a tumour.
fn lesion_removed(r: &Reader<'_, '_>) -> Option<LesionRemoval> {
    const REMOVED: Phrases = phrases!("evacuat", "drained", "drainage of", "debrid", "excis", "resect", "removed");
    [
        (Concept::EpiduralAbscess, IntraspinalLesion::EpiduralAbscess),
        (Concept::EpiduralHematoma, IntraspinalLesion::EpiduralHematoma),
        (Concept::SynovialCyst, IntraspinalLesion::SynovialCyst),
        (Concept::Tumor, IntraspinalLesion::Neoplasm),
    ]
    .into_iter()
    .find_map(|(c, lesion)| {
        let removed: Vec<&M<'_>> = r.done(c).filter(|m| r.doc.sentence_has(m.hit.sentence, REMOVED)).take(3).collect();
        let region = removed
            .iter()
            .flat_map(|m| m.levels.iter().flat_map(|l| l.vertebrae()))
            .map(|v| v.region())
            .next()
            .or(r.doc.region);
        let evidence: Vec<Span> = removed.iter().map(|m| m.span).collect();
        (!evidence.is_empty()).then_some(LesionRemoval { lesion, region, evidence })
    })
}

/// A three-column osteotomy: an affirmed osteotomy in a procedure sentence named as a pedicle
/// subtraction, a vertebral column resection or a three-column osteotomy, at the single vertebrae
/// bound to it ("pedicle subtraction osteotomy at L3"; an interspace is not a vertebra).
fn three_column_osteotomy(r: &Reader<'_, '_>) -> Option<ThreeColumnOsteotomy> {
    const THREE_COLUMN: [&str; 6] = ["subtraction", "pso", "column resection", "vcr", "three", "3-column"];
    let mut vertebrae = BTreeSet::new();
    let mut evidence = Vec::new();
    for m in r.done(Concept::Osteotomy) {
        let words = r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase();
        if !THREE_COLUMN.iter().any(|w| words.contains(w)) {
            continue;
        }
        vertebrae.extend(m.levels.iter().filter_map(|l| if let LevelRef::Vertebra(v) = l { Some(*v) } else { None }));
        evidence.extend(m.evidence());
    }
    if evidence.is_empty() {
        return None;
    }
    evidence.sort();
    evidence.dedup();
    Some(ThreeColumnOsteotomy { vertebrae: vertebrae.into_iter().collect(), evidence })
}

/// A spinal cord stimulator electrode placed in this operation: named in the procedure list, or
/// in a sentence with the laminotomy or laminectomy that makes room for it (a stimulator "trial"
/// told in the history is neither).
fn stimulator_electrode(r: &Reader<'_, '_>) -> Option<Evidence> {
    r.first_where(&[Concept::StimulatorElectrode], |m| {
        m.section == SectionKind::Procedures
            || describes_procedure(m.section)
                && r.sentence_any(m.hit.sentence, &[Concept::Laminotomy, Concept::Laminectomy])
    })
}

/// A dural tear: an affirmed mention in the procedure not preceded in its sentence by "no",
/// "without" or "not" within a few words. ConText keeps "no durotomy", "no dural tear" and "no
/// CSF leak" as pseudo-triggers, so that operative boilerplate does not negate what follows;
/// that leaves the tear's own negation ("no durotomy or CSF leak") to be read here.
fn durotomy(r: &Reader<'_, '_>) -> Option<Evidence> {
    let text = &r.doc.norm.text;
    r.first_where(&[Concept::Durotomy], |m| {
        let from = r.doc.sentences[m.hit.sentence].start.max(m.hit.start.saturating_sub(40));
        describes_procedure(m.section)
            && !text[from..m.hit.start]
                .split(|b| !b.is_ascii_alphanumeric())
                .any(|w| matches!(w, b"no" | b"not" | b"without" | b"neither" | b"nor"))
    })
}

fn adjuncts(r: &Reader<'_, '_>, f: &mut Findings) {
    let anywhere = |k: SectionKind| describes_procedure(k) || matches!(k, SectionKind::Monitoring | SectionKind::Team);
    f.navigation = r.first_evidence(&[Concept::Navigation, Concept::Robot], describes_procedure);
    f.microscope = r.first_evidence(&[Concept::Microscope], describes_procedure);
    f.endoscopic = r.first_evidence(&[Concept::Endoscopic], describes_procedure);
    f.neuromonitoring = r.first_evidence(&[Concept::Neuromonitoring], anywhere);
    f.fluoroscopy = r.first_evidence(&[Concept::Fluoroscopy, Concept::IntraopCt], describes_procedure);
    f.durotomy = durotomy(r);
    f.osteotomy = r.first_evidence(&[Concept::Osteotomy], describes_procedure);
    if f.osteotomy.is_some() {
        f.three_column_osteotomy = three_column_osteotomy(r);
    }
    // Team members are named, not affirmed: any mention that is not negated counts, unless the
    // field is left empty ("Co-surgeon: none", "Assistant: N/A").
    let text = &r.doc.norm.text;
    let empty_field = |m: &M<'_>| {
        let rest = &text[m.hit.end.min(text.len())..];
        let start = rest.iter().position(|b| !matches!(b, b':' | b' ' | b'-')).unwrap_or(rest.len());
        let word = rest[start..].split(|b| !(b.is_ascii_alphanumeric() || *b == b'/')).next().unwrap_or_default();
        matches!(word, b"none" | b"n/a" | b"no" | b"nil")
    };
    let named = |c: Concept| -> Option<Evidence> {
        let spans: Vec<Span> = r
            .mentions
            .iter()
            .filter(|m| {
                m.hit.concept == c
                    && !m.hit.context.has(Context::NEGATED)
                    && !m.hit.context.has(Context::HYPOTHETICAL)
                    && !m.hit.context.has(Context::HISTORICAL)
                    && !empty_field(m)
            })
            .map(|m| m.span)
            .take(3)
            .collect();
        (!spans.is_empty()).then_some(spans)
    };
    f.co_surgeon = named(Concept::CoSurgeon);
    f.assistant = named(Concept::Assistant);
    f.return_to_or =
        r.first_evidence(&[Concept::ReturnToOr], |k| describes_procedure(k) || k == SectionKind::Indications);
    f.complication = r.first_evidence(&[Concept::Complication, Concept::EpiduralHematoma], |k| {
        describes_procedure(k) || matches!(k, SectionKind::Indications | SectionKind::Diagnosis)
    });
    // A spinal fluid leak is a complication (a return for its repair takes 78); a dural tear named
    // among the risks is not.
    if f.complication.is_none() {
        let leak = r.of(Concept::Durotomy).find(|m| {
            m.affirmed()
                && matches!(m.section, SectionKind::Indications | SectionKind::Diagnosis | SectionKind::Procedures)
                && r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase().ends_with("leak")
        });
        f.complication = leak.map(|m| vec![m.span]);
    }
    f.lesion_removed = lesion_removed(r);
    f.wound_washout = wound_washout(r);
    let dx = |k: SectionKind| matches!(k, SectionKind::Diagnosis | SectionKind::Indications | SectionKind::Preamble);
    let deformity_named = |m: &M<'_>| {
        matches!(m.hit.concept, Concept::Scoliosis | Concept::Kyphosis) && !m.hit.context.has(Context::NEGATED)
    };
    let deformity_dx =
        r.mentions.iter().filter(|m| deformity_named(m) && dx(m.section)).map(|m| m.span).take(2).collect::<Vec<_>>();
    let correction = r.first_evidence(&[Concept::DeformityCorrection], describes_procedure);
    // "Posterior spinal fusion T10 to pelvis for adult degenerative scoliosis": the deformity named
    // as the fusion's indication in the procedure itself.
    let fused_for = r
        .mentions
        .iter()
        .find(|m| {
            deformity_named(m)
                && describes_procedure(m.section)
                && r.sentence_any(m.hit.sentence, &[Concept::Fusion, Concept::PosterolateralFusion])
        })
        .map(|m| vec![m.span]);
    if !deformity_dx.is_empty() {
        f.deformity = Some(deformity_dx);
    } else if let Some(e) = fused_for {
        f.deformity = Some(e);
    } else if let Some(c) = correction
        && r.mentions.iter().any(|m| matches!(m.hit.concept, Concept::Scoliosis | Concept::Kyphosis))
    {
        f.deformity = Some(c);
    }
    for m in &r.mentions {
        // A mention names an approach or a diagnosis (or neither); each list keeps the first of a name.
        let approach = match m.hit.concept {
            Concept::Anterior => "anterior",
            Concept::Posterior => "posterior",
            Concept::Lateral | Concept::LateralInterbody => "lateral",
            Concept::ObliqueInterbody => "oblique",
            Concept::Retroperitoneal => "retroperitoneal",
            Concept::Transperitoneal => "transperitoneal",
            Concept::Presacral => "presacral",
            Concept::Percutaneous => "percutaneous",
            Concept::MinimallyInvasive => "minimally invasive",
            Concept::Tlif => "transforaminal",
            Concept::Thoracotomy => "transthoracic",
            // "Posterior fusion", "posterolateral fusion": the approach is in the name.
            Concept::PosterolateralFusion
                if ["posterior ", "posterolateral"]
                    .iter()
                    .any(|w| r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase().starts_with(w)) =>
            {
                "posterior"
            }
            // "Transpedicular" with a disc taken out is the approach to it ("right T8-9
            // transpedicular discectomy"); with screws it is their path.
            Concept::Discectomy | Concept::Microdiscectomy | Concept::Decompression
                if r.doc.sentence_has(m.hit.sentence, phrases!("transpedicular"))
                    && !r.sentence_any(m.hit.sentence, &[Concept::PedicleScrew, Concept::Screw]) =>
            {
                "transpedicular"
            }
            Concept::LateralExtracavitary => {
                let text = r.doc.text()[m.span.start..m.span.end].to_ascii_lowercase();
                if text.contains("extracavitary") {
                    "lateral extracavitary"
                } else if text.contains("costo") {
                    "costovertebral"
                } else {
                    "transpedicular"
                }
            }
            _ => "",
        };
        if !approach.is_empty()
            && m.affirmed()
            && describes_procedure(m.section)
            && !f.approaches.iter().any(|(n, _)| *n == approach)
        {
            f.approaches.push((approach, m.span));
        }
        let dxname = match m.hit.concept {
            Concept::Stenosis => "stenosis",
            Concept::Spondylolisthesis => "spondylolisthesis",
            Concept::Herniation => "disc herniation",
            Concept::Pseudarthrosis => "pseudarthrosis",
            Concept::Fracture => "fracture",
            Concept::Tumor => "tumor",
            Concept::Myelopathy => "myelopathy",
            Concept::Radiculopathy => "radiculopathy",
            Concept::Scoliosis => "scoliosis",
            Concept::Kyphosis => "kyphosis",
            Concept::EpiduralAbscess => "epidural abscess",
            Concept::EpiduralHematoma => "epidural hematoma",
            Concept::SynovialCyst => "synovial cyst",
            _ => continue,
        };
        if dx(m.section) && !m.hit.context.has(Context::NEGATED) && !f.diagnoses.iter().any(|(n, _)| *n == dxname) {
            f.diagnoses.push((dxname, m.span));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn level() -> impl Strategy<Value = LevelRef> {
        let v = (0u8..=30).prop_map(|i| Vertebra::from_index(i).unwrap());
        prop_oneof![
            v.clone().prop_map(LevelRef::Vertebra),
            (v.clone(), v).prop_filter_map("a span runs down", |(a, b)| (a < b).then_some(LevelRef::Span(a, b))),
            Just(LevelRef::Pelvis),
            (1u8..5).prop_map(LevelRef::Count),
        ]
    }

    proptest! {
        /// A mention's interspaces: those of its spans, or between its lowest and highest of two
        /// or more single vertebrae, or from its topmost single vertebra to S1 when it names the
        /// pelvis, in order and without repeats.
        #[test]
        fn mention_interspaces_are_those_its_levels_cover(levels in proptest::collection::vec(level(), 0..6)) {
            let hit = ConceptHit { start: 0, end: 1, concept: Concept::ALL[0], sentence: 0, context: Context::default() };
            let span = Span { start: 0, end: 1 };
            let m = M { hit: &hit, levels: &levels, level_spans: &[], span, section: SectionKind::Procedures, from_focus: false };
            let mut expected: Vec<Interspace> = levels.iter().flat_map(|l| l.interspaces()).collect();
            let singles: Vec<Vertebra> =
                levels.iter().filter_map(|l| if let LevelRef::Vertebra(v) = l { Some(*v) } else { None }).collect();
            let pelvis = levels.contains(&LevelRef::Pelvis);
            if expected.is_empty() && (singles.len() >= 2 || pelvis && !singles.is_empty()) {
                let (lo, hi) = (*singles.iter().min().unwrap(), *singles.iter().max().unwrap());
                let hi = if pelvis { Vertebra::S1 } else { hi };
                expected = LevelRef::Span(lo, hi).interspaces().collect();
            }
            expected.sort();
            expected.dedup();
            prop_assert_eq!(m.interspaces().into_iter().collect::<Vec<_>>(), expected);
        }
    }

    /// A procedure list and a narrative that name the same laminectomy by its interspace and by
    /// its two vertebrae agree; one that names other vertebrae does not.
    #[test]
    fn a_decompression_named_by_interspace_and_by_vertebrae_is_one() {
        let narrative = "DESCRIPTION: A complete laminectomy of L4 and L5 was performed, decompressing the thecal sac.";
        let same = analyze(&format!("PROCEDURE: L4-5 laminectomy.\n{narrative}"));
        assert!(same.discrepancies.is_empty(), "{:?}", same.discrepancies);
        assert_eq!(same.decompressions.len(), 1, "{:?}", same.decompressions);
        let other = analyze(&format!("PROCEDURE: L3-4 laminectomy.\n{narrative}"));
        assert_eq!(other.discrepancies.len(), 1, "{:?}", other.discrepancies);
        assert_eq!(other.discrepancies[0].what, "decompression");
        // The lamina above the disc space is the one an "L4-5 laminectomy" takes.
        let above = analyze("PROCEDURE: L4-5 laminectomy.\nDESCRIPTION: A laminectomy of L4 was performed.");
        assert!(above.discrepancies.is_empty(), "{:?}", above.discrepancies);
        assert_eq!(above.decompressions.len(), 1, "{:?}", above.decompressions);
        let below = analyze("PROCEDURE: L4-5 laminectomy.\nDESCRIPTION: A laminectomy of L5 was performed.");
        assert_eq!(below.discrepancies.len(), 1, "{:?}", below.discrepancies);
    }

    /// Interspaces joined by "and" before a procedure named right after them are that
    /// procedure's, not the item before it; a verb between ("L1 were decorticated") keeps them
    /// with the list they close.
    #[test]
    fn coordinated_levels_belong_to_the_procedure_they_precede() {
        let interbody = |f: &Findings| {
            let mut v: Vec<String> = f
                .fusions
                .iter()
                .filter(|x| matches!(x.kind, FusionKind::Interbody(_)))
                .map(|x| x.interspace.to_string())
                .collect();
            v.dedup();
            v
        };
        let listed = analyze("PROCEDURE: Posterior fusion T10 to the pelvis, L4-5 and L5-S1 TLIFs, navigation.");
        assert_eq!(interbody(&listed), ["L4-L5", "L5-S1"]);
        let posterolateral = |f: &Findings| {
            f.fusions
                .iter()
                .filter(|x| x.kind == FusionKind::Posterolateral)
                .map(|x| x.interspace.to_string())
                .collect::<Vec<_>>()
        };
        let told = analyze(
            "PROCEDURE: Posterior fusion T11 to L1.\nDESCRIPTION: The transverse processes of T11, T12 and L1 were decorticated and allograft was laid.",
        );
        assert_eq!(posterolateral(&told), ["T11-T12", "T12-L1"]);
        // Screws at vertebrae keep their vertebrae before an interspace's procedure.
        let screws = analyze("PROCEDURE: Pedicle screws at L4 and L5 and L4-5 TLIF.");
        assert_eq!(
            screws.constructs.first().map(|c| (c.from.to_string(), c.to.to_string())),
            Some(("L4".into(), "L5".into()))
        );
    }
}
