//! The 837P reader: realistic fixtures, broken files, and random claims written out and read back.

use interspace_claim::{Claim, ClaimErrors, ClaimLine, Payer, Role};
use interspace_formats::x12::{looks_like_x12, read_837p};
use interspace_refdata::{Hcpcs, Modifier};
use jiff::civil::{Date, date};
use proptest::prelude::*;

/// One transaction set, two claims: a Medicare subscriber with claim-level dates, then a commercial
/// plan's dependent (HL 23) with line dates. Segment numbers quoted below count lines of this file.
const TWO_CLAIMS: &str = include_str!("fixtures/837p_two_claims.x12");
/// The same claims with `|` elements, `^` components, `+` repetitions and `!` terminators, one line,
/// in two transaction sets.
const CUSTOM_DELIMITERS: &str = include_str!("fixtures/837p_custom_delimiters.x12");
/// Everything the fixtures say about their patients.
const PATIENT_DATA: [&str; 8] =
    ["TESTPATIENT", "TESTSUBSCRIBER", "ALPHA", "BRAVO", "CHARLIE", "FAKE", "19500101", "0TEST0000A0"];

fn line(code: &str, modifiers: &[&str], units: u32, day: Date, pointers: &[u8]) -> ClaimLine {
    ClaimLine {
        code: Hcpcs::parse(code).unwrap(),
        modifiers: modifiers.iter().map(|m| Modifier::parse(m).unwrap()).collect(),
        units,
        date_of_service: day,
        diagnosis_pointers: pointers.to_vec(),
        role: Role::Surgeon,
    }
}

fn expected() -> Vec<Claim> {
    let (d1, d2) = (date(2025, 3, 14), date(2025, 3, 15));
    vec![
        Claim {
            id: "TESTCLM001".into(),
            payer: Payer::Medicare,
            place_of_service: Some("22".into()),
            locality: None,
            diagnoses: vec!["M4316".into(), "M48062".into(), "M5416".into()],
            lines: vec![
                line("22633", &[], 1, d1, &[1, 2, 3]),
                line("22853", &[], 2, d1, &[1]),
                line("22842", &[], 1, d1, &[1, 2]),
                line("20936", &[], 1, d1, &[1]),
            ],
            history: vec![],
        },
        Claim {
            id: "TESTCLM002".into(),
            payer: Payer::Other("TEST COMMERCIAL HEALTH PLAN".into()),
            place_of_service: Some("22".into()),
            locality: None,
            diagnoses: vec!["M5012".into(), "M4802".into()],
            lines: vec![
                line("22551", &["62"], 1, d2, &[1, 2]),
                line("22552", &["62"], 1, d2, &[1, 2]),
                line("22853", &[], 1, d2, &[1]),
                line("22845", &["62"], 1, d2, &[1]),
            ],
            history: vec![],
        },
    ]
}

/// The problems of `text`, which must have some; none may quote patient data.
fn problems(text: &str) -> ClaimErrors {
    let e = read_837p(text).expect_err("the file has problems");
    for p in &e.0 {
        assert!(!PATIENT_DATA.iter().any(|d| p.message.contains(d) || p.at.contains(d)), "{p}");
    }
    e
}

/// Where the problems of `text` are.
fn at(text: &str) -> Vec<String> {
    problems(text).0.into_iter().map(|e| e.at).collect()
}

/// The fixture with `from` replaced by `to` (which must occur once).
fn edit(from: &str, to: &str) -> String {
    assert_eq!(TWO_CLAIMS.matches(from).count(), 1, "{from}");
    TWO_CLAIMS.replace(from, to)
}

#[test]
fn reads_the_two_claim_fixture() {
    let claims = read_837p(TWO_CLAIMS).unwrap();
    assert_eq!(claims, expected());
    assert_eq!(
        claims[0].lines.iter().map(ClaimLine::token).collect::<Vec<_>>(),
        ["22633", "22853x2", "22842", "20936"]
    );
}

