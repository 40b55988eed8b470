//! The X12 005010X222A1 837P reader, `interspace_formats::x12::read_837p`.
//!
//! Invariants: a failed read reports at least one problem, each at a segment; a read claim has an
//! id and service lines whose diagnosis pointers name its diagnoses; and a round trip: the claims
//! read, written back as a minimal 837P, read back equal.
#![no_main]

use interspace_claim::{Claim, Payer, Role};
use interspace_formats::x12::read_837p;
use libfuzzer_sys::fuzz_target;

/// The ISA of the project's fixtures: `*` elements, `^` repetitions, `:` components, `~` segments.
const ISA: &str =
    "ISA*00*          *00*          *ZZ*INTERSPACETEST *ZZ*TESTCLEARHOUSE *250318*1430*^*00501*000000101*0*T*:~";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match read_837p(text) {
        Err(errors) => {
            assert!(!errors.0.is_empty(), "an error without a problem");
            for e in &errors.0 {
                assert!(
                    e.at.starts_with("segment ") || e.at.starts_with("after segment "),
                    "a problem not located at a segment: {:?}",
                    e.at
                );
            }
        }
        Ok(claims) => {
            for c in &claims {
                check_claim(c);
            }
            if let Some(written) = write_837p(&claims) {
                let again = read_837p(&written).unwrap_or_else(|e| panic!("rereading {written:?}: {e}"));
                assert_eq!(again, claims, "the round trip changed the claims; written:\n{written}");
            }
        }
    }
});

fn check_claim(c: &Claim) {
    assert!(!c.id.is_empty(), "a claim without an id");
    assert!(!c.lines.is_empty(), "claim {:?} without lines", c.id);
    for l in &c.lines {
        assert!(l.units >= 1);
        assert!(l.modifiers.len() <= 4, "SV101 holds at most four modifiers");
        for p in &l.diagnosis_pointers {
            assert!((1..=c.diagnoses.len()).contains(&usize::from(*p)), "pointer {p} of {} diagnoses", c.diagnoses.len());
        }
    }
}

/// Writes claims as a minimal 837P, one subscriber loop per claim; `None` when a value holds a
/// delimiter of the ISA above (the original interchange had other delimiters).
fn write_837p(claims: &[Claim]) -> Option<String> {
    let clean = |s: &str| !s.contains(['*', '^', ':', '~']) && s.trim() == s;
    let mut segments: Vec<String> = vec!["ST*837*0001*005010X222A1".into(), "HL*1**20*1".into()];
    for (i, c) in claims.iter().enumerate() {
        if !clean(&c.id) || c.locality.is_some() || !c.history.is_empty() {
            return None;
        }
        segments.push(format!("HL*{}*1*22*0", i + 2));
        match &c.payer {
            Payer::Medicare => segments.push("NM1*PR*2*MEDICARE".into()),
            Payer::Other(name) if clean(name) => segments.push(format!("NM1*PR*2*{name}")),
            Payer::Other(_) => return None,
        }
        let place = c.place_of_service.as_deref().map(|p| format!("{p}:B:1")).unwrap_or_default();
        segments.push(format!("CLM*{}*0***{place}", c.id));
        if !c.diagnoses.is_empty() {
            let hi: Vec<String> = c
                .diagnoses
                .iter()
                .enumerate()
                .map(|(k, d)| format!("{}:{d}", if k == 0 { "ABK" } else { "ABF" }))
                .collect();
            segments.push(format!("HI*{}", hi.join("*")));
        }
        for (k, l) in c.lines.iter().enumerate() {
            if l.role != Role::Surgeon {
                return None;
            }
            let mut sv101 = format!("HC:{}", l.code);
            for m in &l.modifiers {
                sv101.push(':');
                sv101.push_str(m.as_str());
            }
            let pointers: Vec<String> = l.diagnosis_pointers.iter().map(u8::to_string).collect();
            segments.push(format!("LX*{}", k + 1));
            segments.push(format!("SV1*{sv101}*0*UN*{}***{}", l.units, pointers.join(":")));
            let d = l.date_of_service;
            segments.push(format!("DTP*472*D8*{:04}{:02}{:02}", d.year(), d.month(), d.day()));
        }
    }
    segments.push(format!("SE*{}*0001", segments.len() + 1));
    let mut out = String::from(ISA);
    out.push_str("GS*HC*INTERSPACETEST*TESTCLEARHOUSE*20250318*1430*1*X*005010X222A1~");
    for s in segments {
        out.push_str(&s);
        out.push('~');
    }
    out.push_str("GE*1*1~IEA*1*000000101~");
    Some(out)
}
