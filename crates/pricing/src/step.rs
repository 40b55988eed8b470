//! The pricing steps, in the order CMS applies them. Each cites the rule it implements; the
//! citations name sections of the PFS Relative Value File documentation (RVU25D/RVU26A, shipped
//! as `docs/cms-rvu25d-readme.txt`) and the Medicare Claims Processing Manual, chapter 12.

use interspace_refdata::{
    AssistantSurgery, BilateralSurgery, CoSurgery, Dataset, Locality, Modifier, MultipleProcedure, RvuRow, StatusCode,
};
use rust_decimal::Decimal;

use std::borrow::Cow;

use crate::{Adjustment, Description, FeeScheduleFormula, PricedLine, ServiceLine, Setting, cents};

/// The named steps of the calculation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    FeeSchedule,
    Status,
    Bilateral,
    MultipleProcedure,
    CoSurgery,
    Assistant,
    SplitCare,
    Note,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Step::FeeSchedule => "fee_schedule",
            Step::Status => "status",
            Step::Bilateral => "bilateral",
            Step::MultipleProcedure => "multiple_procedure",
            Step::CoSurgery => "co_surgery",
            Step::Assistant => "assistant",
            Step::SplitCare => "split_care",
            Step::Note => "note",
        }
    }
}

const FORMULA: &str =
    "PFS RVU file documentation: payment = [(work RVU × work GPCI) + (PE RVU × PE GPCI) + (MP RVU × MP GPCI)] × CF";
const STATUS: &str = "PFS RVU file documentation, Attachment A: only status A, R and T are paid";
const BILAT: &str = "PFS RVU file documentation: BILAT SURG indicator";
const MULT: &str = "PFS RVU file documentation: MULT PROC indicator; MCPM ch. 12 §40.6";
const CO_SURG: &str = "PFS RVU file documentation: CO-SURG indicator; MCPM ch. 12 §40.8 (62.5% each)";
const ASST: &str =
    "PFS RVU file documentation: ASST SURG indicator; MCPM ch. 12 §20.4.3 (16%; non-physician AS 85% of that)";
const SPLIT: &str = "PFS RVU file documentation: PRE/INTRA/POST OP shares; MCPM ch. 12 §40.4 (54/55/56, 78)";

fn has(line: &ServiceLine, m: &str) -> bool {
    line.has(m)
}

fn pct(n: i64) -> Decimal {
    Decimal::new(n, 2)
}

fn note(l: &mut PricedLine, step: Step, description: String, factor: Decimal, source: &'static str) {
    l.adjustments.push(Adjustment { step, description: Description::Text(description), factor, source });
}

fn row<'d>(data: &'d Dataset, line: &ServiceLine) -> Option<&'d RvuRow> {
    let component = line.modifiers.iter().find(|m| matches!(m.as_str(), "26" | "TC"));
    component.and_then(|m| data.pfs.get_component(line.code, *m)).or_else(|| data.pfs.get(line.code))
}

/// Step 1: the fee-schedule amount of one unit, rounded to cents.
pub(crate) fn fee_schedule_amount(
    data: &Dataset,
    line: &ServiceLine,
    locality: Option<&Locality>,
    setting: Setting,
    cf: Decimal,
) -> PricedLine {
    let mut l = PricedLine {
        line: line.clone(),
        fee_schedule: None,
        rvus: None,
        adjustments: Vec::new(),
        allowed: Decimal::ZERO,
        not_paid: None,
    };
    let Some(r) = row(data, line) else {
        l.not_paid =
            Some(format!("{} is not in the {} PFS Relative Value File ({})", line.code, data.year, data.pfs.release));
        return l;
    };
    let pe = match setting {
        Setting::Facility => r.pe_facility,
        Setting::NonFacility => r.pe_nonfacility,
    };
    let (gw, gpe, gmp) = locality.map_or((Decimal::ONE, Decimal::ONE, Decimal::ONE), |g| (g.work, g.pe, g.mp));
    let rvus = r.work * gw + pe * gpe + r.mp * gmp;
    let fee = cents(rvus * cf);
    l.rvus = Some(rvus);
    l.fee_schedule = Some(fee);
    let place = locality.map_or(Cow::Borrowed("national"), |g| Cow::Owned(format!("locality {} {}", g.id, g.name)));
    let formula = FeeScheduleFormula {
        place,
        setting,
        work: r.work,
        pe,
        mp: r.mp,
        work_gpci: gw,
        pe_gpci: gpe,
        mp_gpci: gmp,
        rvus,
        conversion_factor: cf,
        amount: fee,
    };
    l.adjustments.push(Adjustment {
        step: Step::FeeSchedule,
        description: Description::FeeSchedule(Box::new(formula)),
        factor: Decimal::ONE,
        source: FORMULA,
    });
    l
}

