//! The vertebral level grammar (`interspace_notes::scan_levels`) on arbitrary lower-cased bytes.
//!
//! Invariants: mentions are sorted, non-overlapping and non-empty, inside the input, on character
//! boundaries when the input is UTF-8; spans run top to bottom; counts are at least one level.
#![no_main]

use interspace_notes::{LevelRef, Region, scan_levels};
use libfuzzer_sys::fuzz_target;

const REGIONS: [Option<Region>; 7] = [
    None,
    Some(Region::Occiput),
    Some(Region::Cervical),
    Some(Region::Thoracic),
    Some(Region::Lumbar),
    Some(Region::Sacral),
    Some(Region::Coccyx),
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let region = REGIONS[usize::from(first) % REGIONS.len()];
    let lower = rest.to_ascii_lowercase();
    let mentions = scan_levels(&lower, region);
    let utf8 = std::str::from_utf8(&lower).ok();
    let mut last_end = 0;
    for m in &mentions {
        assert!(m.start < m.end, "empty or backwards mention {m:?}");
        assert!(m.end <= lower.len(), "mention {m:?} ends past the input ({} bytes)", lower.len());
        assert!(m.start >= last_end, "mention {m:?} overlaps or precedes the one ending at {last_end}");
        last_end = m.end;
        if let Some(s) = utf8 {
            assert!(s.is_char_boundary(m.start) && s.is_char_boundary(m.end), "mention {m:?} splits a character");
        }
        match m.level {
            LevelRef::Span(a, b) => assert!(a < b, "span {a}-{b} does not run top to bottom"),
            LevelRef::Count(n) => assert!(n >= 1, "a count of {n} levels"),
            LevelRef::Vertebra(_) | LevelRef::Pelvis => {}
        }
    }
    // Scanning is a pure function of its input.
    assert_eq!(mentions, scan_levels(&lower, region));
});