#[test]
fn reads_any_layout_and_delimiters() {
    let one_line = TWO_CLAIMS.replace('\n', "");
    let crlf = TWO_CLAIMS.replace('\n', "\r\n");
    let bom = format!("\u{feff}\r\n  {TWO_CLAIMS}\n\n");
    let newline_terminated = TWO_CLAIMS.replace("~\n", "\r\n");
    for text in [one_line.as_str(), &crlf, &bom, &newline_terminated, CUSTOM_DELIMITERS] {
        assert!(looks_like_x12(text));
        assert_eq!(read_837p(text).unwrap(), expected());
    }
    assert!(!looks_like_x12("{\"resourceType\": \"Claim\"}"));
}

#[test]
fn checks_the_envelope() {
    let e = problems(&edit("SE*57*0001", "SE*56*0001"));
    assert_eq!(e.0.len(), 1, "the claims themselves are fine: {e}");
    assert_eq!(e.0[0].at, "segment 59 (SE) element 1");
    assert!(e.0[0].message.contains("`56`") && e.0[0].message.contains("57"), "{e}");

    let e = problems(&edit("SE*57*0001", "SE*57*0002"));
    assert_eq!(e.0.iter().map(|e| e.at.as_str()).collect::<Vec<_>>(), ["segment 59 (SE) element 2"]);
    assert!(e.0[0].message.contains("`0002`") && e.0[0].message.contains("`0001`"), "{e}");

    assert_eq!(
        at(&edit("GE*1*101~\nIEA*1*000000101", "GE*2*101~\nIEA*1*000000102")),
        ["segment 60 (GE) element 1", "segment 61 (IEA) element 2"]
    );
    assert_eq!(at(&edit("ST*837*0001", "ST*835*0001")), ["segment 3 (ST) element 1"]);
    assert_eq!(at(&edit("X*005010X222A1", "X*005010X223A2")), ["segment 2 (GS) element 8"]);
}

#[test]
fn reports_missing_trailers() {
    let e = problems(&edit("IEA*1*000000101~\n", ""));
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!(e.0[0].at, "after segment 60");
    assert!(e.0[0].message.contains("no IEA"), "{e}");

    let e = problems(&edit("SE*57*0001~\n", ""));
    assert_eq!(e.0.iter().map(|e| e.at.as_str()).collect::<Vec<_>>(), ["segment 59 (GE)"]);
    assert!(e.0[0].message.contains("segment 3 (ST) has no SE"), "{e}");

    assert_eq!(at(&format!("{TWO_CLAIMS}GS*HC*A*B*20250318*1430*102*X*005010X222A1~")), ["segment 62 (GS)"]);
}

#[test]
fn reports_every_bad_line_of_every_claim() {
    let text = edit("HC:22842*", "HC:2284*").replace("HC:22552:62*", "HC:22552:6Z2*");
    let e = problems(&text);
    assert_eq!(
        e.0.iter().map(|e| e.at.as_str()).collect::<Vec<_>>(),
        ["segment 32 (SV1) element 1", "segment 51 (SV1) element 1"]
    );
    assert!(e.0[0].message.contains("`2284` is not a CPT or HCPCS code"), "{e}");
    assert!(e.0[1].message.contains("`6Z2` is not a modifier"), "{e}");

    let text = edit("*UN*2***1~", "*MJ*2.5***1~").replace("*UN*1*22**", "*UN*1*2**");
    assert_eq!(at(&text), ["segment 30 (SV1) element 3", "segment 30 (SV1) element 4", "segment 48 (SV1) element 5"]);
    assert_eq!(at(&edit("HC:20936", "IV:20936")), ["segment 34 (SV1) element 1"]);
}