/// Step 2: codes Medicare does not pay under the fee schedule are priced at zero, with why.
pub(crate) fn status(data: &Dataset, l: &mut PricedLine) {
    let Some(r) = row(data, &l.line) else { return };
    if !r.status.is_payable() {
        l.not_paid = Some(format!("status {}: {}", r.status, r.status.meaning()));
        note(l, Step::Status, format!("status {} ({}): not paid", r.status, r.status.meaning()), Decimal::ZERO, STATUS);
    } else if r.not_used_for_medicare {
        l.not_paid = Some("the RVU file marks these RVUs as not used for Medicare payment".into());
    } else if r.status == StatusCode::Restricted {
        note(
            l,
            Step::Status,
            "status R: restricted coverage, paid only in special circumstances".into(),
            Decimal::ONE,
            STATUS,
        );
    }
}

/// Step 3: modifier 50 by the bilateral-surgery indicator; applied before the multiple-procedure
/// ranking, as the RVU file documentation requires.
pub(crate) fn bilateral(data: &Dataset, l: &mut PricedLine) {
    if l.not_paid.is_some() || !has(&l.line, "50") {
        return;
    }
    let Some(r) = row(data, &l.line) else { return };
    let (factor, text) = match r.bilateral {
        BilateralSurgery::Bilateral150 => (pct(150), "modifier 50, bilateral indicator 1: 150% of the single amount"),
        BilateralSurgery::EachSide100 => (pct(200), "modifier 50, bilateral indicator 3: 100% for each side"),
        BilateralSurgery::AlreadyBilateral => {
            (pct(100), "modifier 50, bilateral indicator 2: the RVUs already cover both sides, paid at 100%")
        }
        BilateralSurgery::NotBilateral => {
            (pct(100), "modifier 50, bilateral indicator 0: modifier 50 does not apply, paid at 100%")
        }
        BilateralSurgery::NotApplicable => {
            (pct(100), "modifier 50, bilateral indicator 9: concept does not apply, paid at 100%")
        }
    };
    note(l, Step::Bilateral, text.into(), factor, BILAT);
}

fn is_assistant(line: &ServiceLine) -> bool {
    line.modifiers.iter().any(|m| matches!(m.as_str(), "80" | "81" | "82" | "AS"))
}

fn bilateral_factor(l: &PricedLine) -> Decimal {
    l.adjustments.iter().filter(|a| a.step == Step::Bilateral).map(|a| a.factor).product()
}

