//! The vocabulary automaton laid out for its walk: 16-bit states, rows of 64 byte classes,
//! states in breadth-first order with the match states last.
//!
//! `aho_corasick`'s DFA keeps 32-bit state ids premultiplied by a row of 64, so the vocabulary's
//! 12,000 states take 3.2 MB. Here the same automaton takes half that, which fits a core's L2
//! cache on processors with 2 MiB of it, and the shallow states a walk is in most of the time
//! (breadth-first order) share cache lines. Written by hand: no crate lays out an existing
//! automaton this way.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, PatternID};

/// A row holds `1 << CLASS_BITS` classes: a state's row starts at `state << CLASS_BITS`.
const CLASS_BITS: u32 = 6;

/// A state of the walk table.
pub(crate) type State = u16;

/// Room for a row of every `State`, whatever the number of states: any state's row, at any
/// class, lies inside the table, so the compiler drops the bounds check of a step. The rows past
/// the last state are never written, and their pages never touched.
const ROOM: usize = (State::MAX as usize + 1) << CLASS_BITS;

pub(crate) struct WalkTable {
    /// Each byte's class: a class of its own for each byte the phrases use, 0 for the rest.
    class: [u8; 256],
    /// The next state of `state` on class `c` at `(state << CLASS_BITS) | c`.
    next: Box<[State; ROOM]>,
    start: State,
    /// States from this one on are match states.
    first_match: State,
    /// The patterns that end at each match state (`state - first_match`), as runs of `patterns`.
    runs: Vec<(u32, u32)>,
    patterns: Vec<u32>,
    /// Each pattern's length in bytes.
    lengths: Vec<u32>,
}

/// The states a layout has met, by their id in the DFA.
#[derive(Default)]
struct Seen(Vec<bool>);

impl Seen {
    /// Whether `s` is new.
    fn insert(&mut self, s: StateID) -> bool {
        let i = s.as_usize();
        if i >= self.0.len() {
            self.0.resize(i + 1, false);
        }
        !std::mem::replace(&mut self.0[i], true)
    }
}

/// Why the vocabulary cannot be laid out as a walk table (too many bytes or states, or no unanchored start).
#[derive(Debug)]
pub(crate) struct LayoutError(pub String);

impl WalkTable {
    /// Lays out `dfa`, an unanchored DFA with standard match semantics over `phrases`.
    pub(crate) fn new(dfa: &DFA, phrases: &[&str]) -> Result<WalkTable, LayoutError> {
        // A byte no phrase uses takes every state back to the start, like every other such
        // byte, so they share class 0.
        let mut class = [0u8; 256];
        let mut representative = vec![0u8];
        for &b in phrases.iter().flat_map(|p| p.as_bytes()) {
            if class[b as usize] == 0 {
                class[b as usize] = u8::try_from(representative.len()).unwrap_or(u8::MAX);
                representative.push(b);
            }
        }
        if representative.len() > 1 << CLASS_BITS {
            return Err(LayoutError(format!(
                "the phrases use {} different bytes; the walk table has room for {}",
                representative.len() - 1,
                (1 << CLASS_BITS) - 1
            )));
        }
        // Breadth-first from the start state.
        let start = dfa.start_state(Anchored::No).map_err(|e| LayoutError(e.to_string()))?;
        let mut seen = Seen::default();
        seen.insert(start);
        let mut order = vec![start];
        let mut i = 0;
        while let Some(&s) = order.get(i) {
            for &b in &representative {
                let t = dfa.next_state(Anchored::No, s, b);
                if seen.insert(t) {
                    order.push(t);
                }
            }
            i += 1;
        }
        if order.len() > usize::from(State::MAX) {
            return Err(LayoutError(format!("{} states; the walk table has room for {}", order.len(), State::MAX)));
        }
        // The match states after all others, each group in breadth-first order.
        let (plain, matching): (Vec<StateID>, Vec<StateID>) = order.iter().partition(|&&s| !dfa.is_match(s));
        let first_match = plain.len() as State;
        let mut id = vec![0; seen.0.len()];
        for (i, s) in plain.iter().chain(&matching).enumerate() {
            id[s.as_usize()] = i as State;
        }
        let mut next: Box<[State; ROOM]> = vec![0; ROOM]
            .into_boxed_slice()
            .try_into()
            .map_err(|_| LayoutError("the walk table's room is not a row for every state".into()))?;
        for (row, &s) in plain.iter().chain(&matching).enumerate() {
            for (c, &b) in representative.iter().enumerate() {
                next[(row << CLASS_BITS) | c] = id[dfa.next_state(Anchored::No, s, b).as_usize()];
            }
        }
        let mut runs = Vec::with_capacity(matching.len());
        let mut patterns = Vec::new();
        for &s in &matching {
            let from = patterns.len() as u32;
            patterns.extend((0..dfa.match_len(s)).map(|m| dfa.match_pattern(s, m).as_u32()));
            runs.push((from, patterns.len() as u32));
        }
        let lengths =
            (0..dfa.patterns_len()).map(|p| PatternID::new(p).map_or(0, |p| dfa.pattern_len(p) as u32)).collect();
        Ok(WalkTable { class, next, start: id[start.as_usize()], first_match, runs, patterns, lengths })
    }

