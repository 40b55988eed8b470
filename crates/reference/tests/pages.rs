//! Code and term pages: every figure is computed from the data, and searching finds codes by
//! number, word and synonym.

use std::sync::{Arc, LazyLock};

use interspace_knowledge::Knowledge;
use interspace_refdata::RefData;
use interspace_reference::{HitKind, PageError, Reference};

static REF: LazyLock<Reference> = LazyLock::new(|| {
    Reference::new(Arc::new(RefData::load_embedded().unwrap()), Arc::new(Knowledge::load_embedded().unwrap()))
});

#[test]
fn code_page_figures_come_from_the_data() {
    let p = REF.code_page("22633", Some(2025), Some("10112-00"), false).unwrap();
    assert_eq!(p.work_rvu.to_string(), "26.80");
    assert_eq!(p.total_facility_rvu.to_string(), "55.06");
    assert_eq!(p.national_facility.to_string(), "1781.00");
    assert_eq!(p.locality.as_ref().unwrap().facility.to_string(), "1581.56");
    assert_eq!(p.global_days, "090");
    assert!(!p.add_on);
    assert_eq!(
        p.facility_payment_note.as_deref(),
        Some("import OPPS/ASC data to see facility payment (interspace data import --opps … --asc …)")
    );
    let m62 = p.modifiers.iter().find(|m| m.modifier == "62").unwrap();
    assert!(m62.applies, "{m62:?}");
    assert!(p.denial_reasons.iter().any(|d| d.edit == "SPN002" && d.edit_name == "CombinedLumbarFusionSplit"));
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["national_facility"], "1781.00", "money is a decimal string");
}

#[test]
fn unknown_inputs_name_the_nearest_choices() {
    let e = REF.code_page("22634x", None, None, false).unwrap_err();
    assert!(matches!(e, PageError::UnknownCode { .. }));
    let e = REF.code_page("22633", Some(1999), None, false).unwrap_err().to_string();
    assert_eq!(e, "no data for year 1999; loaded years: 2025, 2026");
    let e = REF.code_page("22633", None, Some("10112-07"), false).unwrap_err().to_string();
    assert!(e.starts_with("unknown locality `10112-07`; did you mean 10112-00 (ALABAMA)"), "{e}");
}

#[test]
fn search_by_number_word_and_synonym() {
    let hits = REF.search("22586", 5);
    assert_eq!(hits[0].id, "22586");
    let hits = REF.search("presacral", 5);
    assert!(hits.iter().any(|h| h.id == "22586"), "{hits:?}");
    let hits = REF.search("2263", 10);
    assert!(hits.iter().take(3).any(|h| h.kind == HitKind::Code && h.id.starts_with("2263")), "{hits:?}");
    assert!(REF.search("   ", 5).is_empty());
}
