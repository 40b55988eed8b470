//! The shipped data loads, validates, and says what it is.

use interspace_refdata::{
    AocType, ApmStatus, GlobalPeriod, Hcpcs, MueAdjudication, PtpModifierIndicator, RefData, StatusCode, TableKind,
};
use jiff::civil::date;

fn code(s: &str) -> Hcpcs {
    s.parse().unwrap()
}

#[test]
fn shipped_years_load() {
    let data = RefData::load_embedded().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data.years().collect::<Vec<_>>(), vec![2025, 2026]);
    assert_eq!(data.default_year(), 2025);

    let d = data.year(2025).unwrap();
    assert_eq!(d.pfs.release, "RVU25D");
    assert_eq!(d.pfs.rows().len(), 237);
    let r = d.pfs.get(code("22633")).unwrap();
    assert_eq!((r.work.to_string(), r.total_facility.to_string()), ("26.80".into(), "55.06".into()));
    assert_eq!(r.global, GlobalPeriod::Ninety);
    assert_eq!(d.pfs.get(code("20936")).unwrap().status, StatusCode::Bundled);
    assert_eq!(d.pfs.get(code("95941")).unwrap().status, StatusCode::NotValid);
    assert!(d.pfs.get(code("22851")).is_none(), "22851 was deleted in 2017");
    assert_eq!(d.conversion_factors.get(ApmStatus::Qualifying).value.to_string(), "32.3465");
    assert_eq!(d.gpci.all().len(), 109);
    assert_eq!(d.icd10cm.len(), 98_505 - 297 - 22);
    assert!(d.icd10cm.get("m48.062").unwrap().billable);
    assert!(!d.icd10cm.get("M51.36").unwrap().billable);
    assert_eq!(d.mue.get(code("22853")).unwrap().adjudication, MueAdjudication::DateOfServiceClinical);
    let aoc = d.aoc.get(code("22634")).unwrap();
    assert_eq!((aoc.kind, aoc.primaries.clone()), (AocType::ListedOnly, vec![code("22633")]));
    assert_eq!(d.aoc.get(code("61783")).unwrap().kind, AocType::ContractorDefined);
    assert!(d.opps.is_none() && d.asc.is_none());
}

#[test]
fn ptp_respects_deletion_dates() {
    let data = RefData::load_embedded().unwrap();
    let d = data.year(2025).unwrap();
    let e = d.ptp.edit_on(code("22633"), code("22612"), date(2025, 3, 1)).unwrap();
    assert_eq!(e.modifier, PtpModifierIndicator::NotAllowed);
    // The erroneous 2023 edit bundling 63052 into 22633 was deleted retroactively.
    assert!(d.ptp.edit_on(code("22633"), code("63052"), date(2025, 3, 1)).is_none());
    assert!(d.ptp.edit_on(code("22633"), code("63052"), date(2023, 3, 1)).is_none(), "indicator 9: never applies");
    // 20932/99211 was deleted 2019-12-31 and re-added: two rows, one active.
    let rows = d.ptp.rows(code("20932"), code("99211"));
    assert_eq!(rows.iter().map(|e| e.deleted).collect::<Vec<_>>(), vec![Some(date(2019, 12, 31)), None]);
    assert!(d.ptp.active(code("20932"), code("99211")).is_some_and(|e| e.deleted.is_none()));
    // Before the deletion the row then in force answers, after it the one that replaced it.
    let on = |day| d.ptp.edit_on(code("20932"), code("99211"), day).map(|e| e.deleted);
    assert_eq!(on(date(2019, 6, 1)), Some(Some(date(2019, 12, 31))));
    assert_eq!(on(date(2025, 3, 1)), Some(None));
}

#[test]
fn icd10cm_codes_are_found_however_written() {
    let data = RefData::load_embedded().unwrap();
    let cm = &data.year(2025).unwrap().icd10cm;
    for written in ["M48.062", "m48062", " m48.062 ", "M4806.2"] {
        assert_eq!(cm.get(written).map(|c| &*c.code), Some("M48.062"), "{written:?}");
    }
    for not_a_code in ["", ".", "M48.0621", "M48\x00062", "M48.062X1"] {
        assert!(cm.get(not_a_code).is_none(), "{not_a_code:?}");
    }
    let children = |prefix| {
        let mut c: Vec<String> = cm.billable_children(prefix).map(|c| c.code.to_string()).collect();
        c.sort();
        c
    };
    assert_eq!(children("m48.06"), vec!["M48.061", "M48.062"]);
    assert!(children("M48.062").is_empty(), "a code is not its own child");
    assert!(children("M48.0621").is_empty());
    assert!(children("M4").len() > 40 && children("M4").iter().all(|c| c.starts_with("M4")));
}

#[test]
fn year_2026_inherits_and_says_so() {
    let data = RefData::load_embedded().unwrap();
    let d = data.year(2026).unwrap();
    assert!(d.conversion_factors.has_apm_split());
    assert_eq!(d.conversion_factors.get(ApmStatus::NonQualifying).value.to_string(), "33.4009");
    assert_eq!(d.conversion_factors.get(ApmStatus::Qualifying).value.to_string(), "33.5675");
    assert!(!d.conversion_factors.get(ApmStatus::Qualifying).verified_from_cms_file);
    let pfs = d.table(TableKind::PfsRvu).unwrap();
    assert_eq!(pfs.from_year, 2025);
    let caveats = d.caveats().join("\n");
    assert!(caveats.contains("pfs_rvu: no 2026 table is loaded, so the 2025 table"), "{caveats}");
    // Inherited tables are shared, not loaded twice.
    assert!(std::sync::Arc::ptr_eq(&d.pfs, &data.year(2025).unwrap().pfs));
}