#[test]
fn reports_bad_dates_once() {
    // The lines of claim 1 take the claim's date: they are not also reported as undated.
    let e = problems(&edit("D8*20250314", "D8*20251314"));
    assert_eq!(e.0.iter().map(|e| e.at.as_str()).collect::<Vec<_>>(), ["segment 22 (DTP) element 3"]);
    assert!(e.0[0].message.contains("`20251314`"), "{e}");

    assert_eq!(
        at(&edit("RD8*20250315-20250315", "RD8*20250315").replace("DTP*472*D8*20250314", "DTP*472*DT*20250314")),
        ["segment 22 (DTP) element 2", "segment 52 (DTP) element 3"]
    );

    // Without a date at either level every line of claim 1 is reported; claim 2 has its own.
    assert_eq!(
        at(&edit("DTP*472*D8*20250314", "DTP*431*D8*20250314")),
        ["segment 27 (LX)", "segment 29 (LX)", "segment 31 (LX)", "segment 33 (LX)"]
    );
}

#[test]
fn checks_diagnoses_and_pointers() {
    let text = edit("***1:2:3~", "***1:2:4~")
        .replace("UN*1***1~\nDTP*472*D8*20250315~\nLX*4", "UN*1***3~\nDTP*472*D8*20250315~\nLX*4");
    let e = problems(&text);
    assert_eq!(
        e.0.iter().map(|e| e.at.as_str()).collect::<Vec<_>>(),
        ["segment 28 (SV1) element 7", "segment 54 (SV1) element 7"]
    );
    assert!(e.0[0].message.contains("pointer 4") && e.0[0].message.contains("has 3"), "{e}");
    assert!(e.0[1].message.contains("pointer 3") && e.0[1].message.contains("has 2"), "{e}");

    assert_eq!(at(&edit("ABF:M48062", "ABF:48062")), ["segment 24 (HI) element 2"]);
    assert_eq!(
        at(&edit("HI*ABK:M5012*ABF:M4802", "HI*ABF:M5012*BF:7224")),
        ["segment 46 (HI) element 1", "segment 46 (HI) element 2"]
    );
    // Without SV107 a line points at the first four diagnoses.
    let claims = read_837p(&edit("*UN*1***1:2:3~", "*UN*1~")).unwrap();
    assert_eq!(claims[0].lines[0].diagnosis_pointers, [1, 2, 3]);
}

#[test]
fn checks_the_hierarchy() {
    // A wrong level is reported once; the claim under it is still read.
    assert_eq!(at(&edit("HL*2*1*22*0", "HL*2*1*21*0")), ["segment 14 (HL) element 3"]);
    assert_eq!(at(&edit("HL*4*3*23*0", "HL*4*9*23*0")), ["segment 39 (HL) element 2"]);
    assert_eq!(at(&edit("HL*2*1*22*0~\n", "")), ["segment 20 (CLM)", "segment 58 (SE) element 1"]);
}

#[test]
fn reports_cut_and_garbled_files() {
    // Cut inside the first line of claim 2: claim 1 is fine, claim 2's line and the trailers are not.
    let cut = &TWO_CLAIMS[..TWO_CLAIMS.find("SV1*HC:22551:62*26").unwrap() + 18];
    assert_eq!(
        at(cut),
        [
            "segment 47 (LX)",
            "segment 48 (SV1) element 3",
            "segment 48 (SV1) element 4",
            "after segment 48",
            "after segment 48",
            "after segment 48"
        ]
    );
    assert_eq!(at(&TWO_CLAIMS[..80]), ["segment 1 (ISA)"]);
    assert_eq!(at("hello, world"), ["segment 1"]);
    assert_eq!(at(""), ["segment 1"]);
    assert_eq!(at(&TWO_CLAIMS.replacen("TESTCLEARHOUSE ", "TESTCLEARHOUSE", 1)), ["segment 1 (ISA) element 8"]);
    assert_eq!(at(&TWO_CLAIMS.replacen("*^*", "*:*", 1)), ["segment 1 (ISA)"]);
    assert_eq!(at(&TWO_CLAIMS.replacen("*^*", "*U*", 1)), ["segment 1 (ISA) element 11"]);
    assert_eq!(at(&edit("LX*3~\nSV1*HC:22842", "lx*3~\nSV1*HC:22842")), ["segment 31", "segment 32 (SV1)"]);
}

