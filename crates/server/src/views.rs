//! View models shared by pages: money as text, the note cut into evidence segments, the
//! payment chart, a scrub result.

use std::fmt::Write;

use interspace_edits::{Effect, Scrub};
use interspace_engine::Report;
use interspace_knowledge::Severity;
use rust_decimal::Decimal;

/// `1781` → `$1,781.00`.
pub(crate) fn money(d: Decimal) -> String {
    let s = format!("{:.2}", d.round_dp(2));
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}${grouped}.{frac}")
}

/// A run of note text and the proposed lines (indexes, space-separated) whose evidence covers it.
pub(crate) struct Segment {
    pub text: String,
    pub lines: String,
}

pub(crate) struct LineRow {
    pub token: String,
    pub name: Option<String>,
    pub rationale: String,
    pub rule: String,
    pub confidence: String,
    pub allowed: String,
}

pub(crate) struct GapRow {
    pub label: String,
    pub template: String,
    pub codes: Vec<String>,
}

pub(crate) struct PcsRow {
    pub code: String,
    pub title: String,
    pub rationale: String,
    pub verify: bool,
}

/// A report laid out for the page.
pub(crate) struct ReportView {
    pub lines: Vec<LineRow>,
    pub total: String,
    pub price_note: String,
    pub gaps: Vec<GapRow>,
    pub pcs: Vec<PcsRow>,
    pub notes: Vec<String>,
    pub segments: Vec<Segment>,
}

impl ReportView {
    pub(crate) fn new(note: &str, r: &Report) -> ReportView {
        ReportView::from_json(note, &serde_json::to_value(r).unwrap_or_default())
    }

    /// From the report's JSON, as the work queue stores it.
    pub(crate) fn from_json(note: &str, r: &serde_json::Value) -> ReportView {
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let list = |v: &serde_json::Value| v.as_array().cloned().unwrap_or_default();
        let dec = |v: &serde_json::Value| v.as_str().and_then(|s| s.parse::<Decimal>().ok()).unwrap_or_default();
        let price = &r["price"];
        let allowed: Vec<String> = list(&price["lines"]).iter().map(|l| money(dec(&l["allowed"]))).collect();
        let lines = list(&r["lines"]);
        ReportView {
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, l)| LineRow {
                    token: text(&l["token"]),
                    name: l["name"].as_str().map(String::from),
                    rationale: text(&l["rationale"]),
                    rule: text(&l["rule"]),
                    confidence: text(&l["confidence"]),
                    allowed: allowed.get(i).cloned().unwrap_or_default(),
                })
                .collect(),
            total: money(dec(&price["total"])),
            price_note: format!(
                "Medicare physician fee schedule {}, {}, {}",
                price["year"],
                price["locality"].as_str().unwrap_or("national"),
                text(&price["setting"])
            ),
            gaps: list(&r["gaps"])
                .iter()
                .map(|g| GapRow {
                    label: text(&g["label"]),
                    template: text(&g["template"]),
                    codes: list(&g["codes"]).iter().map(text).collect(),
                })
                .collect(),
            pcs: list(&r["pcs"])
                .iter()
                .map(|p| PcsRow {
                    code: text(&p["code"]),
                    title: text(&p["title"]),
                    rationale: text(&p["rationale"]),
                    verify: p["verify"].as_bool().unwrap_or(false),
                })
                .collect(),
            notes: list(&r["notes"]).iter().map(|n| text(&n["message"])).collect(),
            segments: segments(
                note,
                &lines
                    .iter()
                    .map(|l| {
                        list(&l["evidence"])
                            .iter()
                            .filter_map(|e| Some((e["start"].as_u64()? as usize, e["end"].as_u64()? as usize)))
                            .collect()
                    })
                    .collect::<Vec<Vec<(usize, usize)>>>(),
            ),
        }
    }
}

