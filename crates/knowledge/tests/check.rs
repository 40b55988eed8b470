//! The knowledge base is consistent with itself and with the shipped CMS data.

use interspace_knowledge::Knowledge;
use interspace_refdata::RefData;

fn load() -> (Knowledge, RefData) {
    let k = Knowledge::load_embedded()
        .unwrap_or_else(|e| panic!("{}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")));
    (k, RefData::load_embedded().unwrap())
}

#[test]
fn knowledge_matches_data() {
    let (k, data) = load();
    let problems = k.check(&data);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn glossary_has_the_required_terms() {
    let (k, _) = load();
    assert!(k.terms().count() >= 30, "only {} glossary terms", k.terms().count());
    for slug in [
        "alif",
        "plif",
        "tlif",
        "xlif",
        "olif",
        "axialif",
        "acdf",
        "pcf",
        "corpectomy",
        "laminectomy",
        "laminotomy",
        "foraminotomy",
        "facetectomy",
        "osteotomy",
        "interspace",
        "vertebral-segment",
        "segmental-instrumentation",
        "pedicle-screw",
        "interbody-device",
        "structural-graft",
        "pseudarthrosis",
        "spondylolisthesis",
        "global-period",
        "ncci-ptp",
        "mue",
        "gpci",
        "rvu",
        "apc",
        "asc",
        "hopd",
        "icd-10-pcs",
        "ms-drg",
        "modifier-62",
        "modifier-80",
    ] {
        assert!(k.term(slug).is_some(), "missing glossary term {slug}");
    }
}

/// The embedded files with one file replaced or added.
fn with_file(name: &str, text: &str) -> Knowledge {
    let mut files: Vec<(String, String)> =
        Knowledge::load_embedded().unwrap().files().iter().filter(|(f, _)| f != name).cloned().collect();
    files.push((name.to_string(), text.to_string()));
    Knowledge::from_files(files)
        .unwrap_or_else(|e| panic!("{}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))
}

fn problems_of(k: &Knowledge, file: &str) -> Vec<String> {
    let data = RefData::load_embedded().unwrap();
    k.check(&data).into_iter().filter(|p| p.file == file).map(|p| p.message).collect()
}

const PAGE: &str = r#"
code = "22634"
name = "Additional combined lumbar fusion interspace"
summary = "SUMMARY"
family = "arthrodesis"
region = "lumbar"
approach = "posterior"
unit = "interspace"
verified = 2026-11-23
sources = ["S4"]
reported_with = REPORTED
documentation = ["levels"]
[[denial]]
edit = "EDIT"
reason = "r"
"#;

fn page(summary: &str, reported: &str, edit: &str) -> String {
    PAGE.replace("SUMMARY", summary).replace("REPORTED", reported).replace("EDIT", edit)
}

#[test]
fn check_catches_money_figures_and_unknown_codes() {
    let k =
        with_file("codes/22634.toml", &page("Pays $1,234.56 and has 20.5 RVUs; see 99999 and 12345.", "[]", "AOC001"));
    let p = problems_of(&k, "codes/22634.toml").join("\n");
    assert!(p.contains("contains a dollar amount"), "{p}");
    assert!(p.contains("types a figure (`20.5 RVUs`)"), "{p}");
    assert!(p.contains("names 99999, which no loaded data file knows"), "{p}");
}

#[test]
fn check_catches_unknown_edits_and_contradicted_primaries() {
    let k = with_file("codes/22634.toml", &page("Each further interspace.", r#"["22630"]"#, "NOPE01"));
    let p = problems_of(&k, "codes/22634.toml").join("\n");
    assert!(p.contains("names unknown edit `NOPE01`"), "{p}");
    assert!(p.contains("does not list 22630 as a primary of 22634"), "{p}");
    let ok = with_file("codes/22634.toml", &page("Each further interspace.", r#"["22633"]"#, "AOC001"));
    assert!(problems_of(&ok, "codes/22634.toml").is_empty());
}

#[test]
fn check_catches_descriptor_wording_and_bad_files() {
    let k = with_file(
        "codes/22634.toml",
        &page("(List separately in addition to code for primary procedure)", "[]", "AOC001"),
    );
    assert!(problems_of(&k, "codes/22634.toml").join("\n").contains("CPT descriptor wording"));
    let mut files: Vec<(String, String)> = Knowledge::load_embedded().unwrap().files().to_vec();
    files.push(("codes/22632.toml".into(), page("x", "[]", "AOC001")));
    files.push(("terms/bad.toml".into(), "slug = \"bad\"\nterm = \"x\"\nunknown_key = 1\n".into()));
    let errors = Knowledge::from_files(files).unwrap_err();
    let text = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n");
    assert!(text.contains("codes/22632.toml: describes 22634 but the file is named 22632.toml"), "{text}");
    assert!(text.contains("terms/bad.toml"), "{text}");
}
