//! Medicare payment: the physician fee schedule amount through `interspace_pricing`, nationally
//! or for a locality named in the question, and the facility side (ASC, OPPS) when its table is
//! loaded — said plainly when it is not.

use interspace_pricing::{PriceRequest, ServiceLine, Setting};
use interspace_refdata::{ApmStatus, Dataset, Hcpcs, Locality, Modifier};

use crate::cite::Citation;
use crate::draft::Draft;
use crate::question::FacilityKind;
use crate::text::{has_phrase, list, money, normalize};
use crate::{AnswerKind, Confidence, Ctx};

/// Payers whose rates the data does not hold.
const OTHER_PAYERS: &[&str] = &[
    "aetna",
    "cigna",
    "humana",
    "unitedhealthcare",
    "united healthcare",
    "uhc",
    "anthem",
    "blue cross",
    "bcbs",
    "kaiser",
    "medicaid",
    "tricare",
    "commercial",
    "private insurance",
    "workers comp",
    "workers compensation",
];

/// Where the question asks the price for.
enum Place<'d> {
    National,
    One(&'d Locality),
    /// Several localities match (a state with more than one).
    Many(String, Vec<&'d Locality>),
}

/// Locality names split into the parts a person would say ("los angeles", "kansas city").
fn name_parts(name: &str) -> Vec<String> {
    let n = normalize(&name.replace(['*'], ""));
    let mut out = vec![n.clone()];
    for part in n.split(['(', ')', '/', '-', ',']) {
        let p = part.trim();
        if p.len() >= 4 {
            out.push(p.to_string());
            if let Some(rest) = p.strip_prefix("metropolitan ") {
                out.push(rest.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn place<'d>(ctx: &Ctx<'_>, d: &'d Dataset) -> Place<'d> {
    let q = ctx.q;
    for id in &q.locality_ids {
        if let Ok(id) = id.parse()
            && let Some(l) = d.gpci.get(&id)
        {
            return Place::One(l);
        }
    }
    // The longest place name the question contains decides; a state name covers all its
    // localities.
    let mut best: (usize, String, Vec<&'d Locality>) = (0, String::new(), Vec::new());
    let mut consider = |len: usize, label: String, ls: Vec<&'d Locality>| {
        if len > best.0 {
            best = (len, label, ls);
        } else if len == best.0 && len > 0 {
            for l in ls {
                if !best.2.iter().any(|x| x.id == l.id) {
                    best.2.push(l);
                }
            }
        }
    };
    for l in d.gpci.all() {
        for p in name_parts(&l.name) {
            if has_phrase(&q.norm, &p) {
                consider(p.len(), p.clone(), vec![l]);
            }
        }
    }
    let mut states: Vec<(&str, &str)> =
        d.gpci.all().iter().map(|l| (l.state_name.as_str(), l.state.as_str())).filter(|(n, _)| !n.is_empty()).collect();
    states.sort();
    states.dedup();
    let raw_words: Vec<&str> = q.raw.split(|c: char| !c.is_alphanumeric()).collect();
    for (state_name, abbr) in states {
        let n = normalize(state_name);
        let by_name = has_phrase(&q.norm, &n);
        let by_abbr = raw_words.windows(2).any(|w| w[0].eq_ignore_ascii_case("in") && w[1] == abbr);
        if by_name || by_abbr {
            let ls: Vec<&Locality> = d.gpci.all().iter().filter(|l| l.state == abbr).collect();
            consider(if by_name { n.len() } else { 2 }, state_name.to_string(), ls);
        }
    }
    match best.2.len() {
        0 => Place::National,
        1 => Place::One(best.2[0]),
        _ => Place::Many(best.1, best.2),
    }
}

fn label(l: &Locality) -> String {
    format!("{} ({}, {})", title(l.name.trim_end_matches('*')), l.state, l.id)
}

fn lines(ctx: &Ctx<'_>, codes: &[Hcpcs]) -> Vec<ServiceLine> {
    codes
        .iter()
        .map(|c| {
            let written = ctx.q.codes.iter().find(|x| x.code == *c);
            ServiceLine {
                code: *c,
                modifiers: written
                    .map(|w| w.modifiers.iter().filter_map(|m| Modifier::parse(m).ok()).collect())
                    .unwrap_or_default(),
                units: written.map_or(1, |w| w.units.max(1)),
            }
        })
        .collect()
}

/// Prices codes (or the primaries of a technique).
pub(crate) fn answer(ctx: &Ctx<'_>, codes: &[Hcpcs]) -> Draft {
    if codes.is_empty() {
        return Draft::not_in_data(
            "The knowledge base cannot tell which code to price from this: name the code, or the technique and the levels.",
            Confidence::Medium,
        );
    }
    let d = match ctx.figures() {
        Ok(d) => d,
        Err(nd) => return nd,
    };
    let q = ctx.q;
    let payer = OTHER_PAYERS.iter().find(|p| q.has(p));
    let facility = q.facility_rate();
    let place = place(ctx, d);
    let mut draft = match (payer, facility) {
        (Some(p), _) => Draft::not_in_data(
            format!(
                "The data holds Medicare's fee schedule only, so {} rates for {} are not in the data; contracted rates come from the payer's fee schedule or contract.",
                title(p),
                list(&codes.iter().map(|c| c.to_string()).collect::<Vec<_>>())
            ),
            Confidence::High,
        ),
        (None, Some(kind)) => facility_rate(ctx, d, codes[0], kind),
        (None, None) => Draft::new(AnswerKind::Price, Confidence::High),
    };
    let apm = if q.has_any(&["qualifying apm", "apm"]) { ApmStatus::Qualifying } else { ApmStatus::NonQualifying };
    let locality = match &place {
        Place::One(l) => Some(*l),
        _ => None,
    };
    if let Place::Many(what, ls) = &place {
        let mut shown: Vec<String> = ls.iter().take(12).map(|l| label(l)).collect();
        if ls.len() > shown.len() {
            shown.push(format!("{} more", ls.len() - shown.len()));
        }
        draft.lead(
            format!(
                "{} has {} Medicare payment localities, so name one (or its id) to price there: {}.",
                title(what),
                ls.len(),
                list(&shown)
            ),
            Vec::new(),
        );
        draft.confidence = Confidence::Medium;
    }
    let settings: Vec<Setting> = if q.has_any(&["non-facility", "nonfacility", "non facility", "office", "in-office"]) {
        vec![Setting::NonFacility]
    } else if q.has_any(&["facility", "hospital", "inpatient"]) || facility.is_some() || codes.len() > 1 {
        vec![Setting::Facility]
    } else {
        vec![Setting::Facility, Setting::NonFacility]
    };
    let where_ = match locality {
        Some(l) => format!("in {}", label(l)),
        None => "nationally (GPCIs of 1.000)".to_string(),
    };
    let service_lines = lines(ctx, codes);
    let mut priced = Vec::new();
    for s in &settings {
        let req =
            PriceRequest { lines: service_lines.clone(), locality: locality.map(|l| l.id.clone()), setting: *s, apm };
        match interspace_pricing::price(d, &req) {
            Ok(p) => priced.push(p),
            Err(e) => {
                return Draft::not_in_data(format!("The price cannot be computed: {e}."), Confidence::High);
            }
        }
    }
    let Some(first) = priced.first() else {
        return Draft::not_in_data("The price cannot be computed from the loaded data.", Confidence::High);
    };
    let fee_head =
        if draft.kind == AnswerKind::NotInData { "What the data does hold is the physician fee: " } else { "" };
    let (the, billed) = if fee_head.is_empty() { ("The", "Billed") } else { ("the", "billed") };
    let mut cites: Vec<Citation> = codes.iter().filter_map(|c| d.pfs.get(*c)).map(|r| Citation::rvu(d, r)).collect();
    if let Some(l) = locality {
        cites.push(Citation::gpci(d, l));
    }
    let rank = if draft.kind == AnswerKind::NotInData { crate::draft::Rank::Fact } else { crate::draft::Rank::Lead };
    if service_lines.len() == 1 {
        let code = codes[0];
        let line = &first.lines[0];
        if let Some(why) = &line.not_paid {
            draft.push(
                rank,
                format!(
                    "{fee_head}Medicare pays nothing for {code} under the {} physician fee schedule: {why}.",
                    d.year
                ),
                cites.clone(),
            );
        } else {
            let na = d.pfs.get(code).is_some_and(|r| r.nonfacility_na);
            let amounts: Vec<String> = priced
                .iter()
                .filter(|p| !(na && p.setting == Setting::NonFacility && settings.len() > 1))
                .map(|p| format!("{} in a {} setting", money(p.lines[0].allowed), setting_word(p.setting)))
                .collect();
            draft.push(
                rank,
                format!(
                    "{fee_head}{the} {} Medicare physician fee schedule amount for {code}{} {where_} is {}.",
                    d.year,
                    modifiers_note(&service_lines[0]),
                    list(&amounts)
                ),
                cites.clone(),
            );
            if na && settings.len() > 1 {
                draft.fact(
                    format!("CMS marks {code} NA outside a facility: it is rarely or never done in an office."),
                    Vec::new(),
                );
            }
            if let Some(r) = d.pfs.get(code) {
                let total = if settings[0] == Setting::Facility { r.total_facility } else { r.total_nonfacility };
                draft.fact(
                    format!(
                        "That is {total} total {} RVUs{} × the {} conversion factor {} ({}), rounded to cents{}.",
                        setting_word(settings[0]),
                        locality
                            .map(|l| format!(
                                " adjusted by the locality's GPCIs (work {}, PE {}, MP {})",
                                l.work, l.pe, l.mp
                            ))
                            .unwrap_or_default(),
                        d.year,
                        first.conversion_factor,
                        d.pfs.release,
                        if r.global.is_add_on() {
                            "; as an add-on it is exempt from the multiple-procedure reduction"
                        } else {
                            ""
                        }
                    ),
                    Vec::new(),
                );
            }
        }
    } else {
        for p in &priced {
            let parts: Vec<String> = p.lines.iter().map(|l| format!("{} {}", l.line, money(l.allowed))).collect();
            draft.push(
                rank,
                format!(
                    "{fee_head}{billed} together {where_} in a {} setting ({} fee schedule), Medicare allows {}: {} in all, after the multiple-procedure ranking (100% for the highest, 50% for the others; add-ons exempt).",
                    setting_word(p.setting),
                    d.year,
                    list(&parts),
                    money(p.total)
                ),
                cites.clone(),
            );
        }
    }
    for c in first.caveats.iter().take(1) {
        draft.extra(crate::text::sentence(&crate::text::capital(c)), Vec::new());
    }
    for c in codes {
        if let Some(e) = ctx.k.code(*c) {
            draft.cite(Citation::code_page(e));
        }
    }
    draft
}

/// Questions about the inputs of the price rather than a code's price: the conversion factor,
/// a locality's GPCIs.
pub(crate) fn payment_inputs(ctx: &Ctx<'_>) -> Option<Draft> {
    let q = ctx.q;
    let cf = q.has_any(&["conversion factor", "conversion factors"]);
    let gpci = q.has_any(&["gpci", "gpcis", "geographic practice cost index", "geographic practice cost indices"]);
    if !cf && !gpci {
        return None;
    }
    let d = match ctx.figures() {
        Ok(d) => d,
        Err(nd) => return Some(nd),
    };
    let mut draft = Draft::new(AnswerKind::Price, Confidence::High);
    if cf {
        let all = d.conversion_factors.all();
        let parts: Vec<String> = all
            .iter()
            .map(|c| {
                let who = match c.apm {
                    None => "for every clinician".to_string(),
                    Some(ApmStatus::Qualifying) => "for qualifying APM participants".to_string(),
                    Some(ApmStatus::NonQualifying) => {
                        "for clinicians who are not qualifying APM participants".to_string()
                    }
                };
                format!("{} {who} ({})", c.value, c.source)
            })
            .collect();
        draft.lead(
            format!("The {} Medicare physician fee schedule conversion factor is {}.", d.year, list(&parts)),
            Vec::new(),
        );
        if all.iter().any(|c| !c.verified_from_cms_file) {
            draft.extra(
                "That figure was taken from the final rule as published, not read from a CMS RVU file.",
                Vec::new(),
            );
        }
        if let Some(t) = ctx.k.term("rvu") {
            draft.cite(Citation::term(t));
        }
    }
    let named = place(ctx, d);
    if gpci && !cf && matches!(named, Place::National) && q.wants_definition() {
        // "What is a GPCI?" is the glossary's to answer.
        return None;
    }
    if gpci {
        match named {
            Place::One(l) => draft.lead(
                format!(
                    "The {} GPCIs of {} are work {}, practice expense {} and malpractice {}.",
                    d.year,
                    label(l),
                    l.work,
                    l.pe,
                    l.mp
                ),
                vec![Citation::gpci(d, l)],
            ),
            Place::Many(what, ls) => {
                let parts: Vec<String> =
                    ls.iter().take(12).map(|l| format!("{} work {}, PE {}, MP {}", label(l), l.work, l.pe, l.mp)).collect();
                draft.lead(
                    format!("{} has {} localities: {}.", title(&what), ls.len(), list(&parts)),
                    ls.iter().take(12).map(|l| Citation::gpci(d, l)).collect(),
                );
            }
            Place::National => draft.lead(
                format!(
                    "Name a locality or state to see its GPCIs: the {} GPCI table has {} localities, and national pricing uses 1.000 for all three.",
                    d.year,
                    d.gpci.all().len()
                ),
                Vec::new(),
            ),
        }
        if let Some(t) = ctx.k.term("gpci") {
            draft.cite(Citation::term(t));
        }
    }
    Some(draft)
}

fn setting_word(s: Setting) -> &'static str {
    match s {
        Setting::Facility => "facility",
        Setting::NonFacility => "non-facility",
    }
}

fn modifiers_note(l: &ServiceLine) -> String {
    let mut s = String::new();
    if !l.modifiers.is_empty() {
        s.push_str(&format!(
            " with modifier {}",
            list(&l.modifiers.iter().map(|m| m.as_str().to_string()).collect::<Vec<_>>())
        ));
    }
    if l.units > 1 {
        s.push_str(&format!(" × {} units", l.units));
    }
    s
}

/// "LOS ANGELES-LONG BEACH (ORANGE CNTY)" → "Los Angeles-Long Beach (Orange Cnty)".
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase())
        } else {
            out.extend(c.to_lowercase())
        }
        start = !c.is_alphanumeric() && c != '\'';
    }
    out
}

/// The ASC or OPPS rate of a code when its table is loaded; otherwise an honest "not in the data".
fn facility_rate(ctx: &Ctx<'_>, d: &Dataset, code: Hcpcs, kind: FacilityKind) -> Draft {
    let term = ctx.k.term(match kind {
        FacilityKind::Asc => "asc",
        FacilityKind::Opps => "apc",
    });
    let term_cite: Vec<Citation> = term.map(Citation::term).into_iter().collect();
    let (what, flag, file, rate) = match kind {
        FacilityKind::Asc => (
            "ASC",
            "--asc",
            "ASC Addendum AA",
            d.asc
                .as_ref()
                .map(|t| (t.release.clone(), t.get(code).map(|a| (a.payment_indicator.clone(), a.payment_rate)))),
        ),
        FacilityKind::Opps => (
            "hospital outpatient (OPPS)",
            "--opps",
            "OPPS Addendum B",
            d.opps
                .as_ref()
                .map(|t| (t.release.clone(), t.get(code).map(|o| (o.status_indicator.clone(), o.payment_rate)))),
        ),
    };
    match rate {
        None => Draft::not_in_data(
            format!(
                "The {what} rate for {code} is not in the loaded data: no {file} table is imported for {}. Import it with `interspace data import --year {} {flag} <{file} file>` and point --data (or INTERSPACE_DATA) at the folder to see it.",
                d.year, d.year
            ),
            Confidence::High,
        )
        .with_cites(term_cite),
        Some((release, None)) => Draft::not_in_data(
            format!("The imported {file} ({release}) has no row for {code}, so its {what} rate is not in the data."),
            Confidence::High,
        )
        .with_cites(term_cite),
        Some((release, Some((indicator, amount)))) => {
            let mut dr = Draft::new(AnswerKind::Price, Confidence::High);
            dr.lead(
                format!(
                    "The national unadjusted {what} payment for {code} in {file} ({release}) is {}, with indicator {indicator}.",
                    amount.map_or_else(|| "not set (no payment rate)".to_string(), money)
                ),
                term_cite,
            );
            dr
        }
    }
}

impl Draft {
    fn with_cites(mut self, cites: Vec<Citation>) -> Draft {
        for c in cites {
            self.cite(c);
        }
        self
    }
}
