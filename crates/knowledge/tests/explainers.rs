//! Patient-facing explainers: every main procedure has one, each reads at about an 8th-grade
//! level, and no page attaches a code that does not bill its procedure.

use interspace_knowledge::Knowledge;
use interspace_knowledge::readability::flesch_kincaid_grade;

/// (explainer id, codes it must list, codes it must never list).
const PROCEDURES: &[(&str, &[&str], &[&str])] = &[
    ("acdf", &["22551", "22552"], &["22554", "22586", "22864"]),
    ("cervical-disc-replacement", &["22856"], &["22551", "22864", "22865"]),
    ("posterior-cervical-fusion", &["22600"], &["22551", "22612"]),
    ("laminectomy", &["63047"], &["22612", "22633"]),
    ("microdiscectomy", &["63030"], &["22630", "63047"]),
    ("tlif-plif", &["22630", "22633"], &["22558", "22612", "22586"]),
    ("alif", &["22558"], &["22630", "22586", "22551"]),
    ("xlif", &["22558"], &["22630", "22586", "22551"]),
    ("presacral-fusion", &["22586"], &["22840", "22842", "20930", "20936", "22558", "22853"]),
    ("kyphoplasty", &["22513"], &["22510", "22511", "22512"]),
    ("si-joint-fusion", &["27279"], &["22558", "22612"]),
    ("deformity-correction", &["22802"], &["22558", "22586"]),
];

#[test]
fn every_main_procedure_has_an_explainer_with_the_right_codes() {
    let k = Knowledge::load_embedded().unwrap();
    for (id, must, never) in PROCEDURES {
        let x = k.explainer(id).unwrap_or_else(|| panic!("no explainer `{id}`"));
        let codes: Vec<&str> = x.codes.iter().map(|c| c.as_str()).collect();
        for c in *must {
            assert!(codes.contains(c), "{id} must list {c}");
        }
        for c in *never {
            assert!(!codes.contains(c), "{id} must not list {c}: it does not bill this procedure");
        }
    }
}

#[test]
fn explainers_read_at_about_an_eighth_grade_level() {
    let k = Knowledge::load_embedded().unwrap();
    for x in k.explainers() {
        let grade = flesch_kincaid_grade(x.patient_text());
        assert!(grade <= 9.0, "{}: Flesch-Kincaid grade {grade:.1} is above 9", x.id);
        assert!(x.patient_text().all(|t| !t.contains(';')), "{}: split sentences with semicolons", x.id);
    }
}
