/*!
The Interspace engine: one call from note text to a coding report.

# Brief overview

[`Engine`] holds the read-only inputs (CMS data and knowledge base) and runs the pipeline:
[`interspace_notes`] (text → findings), [`interspace_coding`] (findings → CPT lines, PCS codes,
documentation gaps), [`interspace_pricing`] (lines → Medicare amounts). The result is a
[`report::Report`]: the stable, documented JSON the CLI prints and the server returns. Engine types
stay free to change; the report is the contract.

The engine is stateless and `Sync`: one instance serves every request of a server.
*/

pub mod necessity;
pub mod report;
pub mod scribe;

use std::sync::Arc;

use interspace_knowledge::Knowledge;
use interspace_pricing::{PriceRequest, ServiceLine, Setting};
use interspace_refdata::{ApmStatus, LocalityId, RefData};
use interspace_reference::Reference;

pub use report::Report;

/// How to price a report.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Year of service; the data's default year when `None`.
    pub year: Option<i16>,
    pub locality: Option<LocalityId>,
    pub nonfacility: bool,
    pub apm: bool,
}

/// Why a note could not be analyzed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    UnknownYear { year: i16, years: Vec<i16> },
    UnknownLocality { locality: String, suggestions: Vec<String> },
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::UnknownYear { year, years } => write!(
                f,
                "no data for year {year}; loaded years: {}",
                years.iter().map(i16::to_string).collect::<Vec<_>>().join(", ")
            ),
            EngineError::UnknownLocality { locality, suggestions } => {
                write!(f, "unknown locality `{locality}`")?;
                if !suggestions.is_empty() {
                    write!(f, "; did you mean {}?", suggestions.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for EngineError {}

/// The read-only inputs and the pipeline over them.
#[derive(Clone)]
pub struct Engine {
    pub reference: Reference,
}

impl Engine {
    pub fn new(data: Arc<RefData>, knowledge: Arc<Knowledge>) -> Engine {
        Engine { reference: Reference::new(data, knowledge) }
    }

    pub fn data(&self) -> &RefData {
        &self.reference.data
    }

    pub fn knowledge(&self) -> &Knowledge {
        &self.reference.knowledge
    }

    /// The LCD L37848 medical-necessity packet of a note: the analysis's proposed codes, the
    /// given diagnoses and those written in the note, checked against the policy.
    pub fn necessity(
        &self,
        text: &str,
        diagnoses: &[String],
        options: &Options,
    ) -> Result<necessity::NecessityPacket, EngineError> {
        let report = self.analyze(text, options)?;
        let data = self
            .data()
            .year(report.year)
            .ok_or_else(|| EngineError::UnknownYear { year: report.year, years: self.data().years().collect() })?;
        let codes: Vec<String> = report.lines.iter().map(|l| l.code.clone()).collect();
        Ok(necessity::packet(text, &codes, diagnoses, data, self.knowledge()))
    }

    /// Checks a draft note before signing: the documentation elements its codes need that it
    /// lacks, and statements that contradict each other.
    pub fn check_note(&self, text: &str, options: &Options) -> Result<scribe::NoteCheck, EngineError> {
        let doc = interspace_notes::Document::parse(text, interspace_notes::Lexicon::embedded());
        let findings = interspace_notes::findings::build(&doc);
        let report = self.report(&doc, &findings, options)?;
        Ok(scribe::check(&doc, &findings, report))
    }

    /// Analyzes one note: findings, proposed codes, PCS, gaps and price.
    pub fn analyze(&self, text: &str, options: &Options) -> Result<Report, EngineError> {
        let doc = interspace_notes::Document::parse(text, interspace_notes::Lexicon::embedded());
        let findings = interspace_notes::findings::build(&doc);
        self.report(&doc, &findings, options)
    }

    fn report(
        &self,
        doc: &interspace_notes::Document<'_>,
        findings: &interspace_notes::findings::Findings,
        options: &Options,
    ) -> Result<Report, EngineError> {
        let year = options.year.unwrap_or_else(|| self.data().default_year());
        let data = self
            .data()
            .year(year)
            .ok_or_else(|| EngineError::UnknownYear { year, years: self.data().years().collect() })?;
        let proposal = interspace_coding::code(findings, data, self.knowledge());
        let request = PriceRequest {
            lines: proposal
                .lines
                .iter()
                .map(|l| ServiceLine { code: l.code, modifiers: l.modifiers.clone(), units: l.units })
                .collect(),
            locality: options.locality.clone(),
            setting: if options.nonfacility { Setting::NonFacility } else { Setting::Facility },
            apm: if options.apm { ApmStatus::Qualifying } else { ApmStatus::NonQualifying },
        };
        let priced = interspace_pricing::price(data, &request).map_err(|e| match e {
            interspace_pricing::PriceError::UnknownLocality { id, suggestions } => {
                EngineError::UnknownLocality { locality: id.to_string(), suggestions }
            }
        })?;
        Ok(report::build(doc, findings, proposal, priced, self.knowledge()))
    }
}