/// Step 4: rank the procedures subject to the multiple-procedure rule by amount and pay 100% for
/// the highest and 50% for each other; add-ons (indicator 0) are exempt. The surgeon's lines and
/// an assistant's lines are ranked separately, as they are billed by different providers.
pub(crate) fn multiple_procedures(data: &Dataset, lines: &mut [PricedLine]) {
    for assistant in [false, true] {
        // (amount, line index) for every unit subject to the rule.
        let mut units: Vec<(Decimal, usize)> = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if l.not_paid.is_some() || is_assistant(&l.line) != assistant {
                continue;
            }
            let (Some(fee), Some(r)) = (l.fee_schedule, row(data, &l.line)) else { continue };
            if matches!(
                r.mult_proc,
                MultipleProcedure::StandardPre1995 | MultipleProcedure::Standard | MultipleProcedure::Endoscopic
            ) {
                for _ in 0..l.line.units.max(1) {
                    units.push((fee * bilateral_factor(l), i));
                }
            }
        }
        if units.len() < 2 {
            continue;
        }
        // Highest amount first; equal amounts keep claim order.
        units.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let count = units.len();
        let mut per_line: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
        for (rank, (_, i)) in units.iter().enumerate() {
            per_line[*i].push(rank + 1);
        }
        for (i, ranks) in per_line.into_iter().enumerate() {
            if ranks.is_empty() {
                continue;
            }
            let factors: Vec<Decimal> = ranks.iter().map(|&r| if r == 1 { pct(100) } else { pct(50) }).collect();
            let factor = factors.iter().copied().sum::<Decimal>() / Decimal::from(factors.len());
            let ranked = ranks.iter().map(|r| ordinal(*r)).collect::<Vec<_>>().join(", ");
            let shares =
                factors.iter().map(|f| format!("{}%", (f * pct(10000)).normalize())).collect::<Vec<_>>().join(" + ");
            let mut text = format!("ranked {ranked} of {count} procedures by amount: {shares}");
            if ranks.iter().any(|&r| r > 5) {
                text.push_str(" (beyond the fifth procedure the contractor prices by report; 50% shown)");
            }
            note(&mut lines[i], Step::MultipleProcedure, text, factor, MULT);
        }
        for l in lines.iter_mut() {
            if l.not_paid.is_none()
                && is_assistant(&l.line) == assistant
                && row(data, &l.line).is_some_and(|r| r.mult_proc == MultipleProcedure::None)
            {
                note(
                    l,
                    Step::MultipleProcedure,
                    "add-on or exempt code: no multiple-procedure reduction".into(),
                    Decimal::ONE,
                    MULT,
                );
            }
        }
    }
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Step 5: shares for co-surgeons, assistants and split care.
pub(crate) fn surgeon_role(data: &Dataset, l: &mut PricedLine) {
    if l.not_paid.is_some() {
        return;
    }
    let Some(r) = row(data, &l.line) else { return };
    let mods: Vec<Modifier> = l.line.modifiers.clone();
    for m in &mods {
        match m.as_str() {
            "62" => match r.co_surgery {
                CoSurgery::Permitted | CoSurgery::DocumentationRequired => {
                    let doc = if r.co_surgery == CoSurgery::DocumentationRequired {
                        " (indicator 1: documentation of medical necessity required)"
                    } else {
                        ""
                    };
                    note(
                        l,
                        Step::CoSurgery,
                        format!("modifier 62: each co-surgeon is paid 62.5%{doc}"),
                        Decimal::new(625, 3),
                        CO_SURG,
                    );
                }
                CoSurgery::NotPermitted | CoSurgery::NotApplicable => {
                    l.not_paid = Some(format!(
                        "modifier 62 is not paid: co-surgeon indicator {} ({})",
                        r.co_surgery,
                        r.co_surgery.meaning()
                    ));
                    note(
                        l,
                        Step::CoSurgery,
                        format!("modifier 62 with co-surgeon indicator {}: not paid", r.co_surgery),
                        Decimal::ZERO,
                        CO_SURG,
                    );
                }
            },
            "80" | "81" | "82" | "AS" => {
                let share = if m.as_str() == "AS" { Decimal::new(136, 3) } else { Decimal::new(16, 2) };
                let who = if m.as_str() == "AS" {
                    "non-physician assistant (AS): 85% of 16% = 13.6%"
                } else {
                    "assistant at surgery: 16%"
                };
                match r.assistant {
                    AssistantSurgery::Paid => note(l, Step::Assistant, format!("modifier {m}, {who}"), share, ASST),
                    AssistantSurgery::DocumentationRequired => note(
                        l,
                        Step::Assistant,
                        format!("modifier {m}, {who} (indicator 0: paid only with documentation of medical necessity)"),
                        share,
                        ASST,
                    ),
                    AssistantSurgery::NotPaid | AssistantSurgery::NotApplicable => {
                        l.not_paid = Some(format!(
                            "assistant at surgery is not paid: assistant indicator {} ({})",
                            r.assistant,
                            r.assistant.meaning()
                        ));
                        note(
                            l,
                            Step::Assistant,
                            format!("modifier {m} with assistant indicator {}: not paid", r.assistant),
                            Decimal::ZERO,
                            ASST,
                        );
                    }
                }
            }
            "78" => note(
                l,
                Step::SplitCare,
                format!("modifier 78: intra-operative share only ({})", r.intraop_share),
                r.intraop_share,
                SPLIT,
            ),
            "54" => note(
                l,
                Step::SplitCare,
                format!(
                    "modifier 54: surgical care only, pre- plus intra-operative shares ({} + {})",
                    r.preop_share, r.intraop_share
                ),
                r.preop_share + r.intraop_share,
                SPLIT,
            ),
            "55" => note(
                l,
                Step::SplitCare,
                format!("modifier 55: post-operative share only ({})", r.postop_share),
                r.postop_share,
                SPLIT,
            ),
            "56" => note(
                l,
                Step::SplitCare,
                format!("modifier 56: pre-operative share only ({})", r.preop_share),
                r.preop_share,
                SPLIT,
            ),
            "66" => {
                l.not_paid = Some("team surgery (66) is priced by report by the contractor".into());
            }
            "22" => note(
                l,
                Step::Note,
                "modifier 22: any increase is at the contractor's discretion; not added here".into(),
                Decimal::ONE,
                SPLIT,
            ),
            _ => {}
        }
    }
}

/// Step 6: the allowed amount: fee × units × every factor, rounded half-up to cents once.
pub(crate) fn allowed(fee: Decimal, l: &PricedLine) -> Decimal {
    let factor: Decimal = l.adjustments.iter().map(|a| a.factor).product();
    cents(fee * Decimal::from(l.line.units) * factor)
}
