//! Code and term page views.

use interspace_knowledge::{ModifierIndicator, Source};
use interspace_pricing::{PriceRequest, ServiceLine, Setting};
use interspace_refdata::{
    ApmStatus, AssistantSurgery, BilateralSurgery, CoSurgery, Dataset, Hcpcs, LocalityId, MultipleProcedure, RvuRow,
};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::Reference;

/// Why a page cannot be built, with the choices that would work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageError {
    UnknownYear { year: i16, years: Vec<i16> },
    UnknownCode { code: String, suggestions: Vec<String> },
    UnknownLocality { locality: String, suggestions: Vec<String> },
    UnknownTerm { term: String, suggestions: Vec<String> },
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hint = |f: &mut std::fmt::Formatter<'_>, s: &[String]| {
            if s.is_empty() { Ok(()) } else { write!(f, "; did you mean {}?", s.join(", ")) }
        };
        match self {
            PageError::UnknownYear { year, years } => write!(
                f,
                "no data for year {year}; loaded years: {}",
                years.iter().map(i16::to_string).collect::<Vec<_>>().join(", ")
            ),
            PageError::UnknownCode { code, suggestions } => {
                write!(f, "{code} is not a code of the spine knowledge base")?;
                hint(f, suggestions)
            }
            PageError::UnknownLocality { locality, suggestions } => {
                write!(f, "unknown locality `{locality}`")?;
                hint(f, suggestions)
            }
            PageError::UnknownTerm { term, suggestions } => {
                write!(f, "no glossary term `{term}`")?;
                hint(f, suggestions)
            }
        }
    }
}

