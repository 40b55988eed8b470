//! Binding levels to the concept mentions they belong to.
//!
//! A sentence is cut into chunks at `,`, `and`, `with`, `plus`, `as well as`, `followed by`.
//! A concept takes the levels of its own chunk and of the level-only chunks that follow it
//! ("screws at L4, L5 and S1"), but for those joined by "and" to a chunk that opens with a level
//! and names its procedure right after it ("fusion T10 to the pelvis, L4-5 and L5-S1 TLIFs"); a
//! level-only chunk with no concept before it belongs to the next concept ("L3-4 and L4-5 XLIF"). A concept with no level in its chunk takes the sentence's
//! levels, and in the narrative a sentence with no level takes the levels of the last sentence
//! that named one ("At L4-5 … The disc was removed … A cage was placed").

use crate::concept::Concept;
use crate::document::Document;
use crate::level::LevelRef;
use crate::lexicon::SectionKind;
use crate::phrase::phrases;

/// The concept mentions with the levels each is about.
pub(crate) struct Binding {
    pub bound: Vec<Bound>,
    /// Indexes into `Document::levels`: the levels of each mention, a run each, so a note's
    /// mentions take one vector rather than one each.
    pub levels: Vec<usize>,
}

/// A concept mention with the levels it is about.
#[derive(Clone, Debug)]
pub(crate) struct Bound {
    /// Index into `Document::concepts`.
    pub concept: usize,
    /// Its run of [`Binding::levels`].
    pub levels: std::ops::Range<usize>,
    /// The levels came from an earlier sentence.
    pub from_focus: bool,
}

/// Concepts that are located at levels (procedures, devices, anatomy).
pub(crate) fn takes_levels(c: Concept) -> bool {
    use Concept::*;
    matches!(
        c,
        Fusion
            | InterbodyFusion
            | Tlif
            | Plif
            | Alif
            | LateralInterbody
            | ObliqueInterbody
            | Acdf
            | Presacral
            | PosterolateralFusion
            | Decortication
            | TransverseProcess
            | Facet
            | Pars
            | Osteotomy
            | FractureReduction
            | Discectomy
            | Microdiscectomy
            | Laminectomy
            | Laminotomy
            | Foraminotomy
            | Facetectomy
            | Decompression
            | Laminoplasty
            | Corpectomy
            | Arthroplasty
            | InterlaminarDevice
            | Kyphoplasty
            | Vertebroplasty
            | HardwareRemoval
            | Reinsertion
            | Exploration
            | PseudarthrosisRepair
            | PedicleScrew
            | Screw
            | LateralMassScrew
            | Rod
            | Hook
            | Wire
            | Instrumentation
            | Plate
            | OccipitalFixation
            | Tether
            | Cage
            | StructuralAllograft
            | IliacFixation
            | Cement
            | DiscSpace
            | DeformityCorrection
    )
}

/// Concepts whose sentence moves the narrative's level focus: procedures, devices and the anatomy
/// being worked on (not rods, which span the construct).
fn focus_concept(c: Concept) -> bool {
    takes_levels(c) && c != Concept::Rod
}

/// A level preceded by words that deny it.
fn denied(doc: &Document<'_>, start: usize) -> bool {
    let before = &doc.norm.text[start.saturating_sub(14)..start];
    [&b"not "[..], b"not at ", b"rather than ", b"instead of ", b"except ", b"other than "]
        .iter()
        .any(|w| before.ends_with(w))
}

/// Concepts about one disc space.
fn disc_concept(c: Concept) -> bool {
    use Concept::*;
    matches!(
        c,
        DiscSpace
            | Discectomy
            | Microdiscectomy
            | Facet
            | Facetectomy
            | Tlif
            | Plif
            | Alif
            | LateralInterbody
            | ObliqueInterbody
            | Acdf
            | InterbodyFusion
            | Cage
            | StructuralAllograft
            | Laminotomy
            | Foraminotomy
            | Arthroplasty
            | Decompression
    )
}

/// Concepts that keep the levels of their chunk: those located at levels, and anatomy whose
/// levels are not the procedure's ("the existing L4-5 fusion mass", "the L5 nerve root").
fn owns_levels(c: Concept) -> bool {
    takes_levels(c)
        || matches!(c, Concept::PriorSurgery | Concept::HardwarePart | Concept::ThecalSac | Concept::OrientedAnatomy)
}

/// Sections whose sentences carry their levels forward to the next sentence.
fn keeps_focus(kind: SectionKind) -> bool {
    matches!(kind, SectionKind::Narrative | SectionKind::Preamble | SectionKind::Findings | SectionKind::Other)
}

