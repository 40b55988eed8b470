//! The edit catalogue (`data/knowledge/edits.toml`) and the implementations agree one to one, and
//! every denial reason of a code page names an edit that exists.

use interspace_edits::EDITS;
use interspace_knowledge::Knowledge;

#[test]
fn every_catalogue_edit_is_implemented_and_every_implementation_catalogued() {
    let k = Knowledge::load_embedded().unwrap();
    let catalogue: Vec<&str> = k.edits().iter().map(|e| e.id.as_str()).collect();
    let implemented: Vec<&str> = EDITS.iter().map(|e| e.id).collect();
    assert_eq!(catalogue, implemented, "edits.toml and EDITS must list the same ids in the same order");
}

#[test]
fn code_page_denial_reasons_name_existing_edits() {
    let k = Knowledge::load_embedded().unwrap();
    for page in k.codes() {
        for d in &page.denials {
            assert!(EDITS.iter().any(|e| e.id == d.edit), "{}: denial names unknown edit {}", page.code, d.edit);
        }
    }
}