impl std::error::Error for PageError {}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct IndicatorView {
    pub name: &'static str,
    pub value: String,
    pub meaning: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ModifierView {
    pub modifier: String,
    pub label: String,
    pub applies: bool,
    /// Why it does or does not apply to this code, from the code's indicators.
    pub why: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MueView {
    pub units: u32,
    pub adjudication_indicator: u8,
    pub adjudication: &'static str,
    pub rationale: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DocumentationView {
    pub id: String,
    pub label: String,
    pub why: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DenialView {
    pub reason: String,
    pub edit: String,
    pub edit_name: String,
    pub severity: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FaqView {
    pub question: String,
    pub answer: String,
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RelatedView {
    pub code: String,
    pub name: Option<String>,
    pub note: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SourceView {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub kind: String,
    pub verified: String,
}

/// Payment in one locality.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LocalityPrice {
    pub locality: String,
    pub name: String,
    pub state: String,
    pub facility: Decimal,
    pub nonfacility: Decimal,
}

/// A hospital outpatient or ASC rate, national unadjusted.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FacilityRate {
    pub indicator: String,
    pub apc: Option<String>,
    pub payment_rate: Option<Decimal>,
    pub release: String,
}

/// Everything a coder reads about one code, for one year.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CodePage {
    pub code: String,
    pub year: i16,
    pub name: String,
    pub summary: String,
    pub family: &'static str,
    pub region: &'static str,
    pub approach: &'static str,
    pub unit: &'static str,
    pub add_on: bool,
    pub status: String,
    pub status_meaning: String,
    pub global_days: String,
    pub global_meaning: String,
    pub work_rvu: Decimal,
    pub pe_facility_rvu: Decimal,
    pub pe_nonfacility_rvu: Decimal,
    pub mp_rvu: Decimal,
    pub total_facility_rvu: Decimal,
    pub total_nonfacility_rvu: Decimal,
    /// CMS marks the code as rarely or never done outside a facility.
    pub nonfacility_na: bool,
    pub conversion_factor: Decimal,
    pub conversion_factor_source: String,
    pub apm: bool,
    pub national_facility: Decimal,
    pub national_nonfacility: Decimal,
    /// Why the national amounts are zero, when they are.
    pub payment_note: Option<String>,
    pub locality: Option<LocalityPrice>,
    pub opps: Option<FacilityRate>,
    pub asc: Option<FacilityRate>,
    /// Shown in place of OPPS/ASC amounts until those tables are imported.
    pub facility_payment_note: Option<String>,
    pub indicators: Vec<IndicatorView>,
    pub modifiers: Vec<ModifierView>,
    pub mue: Option<MueView>,
    pub add_on_primaries: Vec<String>,
    pub add_on_edit_type: Option<u8>,
    pub includes: Vec<String>,
    pub not_included: Vec<String>,
    pub documentation_elements: Vec<DocumentationView>,
    pub denial_reasons: Vec<DenialView>,
    pub faq: Vec<FaqView>,
    pub related: Vec<RelatedView>,
    pub sources: Vec<SourceView>,
    pub verified: String,
    /// Table versions behind the figures.
    pub data_versions: Vec<(String, String)>,
    pub caveats: Vec<String>,
}

/// A glossary entry with its links resolved.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TermPage {
    pub slug: String,
    pub term: String,
    pub expansion: Option<String>,
    pub aliases: Vec<String>,
    pub definition: String,
    pub why_it_matters: String,
    pub common_mistakes: Vec<String>,
    pub related_codes: Vec<RelatedView>,
    pub related_terms: Vec<(String, String)>,
    pub sources: Vec<SourceView>,
    pub verified: String,
}

fn source_view(s: &Source) -> SourceView {
    SourceView {
        id: s.id.clone(),
        title: s.title.clone(),
        url: s.url.clone(),
        kind: format!("{:?}", s.kind).to_ascii_lowercase(),
        verified: s.verified.to_string(),
    }
}

fn national(
    d: &Dataset,
    code: Hcpcs,
    setting: Setting,
    apm: ApmStatus,
    locality: Option<LocalityId>,
) -> (Decimal, Option<String>) {
    let req = PriceRequest { lines: vec![ServiceLine::new(code)], locality, setting, apm };
    match interspace_pricing::price(d, &req) {
        Ok(c) => (c.total, c.lines.first().and_then(|l| l.not_paid.clone())),
        Err(e) => (Decimal::ZERO, Some(e.to_string())),
    }
}

fn modifiers(r: &Reference, row: &RvuRow) -> Vec<ModifierView> {
    let surgical = row.global.days().is_some();
    r.knowledge
        .modifiers()
        .iter()
        .map(|m| {
            let code = m.code.as_str();
            let (applies, why) = match (m.indicator, code) {
                (Some(ModifierIndicator::CoSurgery), _) => match row.co_surgery {
                    CoSurgery::Permitted => (true, "co-surgeon indicator 2: permitted (two specialties)".to_string()),
                    CoSurgery::DocumentationRequired => {
                        (true, "co-surgeon indicator 1: permitted with documentation".into())
                    }
                    c => (false, format!("co-surgeon indicator {c}: {}", c.meaning())),
                },
                (Some(ModifierIndicator::Assistant), _) => match row.assistant {
                    AssistantSurgery::Paid => (true, "assistant indicator 2: payable".into()),
                    AssistantSurgery::DocumentationRequired => {
                        (true, "assistant indicator 0: payable with documentation of necessity".into())
                    }
                    a => (false, format!("assistant indicator {a}: {}", a.meaning())),
                },
                (Some(ModifierIndicator::Bilateral), _) => match row.bilateral {
                    BilateralSurgery::Bilateral150 | BilateralSurgery::EachSide100 => {
                        (true, format!("bilateral indicator {}: {}", row.bilateral, row.bilateral.meaning()))
                    }
                    b => (false, format!("bilateral indicator {b}: {}", b.meaning())),
                },
                (None, "51") => {
                    if row.mult_proc == MultipleProcedure::None {
                        (false, "multiple-procedure indicator 0: exempt (add-on or exempt code)".into())
                    } else {
                        (true, format!("multiple-procedure indicator {}: {}", row.mult_proc, row.mult_proc.meaning()))
                    }
                }
                (None, "58" | "78" | "79" | "54" | "55" | "56") => {
                    if surgical {
                        (true, format!("global period {}: the modifier describes care within it", row.global))
                    } else {
                        (false, format!("global period {}: no postoperative period of its own", row.global))
                    }
                }
                (None, "26" | "TC") => {
                    let split = row.pctc == interspace_refdata::PcTc::DiagnosticTest;
                    (split, format!("PC/TC indicator {}: {}", row.pctc, row.pctc.meaning()))
                }
                (None, "24" | "25" | "57") => {
                    (false, "applies to evaluation and management visits, not to this code".into())
                }
                _ => (true, m.meaning.clone()),
            };
            ModifierView { modifier: code.to_string(), label: m.label.clone(), applies, why }
        })
        .collect()
}

impl Reference {
    fn dataset(&self, year: Option<i16>) -> Result<&Dataset, PageError> {
        let y = year.unwrap_or_else(|| self.data.default_year());
        self.data
            .year(y)
            .map(|d| &**d)
            .ok_or_else(|| PageError::UnknownYear { year: y, years: self.data.years().collect() })
    }

    /// Codes of the knowledge base that look like `query` (same prefix or one digit off).
    pub fn nearest_codes(&self, query: &str) -> Vec<String> {
        let q = query.trim().to_ascii_uppercase();
        let mut scored: Vec<(usize, String)> = self
            .knowledge
            .codes()
            .map(|c| {
                let s = c.code.as_str();
                let same = s.bytes().zip(q.bytes()).take_while(|(a, b)| a == b).count();
                let diff = s.bytes().zip(q.bytes()).filter(|(a, b)| a != b).count() + s.len().abs_diff(q.len());
                (diff * 10 + (5 - same.min(5)), s.to_string())
            })
            .collect();
        scored.sort();
        scored.into_iter().take(5).map(|(_, s)| s).collect()
    }

    /// The page of one code for one year (the default year when `None`), priced nationally and,
    /// when asked, for a locality.
    pub fn code_page(
        &self,
        code: &str,
        year: Option<i16>,
        locality: Option<&str>,
        apm: bool,
    ) -> Result<CodePage, PageError> {
        let d = self.dataset(year)?;
        let unknown =
            || PageError::UnknownCode { code: code.trim().to_string(), suggestions: self.nearest_codes(code) };
        let hcpcs: Hcpcs = code.parse().map_err(|_| unknown())?;
        let k = self.knowledge.code(hcpcs).ok_or_else(unknown)?;
        let row = d.pfs.get(hcpcs).ok_or_else(unknown)?;
        let apm_status = if apm { ApmStatus::Qualifying } else { ApmStatus::NonQualifying };
        let cf = d.conversion_factors.get(apm_status);

        let locality = match locality {
            None => None,
            Some(l) => {
                let bad = || PageError::UnknownLocality {
                    locality: l.to_string(),
                    suggestions: interspace_pricing::nearest_localities(d, l),
                };
                let id: LocalityId = l.parse().map_err(|_| bad())?;
                let g = d.gpci.get(&id).ok_or_else(bad)?;
                Some(LocalityPrice {
                    locality: id.to_string(),
                    name: g.name.clone(),
                    state: g.state.clone(),
                    facility: national(d, hcpcs, Setting::Facility, apm_status, Some(id.clone())).0,
                    nonfacility: national(d, hcpcs, Setting::NonFacility, apm_status, Some(id)).0,
                })
            }
        };
        let (national_facility, payment_note) = national(d, hcpcs, Setting::Facility, apm_status, None);
        let (national_nonfacility, _) = national(d, hcpcs, Setting::NonFacility, apm_status, None);

        let opps = d.opps.as_ref().and_then(|t| {
            t.get(hcpcs).map(|o| FacilityRate {
                indicator: o.status_indicator.clone(),
                apc: o.apc.clone(),
                payment_rate: o.payment_rate,
                release: t.release.clone(),
            })
        });
        let asc = d.asc.as_ref().and_then(|t| {
            t.get(hcpcs).map(|a| FacilityRate {
                indicator: a.payment_indicator.clone(),
                apc: None,
                payment_rate: a.payment_rate,
                release: t.release.clone(),
            })
        });
        let facility_payment_note = match (&d.opps, &d.asc) {
            (None, None) => Some(
                "import OPPS/ASC data to see facility payment (interspace data import --opps … --asc …)".to_string(),
            ),
            (None, Some(_)) => Some("import OPPS data to see hospital outpatient payment".to_string()),
            (Some(_), None) => Some("import ASC data to see ambulatory surgical center payment".to_string()),
            _ => None,
        };

        let aoc = d.aoc.get(hcpcs);
        let mut sources: Vec<SourceView> =
            k.sources.iter().filter_map(|s| self.knowledge.source(s)).map(source_view).collect();
        for f in &k.faqs {
            for s in &f.sources {
                if !sources.iter().any(|v| &v.id == s)
                    && let Some(src) = self.knowledge.source(s)
                {
                    sources.push(source_view(src));
                }
            }
        }

        Ok(CodePage {
            code: hcpcs.to_string(),
            year: d.year,
            name: k.name.clone(),
            summary: k.summary.split_whitespace().collect::<Vec<_>>().join(" "),
            family: k.family.label(),
            region: k.region.label(),
            approach: k.approach.label(),
            unit: k.unit.label(),
            add_on: row.global.is_add_on() || aoc.is_some(),
            status: row.status.to_string(),
            status_meaning: row.status.meaning().to_string(),
            global_days: row.global.to_string(),
            global_meaning: row.global.meaning().to_string(),
            work_rvu: row.work,
            pe_facility_rvu: row.pe_facility,
            pe_nonfacility_rvu: row.pe_nonfacility,
            mp_rvu: row.mp,
            total_facility_rvu: row.total_facility,
            total_nonfacility_rvu: row.total_nonfacility,
            nonfacility_na: row.nonfacility_na,
            conversion_factor: cf.value,
            conversion_factor_source: cf.source.clone(),
            apm,
            national_facility,
            national_nonfacility,
            payment_note,
            locality,
            opps,
            asc,
            facility_payment_note,
            indicators: vec![
                IndicatorView {
                    name: "multiple procedure",
                    value: row.mult_proc.to_string(),
                    meaning: row.mult_proc.meaning().into(),
                },
                IndicatorView {
                    name: "bilateral surgery",
                    value: row.bilateral.to_string(),
                    meaning: row.bilateral.meaning().into(),
                },
                IndicatorView {
                    name: "assistant at surgery",
                    value: row.assistant.to_string(),
                    meaning: row.assistant.meaning().into(),
                },
                IndicatorView {
                    name: "co-surgeons",
                    value: row.co_surgery.to_string(),
                    meaning: row.co_surgery.meaning().into(),
                },
                IndicatorView { name: "team surgery", value: row.team.to_string(), meaning: row.team.meaning().into() },
                IndicatorView { name: "PC/TC", value: row.pctc.to_string(), meaning: row.pctc.meaning().into() },
            ],
            modifiers: modifiers(self, row),
            mue: d.mue.get(hcpcs).map(|m| MueView {
                units: m.units,
                adjudication_indicator: m.adjudication.code(),
                adjudication: m.adjudication.meaning(),
                rationale: m.rationale.clone(),
            }),
            add_on_primaries: aoc.map(|a| a.primaries.iter().map(ToString::to_string).collect()).unwrap_or_default(),
            add_on_edit_type: aoc.map(|a| a.kind.code()),
            includes: k.includes.clone(),
            not_included: k.not_included.clone(),
            documentation_elements: k
                .documentation
                .iter()
                .filter_map(|id| self.knowledge.element(id))
                .map(|e| DocumentationView { id: e.id.clone(), label: e.label.clone(), why: e.why.clone() })
                .collect(),
            denial_reasons: k
                .denials
                .iter()
                .map(|x| {
                    let e = self.knowledge.edit(&x.edit);
                    DenialView {
                        reason: x.reason.clone(),
                        edit: x.edit.clone(),
                        edit_name: e.map(|e| e.name.clone()).unwrap_or_default(),
                        severity: e.map(|e| format!("{:?}", e.severity).to_ascii_lowercase()).unwrap_or_default(),
                    }
                })
                .collect(),
            faq: k
                .faqs
                .iter()
                .map(|f| FaqView { question: f.question.clone(), answer: f.answer.clone(), sources: f.sources.clone() })
                .collect(),
            related: k
                .related
                .iter()
                .map(|x| RelatedView {
                    code: x.code.to_string(),
                    name: self.knowledge.code(x.code).map(|c| c.name.clone()),
                    note: x.note.clone(),
                })
                .collect(),
            sources,
            verified: k.verified.to_string(),
            data_versions: d.tables.iter().map(|t| (t.kind.name().to_string(), t.version.clone())).collect(),
            caveats: d.caveats(),
        })
    }

    /// A glossary entry by slug, term or alias (case-insensitive).
    pub fn term_page(&self, query: &str) -> Result<TermPage, PageError> {
        let q = query.trim().to_ascii_lowercase();
        let t = self
            .knowledge
            .term(&q)
            .or_else(|| {
                self.knowledge.terms().find(|t| {
                    t.term.eq_ignore_ascii_case(&q)
                        || t.aliases.iter().any(|a| a.eq_ignore_ascii_case(&q))
                        || t.expansion.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(&q))
                })
            })
            .ok_or_else(|| PageError::UnknownTerm {
                term: query.trim().to_string(),
                suggestions: self
                    .search(query, 5)
                    .into_iter()
                    .filter(|h| h.kind == crate::HitKind::Term)
                    .map(|h| h.id)
                    .collect(),
            })?;
        Ok(TermPage {
            slug: t.slug.clone(),
            term: t.term.clone(),
            expansion: t.expansion.clone(),
            aliases: t.aliases.clone(),
            definition: t.definition.split_whitespace().collect::<Vec<_>>().join(" "),
            why_it_matters: t.why_it_matters.split_whitespace().collect::<Vec<_>>().join(" "),
            common_mistakes: t.common_mistakes.clone(),
            related_codes: t
                .related_codes
                .iter()
                .map(|c| RelatedView {
                    code: c.to_string(),
                    name: self.knowledge.code(*c).map(|k| k.name.clone()),
                    note: String::new(),
                })
                .collect(),
            related_terms: t
                .related_terms
                .iter()
                .filter_map(|s| self.knowledge.term(s))
                .map(|r| (r.slug.clone(), r.term.clone()))
                .collect(),
            sources: t.sources.iter().filter_map(|s| self.knowledge.source(s)).map(source_view).collect(),
            verified: t.verified.to_string(),
        })
    }
}
