//! Golden prices, each checked by hand against the CMS formula in the RVU file documentation:
//! payment = [(work × work GPCI) + (PE × PE GPCI) + (MP × MP GPCI)] × CF, rounded half-up to
//! cents; RVU25D, CF 32.3465 (2025).

use interspace_pricing::{PriceRequest, PricedClaim, ServiceLine, Setting, Step, price};
use interspace_refdata::{ApmStatus, Hcpcs, LocalityId, Modifier, RefData};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn line(s: &str) -> ServiceLine {
    let (s, units) = s.split_once('x').map_or((s, 1), |(a, u)| (a, u.parse().unwrap()));
    let mut parts = s.split('-');
    let code: Hcpcs = parts.next().unwrap().parse().unwrap();
    ServiceLine { code, modifiers: parts.map(|m| Modifier::parse(m).unwrap()).collect(), units }
}

static DATA: std::sync::LazyLock<RefData> = std::sync::LazyLock::new(|| RefData::load_embedded().unwrap());

fn run(year: i16, locality: Option<&str>, setting: Setting, apm: ApmStatus, lines: &[&str]) -> PricedClaim {
    let data = &*DATA;
    let req = PriceRequest {
        lines: lines.iter().map(|l| line(l)).collect(),
        locality: locality.map(|l| l.parse::<LocalityId>().unwrap()),
        setting,
        apm,
    };
    price(data.year(year).unwrap(), &req).unwrap()
}

fn allowed(c: &PricedClaim) -> Vec<Decimal> {
    c.lines.iter().map(|l| l.allowed).collect()
}

const NQ: ApmStatus = ApmStatus::NonQualifying;

#[test]
fn national_facility_22633_2025() {
    // 55.06 total facility RVUs × 32.3465 = 1780.998… → 1781.00
    let c = run(2025, None, Setting::Facility, NQ, &["22633"]);
    assert_eq!(c.lines[0].fee_schedule, Some(dec!(1781.00)));
    assert_eq!(c.total, dec!(1781.00));
    assert_eq!(c.conversion_factor, dec!(32.3465));
}

#[test]
fn alabama_locality_22633() {
    // (26.80 × 1 + 19.88 × 0.869 + 8.38 × 0.575) = 48.89422 × 32.3465 = 1581.560… → 1581.56
    let c = run(2025, Some("10112-00"), Setting::Facility, NQ, &["22633"]);
    assert_eq!(c.total, dec!(1581.56));
    assert_eq!(c.lines[0].rvus.unwrap().normalize(), dec!(48.89422));
    // Step 1 explains itself with the figures it used.
    let formula = &c.lines[0].adjustments[0];
    assert_eq!(formula.step, Step::FeeSchedule);
    assert_eq!(
        formula.description.to_string(),
        "locality 10112-00 ALABAMA facility: (26.80 × 1 + 19.88 × 0.869 + 8.38 × 0.575) = 48.89422 RVUs × CF 32.3465 = 1581.56"
    );
    let national = run(2025, None, Setting::Facility, NQ, &["22633"]);
    assert_eq!(
        national.lines[0].adjustments[0].description.to_string(),
        "national facility: (26.80 × 1 + 19.88 × 1 + 8.38 × 1) = 55.06 RVUs × CF 32.3465 = 1781.00"
    );
}

#[test]
fn multiple_procedure_ranking_and_add_ons() {
    // 22633 1781.00 (rank 1, 100%); 22558 46.30 × CF = 1497.64 (rank 2, 50% = 748.82);
    // add-ons 22853 (7.74 → 250.36) and 22840 (22.64 → 732.32) are exempt.
    let c = run(2025, None, Setting::Facility, NQ, &["22558", "22633", "22853", "22840"]);
    assert_eq!(allowed(&c), vec![dec!(748.82), dec!(1781.00), dec!(250.36), dec!(732.32)]);
    assert_eq!(c.total, dec!(3512.50));
    let mp = c.lines[0].adjustments.iter().find(|a| a.step == Step::MultipleProcedure).unwrap();
    assert_eq!(mp.description.to_string(), "ranked 2nd of 2 procedures by amount: 50%");
}

#[test]
fn co_surgeons_and_assistants() {
    // 62.5% of 1781.00 = 1113.125 → 1113.13; 22558-62 ranked 2nd: 1497.64 × 50% × 62.5% = 468.0125 → 468.01
    let c = run(2025, None, Setting::Facility, NQ, &["22633-62", "22558-62"]);
    assert_eq!(allowed(&c), vec![dec!(1113.13), dec!(468.01)]);
    // Single line: 22558-62 = 62.5% of 1497.64 = 936.025 → 936.03 (compendium §6 worked figure)
    assert_eq!(run(2025, None, Setting::Facility, NQ, &["22558-62"]).total, dec!(936.03));
    // 16% of 1781.00 = 284.96; AS 13.6% = 242.216 → 242.22
    assert_eq!(run(2025, None, Setting::Facility, NQ, &["22633-80"]).total, dec!(284.96));
    assert_eq!(run(2025, None, Setting::Facility, NQ, &["22633-AS"]).total, dec!(242.22));
    // An assistant's lines are ranked apart from the surgeon's: both rank 1st in their group.
    let c = run(2025, None, Setting::Facility, NQ, &["22633", "22633-80"]);
    assert_eq!(allowed(&c), vec![dec!(1781.00), dec!(284.96)]);
}

