//! SPN011: +61783 with decompression only: CPT meant spinal navigation for complex work such as
//! instrumentation or tumour resection (compendium §4.4).

use super::note;
use crate::check::{in_range, in_ranges};
use crate::{Check, Finding};

pub(super) fn run(c: &Check<'_>) -> Vec<Finding> {
    let decompression = c.any(|x| in_range(x, "63001", "63199"));
    let complex = c.any(|x| in_ranges(x, &[("22532", "22819"), ("22840", "22848"), ("22853", "22859")]));
    if !decompression || complex {
        return Vec::new();
    }
    c.lines_where(|x| x == "61783")
        .map(|(i, _)| note(vec![i], "61783", "61783 (spinal navigation) is reported with decompression only".into()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{on, subjects};
    use super::run;

    #[test]
    fn fires_with_decompression_alone() {
        assert_eq!(subjects(&on(run, &["63047", "61783"], &["M48.062"])), ["61783"]);
        assert!(on(run, &["63047", "22612", "22840", "61783"], &["M48.062"]).is_empty());
    }
}