/// Cuts the note at every evidence boundary so each piece knows which lines point at it.
fn segments(note: &str, evidence: &[Vec<(usize, usize)>]) -> Vec<Segment> {
    let mut cuts = vec![0, note.len()];
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    for (i, line) in evidence.iter().enumerate() {
        for &(start, end) in line {
            if start < end && end <= note.len() && note.is_char_boundary(start) && note.is_char_boundary(end) {
                spans.push((start, end, i));
                cuts.push(start);
                cuts.push(end);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let mut lines: Vec<usize> =
                spans.iter().filter(|(s, e, _)| *s <= w[0] && w[1] <= *e).map(|x| x.2).collect();
            lines.sort_unstable();
            lines.dedup();
            Segment {
                text: note[w[0]..w[1]].to_string(),
                lines: lines.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
            }
        })
        .collect()
}

/// Horizontal bars of payment by site of service, as inline SVG (no script, no outside asset).
pub(crate) fn payment_chart(bars: &[(&str, Option<Decimal>)]) -> String {
    let max = bars.iter().filter_map(|b| b.1).max().unwrap_or(Decimal::ONE).max(Decimal::ONE);
    let row = 28;
    let mut svg = format!(
        r#"<svg class="bars" role="img" aria-label="Payment by site of service" width="560" height="{}" viewBox="0 0 560 {}">"#,
        bars.len() * row + 4,
        bars.len() * row + 4
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = i * row + 4;
        let _ = write!(svg, r#"<text x="0" y="{}">{}</text>"#, y + 15, escape(label));
        match value {
            Some(v) => {
                let width = (*v * Decimal::from(300) / max).round().to_string();
                let _ = write!(
                    svg,
                    r##"<rect x="180" y="{y}" width="{width}" height="20" fill="#1f5fa8"></rect><text x="{}" y="{}">{}</text>"##,
                    190 + width.parse::<u32>().unwrap_or(0),
                    y + 15,
                    money(*v)
                );
            }
            None => {
                let _ = write!(svg, r##"<text x="180" y="{}" fill="#5b6575">not in the loaded data</text>"##, y + 15);
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

pub(crate) struct HitRow {
    pub severity: String,
    pub edit: String,
    pub subject: String,
    pub message: String,
    pub fix: String,
    pub sources: String,
}

/// A scrubbed claim laid out for the page.
pub(crate) struct ScrubView {
    pub claim_id: String,
    pub errors: usize,
    pub warnings: usize,
    pub hits: Vec<HitRow>,
    /// (line, paid units, allowed, adjustments)
    pub lines: Vec<(String, u32, String, String)>,
    pub total: String,
    pub caveats: Vec<String>,
}

impl ScrubView {
    pub(crate) fn new(s: &Scrub) -> ScrubView {
        let priced = s.priced.as_ref();
        let mut lines = Vec::new();
        let mut k = 0;
        for l in &s.lines {
            if l.paid_units == 0 {
                let by: Vec<&str> = s
                    .hits
                    .iter()
                    .filter(|h| matches!(h.effect, Effect::DenyLine { line } if line == l.line))
                    .map(|h| h.edit)
                    .collect();
                lines.push((l.token.clone(), 0, money(Decimal::ZERO), format!("denied by {}", by.join(", "))));
                continue;
            }
            let p = priced.and_then(|p| p.lines.get(k));
            k += 1;
            lines.push((
                l.token.clone(),
                l.paid_units,
                p.map_or_else(String::new, |p| money(p.allowed)),
                p.map_or_else(String::new, |p| {
                    p.adjustments
                        .iter()
                        .filter(|a| a.step != interspace_pricing::Step::FeeSchedule)
                        .map(|a| a.description.to_string())
                        .chain(p.not_paid.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
            ));
        }
        ScrubView {
            claim_id: s.claim_id.clone(),
            errors: s.hits.iter().filter(|h| h.severity == Severity::Error).count(),
            warnings: s.hits.iter().filter(|h| h.severity == Severity::Warning).count(),
            hits: s
                .hits
                .iter()
                .map(|h| HitRow {
                    severity: match h.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "info",
                    }
                    .into(),
                    edit: h.edit.into(),
                    subject: h.subject.clone(),
                    message: h.message.clone(),
                    fix: h.fix.clone(),
                    sources: h.sources.join("; "),
                })
                .collect(),
            lines,
            total: money(priced.map_or(Decimal::ZERO, |p| p.total)),
            caveats: s.caveats.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(Decimal::new(178100, 2)), "$1,781.00");
        assert_eq!(money(Decimal::ZERO), "$0.00");
    }

    #[test]
    fn chart_draws_one_bar_per_priced_setting() {
        let svg = payment_chart(&[("Physician, facility", Some(Decimal::from(100))), ("ASC", None)]);
        assert_eq!(svg.matches("<rect").count(), 1);
        assert!(svg.contains("not in the loaded data"));
    }
}