/// Writes claims as an 837P interchange: `d` is element, repetition, component separator and
/// segment terminator; `newline` follows each terminator; `per_set` claims go in each ST…SE.
fn write_837p(claims: &[Claim], d: [char; 4], newline: &str, per_set: usize) -> String {
    let [e, r, c, t] = d;
    let ymd = |d: Date| format!("{:04}{:02}{:02}", d.year(), d.month(), d.day());
    let isa = [
        "ISA",
        "00",
        "          ",
        "00",
        "          ",
        "ZZ",
        "INTERSPACETEST ",
        "ZZ",
        "TESTCLEARHOUSE ",
        "250318",
        "1430",
        &r.to_string(),
        "00501",
        "000000777",
        "0",
        "T",
        &c.to_string(),
    ]
    .join(&e.to_string());
    assert_eq!(isa.len(), 105);
    let mut segments = vec![isa, format!("GS{e}HC{e}A{e}B{e}20250318{e}1430{e}7{e}X{e}005010X222A1")];
    let chunks: Vec<&[Claim]> = claims.chunks(per_set).collect();
    for (n, chunk) in chunks.iter().enumerate() {
        let start = segments.len();
        segments.push(format!("ST{e}837{e}{n:04}{e}005010X222A1"));
        segments.push(format!("BHT{e}0019{e}00{e}B{n}{e}20250318{e}1430{e}CH"));
        segments.push(format!("HL{e}1{e}{e}20{e}1"));
        segments.push(format!("NM1{e}85{e}2{e}TEST GROUP{e}{e}{e}{e}{e}XX{e}1234567893"));
        for (k, claim) in chunk.iter().enumerate() {
            let payer = match &claim.payer {
                Payer::Medicare => "Medicare Part B",
                Payer::Other(name) => name,
            };
            let pos = claim.place_of_service.as_deref().unwrap_or_default();
            let claim_date = claim.lines[0].date_of_service;
            segments.push(format!("HL{e}{}{e}1{e}22{e}0", k + 2));
            segments.push(format!("NM1{e}IL{e}1{e}TESTPATIENT{e}ROUNDTRIP"));
            segments.push(format!("NM1{e}PR{e}2{e}{payer}{e}{e}{e}{e}{e}PI{e}00000"));
            let clm05 = if pos.is_empty() { String::new() } else { format!("{pos}{c}B{c}1") };
            segments.push(format!("CLM{e}{}{e}100{e}{e}{e}{clm05}{e}Y{e}A{e}Y{e}Y", claim.id));
            segments.push(format!("DTP{e}472{e}D8{e}{}", ymd(claim_date)));
            let hi: Vec<String> = (claim.diagnoses.iter().enumerate())
                .map(|(i, d)| format!("{}{c}{d}", if i == 0 { "ABK" } else { "ABF" }))
                .collect();
            segments.push(format!("HI{e}{}", hi.join(&e.to_string())));
            for (i, l) in claim.lines.iter().enumerate() {
                segments.push(format!("LX{e}{}", i + 1));
                let mut sv101 = format!("HC{c}{}", l.code);
                for m in &l.modifiers {
                    sv101.push(c);
                    sv101.push_str(m.as_str());
                }
                let default: Vec<u8> = (1..=4).take(claim.diagnoses.len()).collect();
                let pointers = if l.diagnosis_pointers == default && i % 2 == 0 {
                    String::new()
                } else {
                    l.diagnosis_pointers.iter().map(u8::to_string).collect::<Vec<_>>().join(&c.to_string())
                };
                let sv105 = if i % 2 == 1 { pos } else { "" };
                segments.push(format!("SV1{e}{sv101}{e}10{e}UN{e}{}{e}{sv105}{e}{e}{pointers}", l.units));
                if l.date_of_service != claim_date {
                    let day = ymd(l.date_of_service);
                    segments.push(format!("DTP{e}472{e}RD8{e}{day}-{day}"));
                }
            }
        }
        segments.push(format!("SE{e}{}{e}{n:04}", segments.len() - start + 1));
    }
    segments.push(format!("GE{e}{}{e}7", chunks.len()));
    segments.push(format!("IEA{e}1{e}000000777"));
    segments.iter().map(|s| format!("{s}{t}{newline}")).collect()
}

