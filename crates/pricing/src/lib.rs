/*!
Medicare physician fee schedule pricing in exact decimal money.

# Brief overview

[`price`] takes a [`PriceRequest`] (service lines, locality, setting, APM status) and one
year's [`Dataset`] and returns a [`PricedClaim`]: for each line the fee-schedule amount, every
adjustment applied with the CMS rule it implements, and the allowed amount; then the total.

The calculation is an ordered list of named steps, like CMS's own pricers:

1. `fee_schedule_amount`: RVUs × GPCIs × conversion factor, rounded to cents.
2. `status`: codes whose status is not A, R or T are priced at zero with the reason.
3. `bilateral`: modifier 50 by the bilateral-surgery indicator.
4. `multiple_procedures`: rank by amount, 100%/50%…, add-ons exempt.
5. `surgeon_role`: co-surgeon (62) and assistant (80/81/82/AS) shares, split care.
6. Rounding: each line's allowed amount is rounded half-up to cents once, at the end.

Money is [`rust_decimal::Decimal`]; there is no floating point anywhere.
*/

mod step;

use std::fmt;

use interspace_refdata::{ApmStatus, Dataset, Hcpcs, Locality, LocalityId, Modifier, TableKind};
use rust_decimal::{Decimal, RoundingStrategy};

pub use step::Step;

/// Where the service was performed, for the practice-expense RVU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Setting {
    /// Hospital (inpatient or outpatient), ASC, SNF or ER: facility PE RVUs.
    Facility,
    /// Office and other settings: non-facility PE RVUs.
    NonFacility,
}

impl Setting {
    pub fn name(self) -> &'static str {
        match self {
            Setting::Facility => "facility",
            Setting::NonFacility => "nonfacility",
        }
    }
}

/// One billed service: a code, its modifiers and units.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServiceLine {
    pub code: Hcpcs,
    pub modifiers: Vec<Modifier>,
    pub units: u32,
}

impl ServiceLine {
    pub fn new(code: Hcpcs) -> ServiceLine {
        ServiceLine { code, modifiers: Vec::new(), units: 1 }
    }

    pub fn has(&self, m: &str) -> bool {
        self.modifiers.iter().any(|x| x.as_str() == m)
    }
}

impl std::fmt::Display for ServiceLine {
    /// The `CODE[-MOD…][xUNITS]` form used on the command line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code)?;
        for m in &self.modifiers {
            write!(f, "-{m}")?;
        }
        if self.units != 1 {
            write!(f, "x{}", self.units)?;
        }
        Ok(())
    }
}

/// What to price.
#[derive(Clone, Debug)]
pub struct PriceRequest {
    pub lines: Vec<ServiceLine>,
    /// `None` prices nationally (all GPCIs 1.000).
    pub locality: Option<LocalityId>,
    pub setting: Setting,
    pub apm: ApmStatus,
}

/// One adjustment applied to a line, with the rule it implements.
#[derive(Clone, Debug, PartialEq)]
pub struct Adjustment {
    pub step: Step,
    /// What was done, in words (e.g. "ranked 2nd of 3 procedures: 50%").
    pub description: Description,
    /// The factor applied to the amount (1.5 for 150%); 1 for notes that change nothing.
    pub factor: Decimal,
    /// The CMS rule, e.g. "PFS RVU file documentation: MULT PROC indicator 2".
    pub source: &'static str,
}

/// What a step did, in words. Step 1's formula is kept as its figures and written out only
/// when shown: most readers of a priced line (the analyzer's report among them) skip it.
#[derive(Clone, Debug, PartialEq)]
pub enum Description {
    Text(String),
    FeeSchedule(Box<FeeScheduleFormula>),
}

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Description::Text(t) => f.write_str(t),
            Description::FeeSchedule(x) => x.fmt(f),
        }
    }
}

/// The figures of step 1: `(work × GPCI + PE × GPCI + MP × GPCI) = RVUs × CF = amount`.
#[derive(Clone, Debug, PartialEq)]
pub struct FeeScheduleFormula {
    /// `national`, or `locality <id> <name>`.
    pub place: std::borrow::Cow<'static, str>,
    pub setting: Setting,
    pub work: Decimal,
    pub pe: Decimal,
    pub mp: Decimal,
    pub work_gpci: Decimal,
    pub pe_gpci: Decimal,
    pub mp_gpci: Decimal,
    pub rvus: Decimal,
    pub conversion_factor: Decimal,
    pub amount: Decimal,
}