#[test]
fn modifiers_not_allowed_price_at_zero_with_reason() {
    // 61783 co-surgeon indicator 0; 20931 assistant indicator 1.
    let c = run(2025, None, Setting::Facility, NQ, &["61783-62", "20931-80"]);
    assert_eq!(c.total, Decimal::ZERO);
    assert!(c.lines[0].not_paid.as_deref().unwrap().contains("co-surgeon indicator 0"));
    assert!(c.lines[1].not_paid.as_deref().unwrap().contains("assistant indicator 1"));
}

#[test]
fn bilateral_before_ranking() {
    // 63030 bilateral indicator 1: 28.06 × CF = 907.64, × 150% = 1361.46. 22612: 48.03 × CF = 1553.60.
    // Ranked after the bilateral adjustment: 22612 100%, 63030-50 50% of 1361.46 = 680.73.
    let c = run(2025, None, Setting::Facility, NQ, &["63030-50", "22612"]);
    assert_eq!(allowed(&c), vec![dec!(680.73), dec!(1553.60)]);
    // 63047 bilateral indicator 2: modifier 50 changes nothing.
    let c = run(2025, None, Setting::Facility, NQ, &["63047-50"]);
    assert_eq!(c.total, dec!(1094.93));
}

#[test]
fn units_of_a_ranked_code_rank_separately() {
    // 63047 × 2 units: 1094.93 at 100% + 1094.93 at 50% = 1642.395 → 1642.40
    assert_eq!(run(2025, None, Setting::Facility, NQ, &["63047x2"]).total, dec!(1642.40));
    // Add-on units are not reduced: 22614 × 2 = 11.76 × CF = 380.39 × 2 = 760.78
    assert_eq!(run(2025, None, Setting::Facility, NQ, &["22614x2"]).total, dec!(760.78));
}

#[test]
fn unpaid_statuses() {
    let c = run(2025, None, Setting::Facility, NQ, &["20936", "95941", "22851"]);
    assert_eq!(c.total, Decimal::ZERO);
    assert!(c.lines[0].not_paid.as_deref().unwrap().starts_with("status B"));
    assert!(c.lines[1].not_paid.as_deref().unwrap().starts_with("status I"));
    assert!(c.lines[2].not_paid.as_deref().unwrap().contains("not in the 2025 PFS Relative Value File"));
}

#[test]
fn year_2026_uses_both_conversion_factors_and_says_rvus_are_2025() {
    // 55.06 × 33.4009 = 1839.0535… → 1839.05; × 33.5675 = 1848.2265… → 1848.23
    let c = run(2026, None, Setting::Facility, ApmStatus::NonQualifying, &["22633"]);
    assert_eq!(c.total, dec!(1839.05));
    let q = run(2026, None, Setting::Facility, ApmStatus::Qualifying, &["22633"]);
    assert_eq!(q.total, dec!(1848.23));
    assert!(c.caveats.iter().any(|c| c.contains("pfs_rvu: no 2026 table is loaded")), "{:?}", c.caveats);
}

#[test]
fn split_care_and_return_to_or() {
    // 78: intra-operative share 0.69 of 1781.00 = 1228.89
    assert_eq!(run(2025, None, Setting::Facility, NQ, &["22633-78"]).total, dec!(1228.89));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// The total is the sum of the rounded lines, every line is in cents, never negative, and never
    /// more than twice its unadjusted amount (the 200% bilateral indicator 3 is the largest factor).
    #[test]
    fn totals_are_sums_of_rounded_lines(picks in proptest::collection::vec((0usize..12, 0usize..6, 1u32..4), 1..8)) {
        const CODES: &[&str] = &["22633", "22558", "22853", "22840", "63047", "63030", "20931", "20936", "61783", "22614", "69990", "95940"];
        const MODS: &[&str] = &["", "-62", "-80", "-50", "-AS", "-59"];
        let lines: Vec<String> = picks.iter().map(|(c, m, u)| format!("{}{}x{}", CODES[*c], MODS[*m], u)).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let c = run(2025, Some("05302-02"), Setting::Facility, NQ, &refs);
        let sum: Decimal = c.lines.iter().map(|l| l.allowed).sum();
        proptest::prop_assert_eq!(sum, c.total);
        for l in &c.lines {
            proptest::prop_assert!(l.allowed >= Decimal::ZERO);
            proptest::prop_assert_eq!(l.allowed, l.allowed.round_dp(2));
            let cap = l.fee_schedule.unwrap_or_default() * Decimal::from(l.line.units) * Decimal::TWO;
            proptest::prop_assert!(l.allowed <= cap, "{} allowed {} > {}", l.line, l.allowed, cap);
        }
    }
}
