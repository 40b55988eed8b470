//! `interspace price`: Medicare physician fee schedule amounts for claim lines.

use std::fmt::Write;

use anyhow::Result;
use interspace_pricing::{PriceRequest, PricedClaim, Setting};
use interspace_refdata::{ApmStatus, LocalityId};
use interspace_reference::Reference;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::args::{PriceArgs, SettingArg};
use crate::line::parse_line;
use crate::output::{json, money, text};
use crate::{Outcome, UserError};

#[derive(Serialize)]
struct AdjustmentJson {
    step: &'static str,
    description: String,
    factor: Decimal,
    source: &'static str,
}

#[derive(Serialize)]
struct LineJson<'a> {
    code: String,
    modifiers: Vec<String>,
    units: u32,
    fee_schedule: Option<Decimal>,
    allowed: Decimal,
    not_paid: Option<&'a str>,
    adjustments: Vec<AdjustmentJson>,
}

#[derive(Serialize)]
pub(crate) struct ClaimJson<'a> {
    year: i16,
    locality: Option<String>,
    locality_name: Option<&'a str>,
    setting: &'static str,
    apm: bool,
    conversion_factor: Decimal,
    conversion_factor_source: &'a str,
    lines: Vec<LineJson<'a>>,
    total: Decimal,
    caveats: &'a [String],
}

pub(crate) fn to_json(c: &PricedClaim) -> ClaimJson<'_> {
    ClaimJson {
        year: c.year,
        locality: c.locality.as_ref().map(|l| l.id.to_string()),
        locality_name: c.locality.as_ref().map(|l| l.name.as_str()),
        setting: c.setting.name(),
        apm: c.apm == ApmStatus::Qualifying,
        conversion_factor: c.conversion_factor,
        conversion_factor_source: &c.conversion_factor_source,
        lines: c
            .lines
            .iter()
            .map(|l| LineJson {
                code: l.line.code.to_string(),
                modifiers: l.line.modifiers.iter().map(ToString::to_string).collect(),
                units: l.line.units,
                fee_schedule: l.fee_schedule,
                allowed: l.allowed,
                not_paid: l.not_paid.as_deref(),
                adjustments: l
                    .adjustments
                    .iter()
                    .map(|a| AdjustmentJson {
                        step: a.step.name(),
                        description: a.description.to_string(),
                        factor: a.factor,
                        source: a.source,
                    })
                    .collect(),
            })
            .collect(),
        total: c.total,
        caveats: &c.caveats,
    }
}

pub(crate) fn run(r: &Reference, args: &PriceArgs) -> Result<Outcome> {
    let year = args.pricing.year.unwrap_or_else(|| r.data.default_year());
    let Some(d) = r.data.year(year) else {
        return Err(crate::commands::code::page_error(interspace_reference::PageError::UnknownYear {
            year,
            years: r.data.years().collect(),
        }));
    };
    let mut lines = Vec::new();
    for t in &args.lines {
        let line = parse_line(t, &r.knowledge)?;
        if d.pfs.get(line.code).is_none() {
            let e = match r.knowledge.deleted(line.code) {
                Some(del) => UserError::new(format!("`{t}`: {} is a deleted code", line.code)).hint(format!(
                    "use {} instead: {}",
                    del.replaced_by.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                    del.note
                )),
                None => UserError::new(format!(
                    "`{t}`: {} is not in the {year} PFS Relative Value File ({})",
                    line.code, d.pfs.release
                ))
                .hint(format!("nearest codes: {}", r.nearest_codes(line.code.as_str()).join(", "))),
            };
            return Err(e.into());
        }
        lines.push(line);
    }
    let locality = match &args.pricing.locality {
        None => None,
        Some(l) => Some(
            l.parse::<LocalityId>()
                .map_err(|e| UserError::new(e).hint("e.g. 10112-00 (Alabama), 01112-18 (Los Angeles)"))?,
        ),
    };
    let req = PriceRequest {
        lines,
        locality,
        setting: match args.setting {
            SettingArg::Facility => Setting::Facility,
            SettingArg::Nonfacility => Setting::NonFacility,
        },
        apm: if args.pricing.apm { ApmStatus::Qualifying } else { ApmStatus::NonQualifying },
    };
    let mut claim = interspace_pricing::price(d, &req).map_err(|e| match e {
        interspace_pricing::PriceError::UnknownLocality { id, suggestions } => {
            let e = UserError::new(format!("unknown locality `{id}` in the {year} GPCI file"));
            if suggestions.is_empty() {
                e.hint("`interspace data list` shows the loaded GPCI table")
            } else {
                e.hint(format!("did you mean {}?", suggestions.join(", ")))
            }
        }
    })?;
    if args.pricing.apm && !d.conversion_factors.has_apm_split() {
        claim.caveats.push(format!("{year} has a single conversion factor: --apm changes nothing"));
    }
    if args.json {
        json(&to_json(&claim))?;
    } else {
        text(&render(&claim))?;
    }
    Ok(Outcome::Ok)
}

pub(crate) fn render(c: &PricedClaim) -> String {
    let mut o = String::new();
    let place = c.locality.as_ref().map_or_else(|| "national".to_string(), |l| format!("{} {}", l.id, l.name));
    let _ = writeln!(
        o,
        "Medicare physician fee schedule · {} · {} · {} · CF {}{}",
        c.year,
        place,
        c.setting.name(),
        c.conversion_factor,
        if c.apm == ApmStatus::Qualifying { " (qualifying APM)" } else { "" }
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "  {:<20} {:>14} {:>14}", "line", "fee schedule", "allowed");
    for l in &c.lines {
        let fee = l.fee_schedule.map_or_else(|| "-".to_string(), money);
        let _ = writeln!(o, "  {:<20} {:>14} {:>14}", l.line.to_string(), fee, money(l.allowed));
        let shown = |a: &&interspace_pricing::Adjustment| {
            a.step != interspace_pricing::Step::FeeSchedule && !(l.not_paid.is_some() && a.factor.is_zero())
        };
        for a in l.adjustments.iter().filter(shown) {
            let _ = writeln!(o, "      {}", a.description);
        }
        if let Some(n) = &l.not_paid {
            let _ = writeln!(o, "      not paid: {n}");
        }
    }
    let _ = writeln!(o, "  {:<20} {:>14} {:>14}", "total", "", money(c.total));
    if !c.caveats.is_empty() {
        let _ = writeln!(o);
        for cav in &c.caveats {
            o.push_str(&crate::output::item(cav, 2, 96));
        }
    }
    o
}