impl fmt::Display for FeeScheduleFormula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: ({} × {} + {} × {} + {} × {}) = {} RVUs × CF {} = {}",
            self.place,
            self.setting.name(),
            self.work,
            self.work_gpci,
            self.pe,
            self.pe_gpci,
            self.mp,
            self.mp_gpci,
            self.rvus.normalize(),
            self.conversion_factor,
            self.amount
        )
    }
}

/// A priced line.
#[derive(Clone, Debug, PartialEq)]
pub struct PricedLine {
    pub line: ServiceLine,
    /// Fee-schedule amount for one unit before adjustments, rounded to cents; `None` when the
    /// code is not in the RVU file.
    pub fee_schedule: Option<Decimal>,
    /// The RVU total used (after GPCIs), for explanation.
    pub rvus: Option<Decimal>,
    pub adjustments: Vec<Adjustment>,
    /// The amount Medicare allows for the line, rounded to cents.
    pub allowed: Decimal,
    /// Why the line pays nothing, when it does not.
    pub not_paid: Option<String>,
}

/// A priced set of lines.
#[derive(Clone, Debug, PartialEq)]
pub struct PricedClaim {
    pub year: i16,
    pub locality: Option<Locality>,
    pub setting: Setting,
    pub apm: ApmStatus,
    pub conversion_factor: Decimal,
    pub conversion_factor_source: String,
    pub lines: Vec<PricedLine>,
    pub total: Decimal,
    /// What the user should know about the figures (data versions, estimates).
    pub caveats: Vec<String>,
}

/// Why a request cannot be priced at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PriceError {
    UnknownLocality { id: LocalityId, suggestions: Vec<String> },
}

impl std::fmt::Display for PriceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PriceError::UnknownLocality { id, suggestions } => {
                write!(f, "unknown locality `{id}`")?;
                if !suggestions.is_empty() {
                    write!(f, "; did you mean {}?", suggestions.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PriceError {}

/// Zero written with cents (`0.00`), so every amount prints with two decimals.
pub const ZERO_CENTS: Decimal = Decimal::from_parts(0, 0, 0, false, 2);

/// Rounds half-up to cents, as CMS does (amounts are never negative).
pub fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Localities whose id or name is close to `query`, for "did you mean" messages.
pub fn nearest_localities(data: &Dataset, query: &str) -> Vec<String> {
    let q = query.to_ascii_uppercase();
    let mac = q.split('-').next().unwrap_or("");
    let mut out: Vec<String> = data
        .gpci
        .all()
        .iter()
        .filter(|l| l.id.mac == mac || l.name.contains(q.as_str()) || l.state == q)
        .map(|l| format!("{} ({})", l.id, l.name))
        .collect();
    out.truncate(6);
    out
}

/// Prices the lines of one provider's claim for one date of service.
pub fn price(data: &Dataset, req: &PriceRequest) -> Result<PricedClaim, PriceError> {
    let locality = match &req.locality {
        None => None,
        Some(id) => Some(data.gpci.get(id).cloned().ok_or_else(|| PriceError::UnknownLocality {
            id: id.clone(),
            suggestions: nearest_localities(data, &id.to_string()),
        })?),
    };
    let cf = data.conversion_factors.get(req.apm);
    let mut lines: Vec<PricedLine> = req
        .lines
        .iter()
        .map(|l| step::fee_schedule_amount(data, l, locality.as_ref(), req.setting, cf.value))
        .collect();
    for l in &mut lines {
        step::status(data, l);
        step::bilateral(data, l);
    }
    step::multiple_procedures(data, &mut lines);
    for l in &mut lines {
        step::surgeon_role(data, l);
        l.allowed = match (l.fee_schedule, &l.not_paid) {
            (Some(fee), None) => step::allowed(fee, l),
            _ => ZERO_CENTS,
        };
    }
    let total = lines.iter().map(|l| l.allowed).fold(ZERO_CENTS, |a, b| a + b);
    let mut caveats = data.caveats_for(&[TableKind::PfsRvu, TableKind::ConversionFactors, TableKind::Gpci]);
    if req.setting == Setting::NonFacility
        && lines.iter().any(|l| data.pfs.get(l.line.code).is_some_and(|r| r.nonfacility_na))
    {
        caveats.push("some codes are marked NA for the non-facility setting: CMS considers them rarely or never done outside a facility".into());
    }
    Ok(PricedClaim {
        year: data.year,
        locality,
        setting: req.setting,
        apm: req.apm,
        conversion_factor: cf.value,
        conversion_factor_source: cf.source.clone(),
        lines,
        total,
        caveats,
    })
}
