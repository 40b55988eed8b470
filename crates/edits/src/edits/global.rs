//! Global surgery periods of the claim's history (Medicare Claims Processing Manual ch. 12 §40.1):
//! a 090 surgery covers the day before, the day of and 90 days after; 010 the day of and 10 days
//! after; 000 the day of only.

use interspace_claim::PriorService;
use interspace_refdata::GlobalPeriod;
use jiff::civil::Date;

use crate::Check;

/// The earlier surgery whose global period contains `date`, with the day count from it.
pub(super) fn covering<'a>(c: &Check<'a>, date: Date) -> Option<(&'a PriorService, GlobalPeriod, i32)> {
    c.claim.history.iter().find_map(|p| {
        let global = c.rvu(p.code)?.global;
        let days = i32::try_from(global.days()?).ok()?;
        let offset = (date - p.date).get_days();
        let before = if global == GlobalPeriod::Ninety { -1 } else { 0 };
        (offset >= before && offset <= days).then_some((p, global, offset))
    })
}

/// "day 19 of the 90-day global period of 22633 on 2025-03-14".
pub(super) fn describe(p: &PriorService, global: GlobalPeriod, offset: i32) -> String {
    let day = match offset {
        -1 => "the day before".to_string(),
        0 => "the day".to_string(),
        n => format!("day {n}"),
    };
    let length = global.days().unwrap_or(0);
    format!("{day} of the {length}-day global period of {} on {}", p.code, p.date)
}