fn claims() -> impl Strategy<Value = Vec<Claim>> {
    const CODES: [&str; 8] = ["22633", "22853", "22842", "20936", "22551", "63047", "22845", "0274T"];
    const MODIFIERS: [&str; 6] = ["62", "XS", "59", "RT", "LT", "80"];
    const DIAGNOSES: [&str; 6] = ["M4316", "M48062", "M5416", "M5012", "M4802", "S32010A"];
    let claim = (1..=4usize).prop_flat_map(|n| {
        let line = (
            prop::sample::select(&CODES[..]),
            prop::collection::vec(prop::sample::select(&MODIFIERS[..]), 0..=4),
            1..=5u32,
            0..3i8,
            prop::sample::subsequence((1..=n as u8).collect::<Vec<_>>(), 1..=n),
        )
            .prop_map(|(code, modifiers, units, day, pointers)| ClaimLine {
                code: Hcpcs::parse(code).unwrap(),
                modifiers: modifiers.iter().map(|m| Modifier::parse(m).unwrap()).collect(),
                units,
                date_of_service: date(2025, 3, 14 + day),
                diagnosis_pointers: pointers,
                role: Role::Surgeon,
            });
        (
            "[A-Z0-9]{1,20}",
            prop_oneof![Just(Payer::Medicare), "[A-Z][A-Z ]{0,20}[A-Z]".prop_map(Payer::Other)],
            prop::option::of(prop::sample::select(vec!["11", "21", "22", "24"])),
            prop::sample::subsequence(DIAGNOSES.to_vec(), n),
            prop::collection::vec(line, 1..=5),
        )
            .prop_map(|(id, payer, pos, diagnoses, lines)| Claim {
                id,
                payer,
                place_of_service: pos.map(str::to_string),
                locality: None,
                diagnoses: diagnoses.into_iter().map(str::to_string).collect(),
                lines,
                history: vec![],
            })
    });
    prop::collection::vec(claim, 1..=4)
}

fn delimiters() -> impl Strategy<Value = [char; 4]> {
    let pool = vec!['*', '|', '^', '!', '~', ':', '>', '`', '{', '}', '+', '#', '\u{1d}', '\u{1f}'];
    prop::sample::subsequence(pool, 4).prop_shuffle().prop_map(|d| [d[0], d[1], d[2], d[3]])
}

/// A fixture character to insert: often a delimiter, else anything.
fn inserted() -> impl Strategy<Value = char> {
    prop_oneof![prop::sample::select(vec!['*', '~', ':', '^', '\n', 'A', '1']), any::<char>()]
}

proptest! {
    #[test]
    fn claims_survive_a_round_trip(
        claims in claims(),
        d in delimiters(),
        newline in prop::sample::select(vec!["", "\n", "\r\n"]),
        per_set in 1..=3usize,
    ) {
        let text = write_837p(&claims, d, newline, per_set);
        prop_assert_eq!(read_837p(&text), Ok(claims), "{}", text);
    }

    #[test]
    fn never_panics_on_anything(s in "\\PC{0,400}", t in "ISA[ -~\n]{0,400}") {
        let _ = read_837p(&s);
        let _ = read_837p(&t);
    }

    #[test]
    fn never_panics_on_a_damaged_fixture(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>(), inserted()), 1..10),
    ) {
        let mut text: Vec<char> = TWO_CLAIMS.chars().collect();
        for (i, insert, c) in edits {
            if insert {
                text.insert(i.index(text.len() + 1), c);
            } else if !text.is_empty() {
                text.remove(i.index(text.len()));
            }
        }
        let text: String = text.into_iter().collect();
        if let Err(e) = read_837p(&text) {
            prop_assert!(!e.0.is_empty());
            for p in &e.0 {
                prop_assert!(!PATIENT_DATA[..3].iter().any(|d| p.message.contains(d)), "{}", p);
            }
        }
    }
}