pub(crate) fn bind(doc: &Document<'_>) -> Binding {
    let mut out = Vec::with_capacity(doc.concepts.len());
    let mut bound_levels = Vec::with_capacity(doc.levels.len() * 4);
    // Two registers: the levels of the last sentence about work at a disc space, and of the last
    // sentence about any work. Disc-space concepts read the first, others the second.
    let mut focus: Vec<usize> = Vec::new();
    let mut disc_focus: Vec<usize> = Vec::new();
    let mut focus_section = usize::MAX;
    // Per sentence, kept between sentences so they are allocated once: the levels, the chunk
    // starts (normalized offsets), the chunk of each level, and which chunks own levels.
    let mut levels: Vec<usize> = Vec::new();
    let mut cuts: Vec<usize> = Vec::new();
    let mut level_chunk: Vec<usize> = Vec::new();
    let mut has_concept: Vec<bool> = Vec::new();
    let mut ci = 0;
    let mut li = 0;
    for (si, sentence) in doc.sentences.iter().enumerate() {
        let c_start = ci;
        while ci < doc.concepts.len() && doc.concepts[ci].sentence == si {
            ci += 1;
        }
        let l_start = li;
        while li < doc.levels.len() && doc.levels[li].sentence == si {
            li += 1;
        }
        let concepts = c_start..ci;
        // "(not C4-C7 as listed above)", "rather than L3": levels said not to be the ones.
        levels.clear();
        levels.extend((l_start..li).filter(|&l| !denied(doc, doc.levels[l].start)));
        if sentence.section != focus_section {
            focus.clear();
            disc_focus.clear();
            focus_section = sentence.section;
        }

        let text = doc.sentence_text(si);
        let sentence_has_levels = levels.iter().any(|&l| !matches!(doc.levels[l].level, LevelRef::Count(_)));
        // A sentence without concepts binds nothing; it can only set the focus by a label.
        if !concepts.is_empty() {
            // A chunk starts after each separator inside the sentence, read left to right: one
            // that starts inside the previous one (" with" in " along with ") does not cut.
            cuts.clear();
            cuts.push(sentence.start);
            let mut next = sentence.start;
            let first = doc.separators.partition_point(|&(start, _)| start < sentence.start);
            for &(start, end) in doc.separators[first..].iter().take_while(|&&(start, _)| start < sentence.end) {
                if start >= next && end <= sentence.end {
                    cuts.push(end);
                    next = end;
                }
            }
            let chunk_of = |pos: usize| cuts.partition_point(|c| *c <= pos).saturating_sub(1);
            let n_chunks = cuts.len();
            // Levels are in note order, so each chunk's levels are a run of `levels`.
            level_chunk.clear();
            level_chunk.extend(levels.iter().map(|&l| chunk_of(doc.levels[l].start)));
            let in_chunks = |chunks: std::ops::Range<usize>| {
                &levels[level_chunk.partition_point(|&k| k < chunks.start)
                    ..level_chunk.partition_point(|&k| k < chunks.end)]
            };
            has_concept.clear();
            has_concept.resize(n_chunks, false);
            for c in concepts.clone() {
                if owns_levels(doc.concepts[c].concept) {
                    has_concept[chunk_of(doc.concepts[c].start)] = true;
                }
            }
            let first_owner = has_concept.iter().position(|&h| h);
            // "fusion T10 to the pelvis, L4-5 and L5-S1 TLIFs": level-only chunks joined by "and"
            // to a concept chunk that opens with a level of the same kind are that concept's.
            let sentence_concepts = concepts.clone();
            let coordinated_start = |j: usize| -> usize {
                let Some(&lead) = in_chunks(j..j + 1).first() else { return j };
                let kind = |l: usize| match doc.levels[l].level {
                    LevelRef::Span(a, b) => Some(b.index() == a.index() + 1),
                    LevelRef::Vertebra(_) => Some(false),
                    _ => None,
                };
                // The chunk opens with the level and names its concept right after it ("L5-S1
                // TLIFs", "L5-S1 left TLIF"), not "L1 were decorticated".
                let lead_end = doc.levels[lead].end;
                if kind(lead).is_none()
                    || !text[cuts[j] - sentence.start..doc.levels[lead].start - sentence.start].trim_ascii().is_empty()
                {
                    return j;
                }
                let named = sentence_concepts
                    .clone()
                    .map(|c| &doc.concepts[c])
                    .find(|h| owns_levels(h.concept) && chunk_of(h.start) == j && h.start >= lead_end);
                let close = named.is_some_and(|h| {
                    let between = &text[lead_end - sentence.start..h.start - sentence.start];
                    between.len() <= 12
                        && between.iter().filter(|&&b| b == b' ').count() <= 2
                        && !between
                            .split(|&b| b == b' ')
                            .any(|w| matches!(w, b"was" | b"were" | b"is" | b"are" | b"then"))
                });
                if !close {
                    return j;
                }
                let mut from = j;
                while from > 0 && !has_concept[from - 1] && {
                    let ls = in_chunks(from - 1..from);
                    !ls.is_empty() && ls.iter().all(|&l| kind(l) == kind(lead))
                } {
                    from -= 1;
                    let joined = &text[..cuts[from] - sentence.start];
                    if !(joined.ends_with(b", ") || joined.ends_with(b" and ")) {
                        break;
                    }
                }
                from
            };
            // Most chunks do not follow an "and"; only those that do are read further.
            let owned_from = |j: usize| {
                if j > 0 && text[..cuts[j] - sentence.start].ends_with(b" and ") { coordinated_start(j) } else { j }
            };
            for c in concepts {
                let k = chunk_of(doc.concepts[c].start);
                // A concept chunk owns its levels and those of the level-only chunks up to the
                // next concept chunk (and, for the first, those before it too), but for those
                // that lead into the next one; a level-only chunk keeps its levels only when no
                // chunk can own them.
                let own: &[usize] = if has_concept[k] {
                    let from = if first_owner == Some(k) { 0 } else { owned_from(k) };
                    let to = (k + 1..n_chunks).find(|&j| has_concept[j]).map_or(n_chunks, owned_from);
                    in_chunks(from..to)
                } else if first_owner.is_none() {
                    in_chunks(k..k + 1)
                } else {
                    &[]
                };
                let mut from_focus = false;
                let ls: &[usize] = if !own.is_empty() {
                    own
                } else if !levels.is_empty() {
                    &levels
                } else if keeps_focus(doc.sections[sentence.section].kind) {
                    from_focus = true;
                    if disc_concept(doc.concepts[c].concept) && !disc_focus.is_empty() { &disc_focus } else { &focus }
                } else {
                    &[]
                };
                let start = bound_levels.len();
                bound_levels.extend_from_slice(ls);
                out.push(Bound { concept: c, levels: start..bound_levels.len(), from_focus });
            }
        }
        // Only a sentence about work done sets the focus: "the L3-4 facet capsules were preserved"
        // does not move the operation to L3-4.
        let sets_focus = (c_start..ci).any(|c| {
            let hit = &doc.concepts[c];
            focus_concept(hit.concept) && hit.context.is_affirmed()
        }) && !doc.sentence_has(
            si,
            phrases!("preserv", "intact", "spared", "protected", "left alone", "not violated", "untouched"),
        );
        // A sentence opening with a level label ("L4-5: the retractor was redocked …") moves both
        // registers to that level: what follows, until the next label, happens there.
        let labelled = levels.first().is_some_and(|&l| {
            let lv = &doc.levels[l];
            let before = &text[..lv.start.saturating_sub(sentence.start).min(text.len())];
            let after = &text[lv.end.saturating_sub(sentence.start).min(text.len())..];
            matches!(before.trim_ascii(), b"" | b"at" | b"level")
                && after.trim_ascii_start().starts_with(b":")
                && !matches!(lv.level, LevelRef::Count(_))
        });
        // The registers are refilled in place, not replaced: a note moves its focus many times.
        if labelled && keeps_focus(doc.sections[sentence.section].kind) {
            let first = levels[0];
            for register in [&mut disc_focus, &mut focus] {
                register.clear();
                register.push(first);
            }
        } else if sentence_has_levels && sets_focus && keeps_focus(doc.sections[sentence.section].kind) {
            focus.clear();
            focus.extend(levels.iter().copied().filter(|&l| !matches!(doc.levels[l].level, LevelRef::Count(_))));
            if (c_start..ci).any(|c| disc_concept(doc.concepts[c].concept) && doc.concepts[c].context.is_affirmed()) {
                disc_focus.clone_from(&focus);
            }
        }
    }
    Binding { bound: out, levels: bound_levels }
}

#[cfg(test)]
mod tests {
    use crate::Lexicon;

    #[test]
    fn separators_are_found_with_their_length() {
        let separators = |text: &str| Lexicon::embedded().scan(text.as_bytes()).separators;
        for sep in [", ", "; ", " and ", " with ", " plus ", " as well as ", " followed by ", " along with ", " then "]
        {
            let found = separators(&format!("x{sep}l5"));
            assert!(found.contains(&(1, 1 + sep.len())), "`{sep}`: {found:?}");
        }
        for not in [",l5", " andrew", " within", " a ", " thence", " following", ""] {
            assert_eq!(separators(not), [], "`{not}`");
        }
    }
}