    pub(crate) fn start(&self) -> State {
        self.start
    }

    /// The state after reading `byte` in `state`.
    #[inline(always)]
    pub(crate) fn next(&self, state: State, byte: u8) -> State {
        self.next[(usize::from(state) << CLASS_BITS) | usize::from(self.class[usize::from(byte)])]
    }

    #[inline(always)]
    pub(crate) fn is_match(&self, state: State) -> bool {
        state >= self.first_match
    }

    /// The patterns that end at a match state.
    pub(crate) fn patterns(&self, state: State) -> &[u32] {
        let (from, to) = self.runs[usize::from(state - self.first_match)];
        &self.patterns[from as usize..to as usize]
    }

    pub(crate) fn pattern_len(&self, pattern: u32) -> usize {
        self.lengths[pattern as usize] as usize
    }

    pub(crate) fn max_pattern_len(&self) -> usize {
        self.lengths.iter().copied().max().unwrap_or(0) as usize
    }

    /// Bytes of the table's transitions.
    #[cfg(test)]
    pub(crate) fn transition_bytes(&self) -> usize {
        // The rows in use: every state before the match states, and one per match state.
        ((usize::from(self.first_match) + self.runs.len()) << CLASS_BITS) * size_of::<State>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{MatchKind, StartKind};

    fn dfa(phrases: &[&str]) -> DFA {
        DFA::builder()
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(phrases)
            .unwrap()
    }

    /// (end, patterns ending there, sorted) of every match of a walk of `text`.
    fn crate_walk(dfa: &DFA, text: &[u8]) -> Vec<(usize, Vec<u32>)> {
        let mut s = dfa.start_state(Anchored::No).unwrap();
        let mut out = Vec::new();
        for (i, &b) in text.iter().enumerate() {
            s = dfa.next_state(Anchored::No, s, b);
            if dfa.is_match(s) {
                let mut p: Vec<u32> = (0..dfa.match_len(s)).map(|m| dfa.match_pattern(s, m).as_u32()).collect();
                p.sort_unstable();
                out.push((i + 1, p));
            }
        }
        out
    }

    fn table_walk(t: &WalkTable, text: &[u8]) -> Vec<(usize, Vec<u32>)> {
        let mut s = t.start();
        let mut out = Vec::new();
        for (i, &b) in text.iter().enumerate() {
            s = t.next(s, b);
            if t.is_match(s) {
                let mut p = t.patterns(s).to_vec();
                p.sort_unstable();
                out.push((i + 1, p));
            }
        }
        out
    }

    proptest::proptest! {
        /// The table finds the same patterns at the same ends as the DFA it was laid out from.
        #[test]
        fn walks_like_the_dfa(
            phrases in proptest::collection::vec("[abc -]{1,6}", 1..40),
            text in proptest::collection::vec(proptest::sample::select(b"abcd -\n\xc3".to_vec()), 0..300),
        ) {
            let phrases: Vec<&str> = phrases.iter().map(String::as_str).collect();
            let d = dfa(&phrases);
            let t = WalkTable::new(&d, &phrases).unwrap();
            proptest::prop_assert_eq!(table_walk(&t, &text), crate_walk(&d, &text));
            for (p, phrase) in phrases.iter().enumerate() {
                proptest::prop_assert_eq!(t.pattern_len(p as u32), phrase.len());
            }
        }
    }

    #[test]
    fn refuses_more_bytes_than_a_row_holds() {
        let phrases: Vec<String> = (0u8..70).map(|b| char::from(b'0' + b % 75).to_string().repeat(2)).collect();
        let phrases: Vec<&str> = phrases.iter().map(String::as_str).collect();
        let err = WalkTable::new(&dfa(&phrases), &phrases).err().map(|e| e.0).unwrap_or_default();
        assert!(err.contains("different bytes"), "{err}");
    }
}
