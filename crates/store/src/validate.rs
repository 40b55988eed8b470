//! Input checks. Messages name the field and the rule, never free text a user typed (a title or a
//! reason might hold PHI); codes and modifiers are not PHI and are quoted.

use crate::error::StoreError;
use crate::model::{LineValues, NewLine};

type Result<T> = std::result::Result<T, StoreError>;

pub(crate) const MAX_NOTE_BYTES: usize = 2 * 1024 * 1024;
pub(crate) const MAX_REPORT_BYTES: usize = 16 * 1024 * 1024;
pub(crate) const MAX_LINES: usize = 200;

fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Lower-cases and checks a login name.
pub(crate) fn username(text: &str) -> Result<String> {
    let name = text.trim().to_lowercase();
    let ok_chars = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c));
    let starts_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if name.is_empty() || name.len() > 64 || !ok_chars || !starts_ok {
        return Err(StoreError::invalid(
            "username must be 1-64 characters of letters, digits, '.', '_', '-' or '@', starting with a letter or digit",
        ));
    }
    Ok(name)
}

pub(crate) fn display_name(text: &str) -> Result<String> {
    let name = text.trim();
    if name.is_empty() || name.chars().count() > 100 || has_control(name) {
        return Err(StoreError::invalid("display name must be 1-100 characters without control characters"));
    }
    Ok(name.to_owned())
}

pub(crate) fn password(text: &str) -> Result<()> {
    if text.chars().count() < 8 || text.len() > 1024 {
        return Err(StoreError::invalid("password must be at least 8 characters (and at most 1024 bytes)"));
    }
    Ok(())
}

pub(crate) fn label(text: &str) -> Result<String> {
    let label = text.trim();
    if label.is_empty() || label.chars().count() > 100 || has_control(label) {
        return Err(StoreError::invalid("API key label must be 1-100 characters without control characters"));
    }
    Ok(label.to_owned())
}

pub(crate) fn title(text: &str) -> Result<String> {
    let title = text.trim();
    if title.is_empty() || title.chars().count() > 200 || has_control(title) {
        return Err(StoreError::invalid("case title must be 1-200 characters without control characters"));
    }
    Ok(title.to_owned())
}

pub(crate) fn note_text(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(StoreError::invalid("note text is empty"));
    }
    if text.len() > MAX_NOTE_BYTES {
        return Err(StoreError::invalid(format!(
            "note text is {} bytes, more than the {MAX_NOTE_BYTES} allowed",
            text.len()
        )));
    }
    Ok(())
}

pub(crate) fn report_json(text: &str) -> Result<()> {
    if text.len() > MAX_REPORT_BYTES {
        return Err(StoreError::invalid(format!(
            "report JSON is {} bytes, more than the {MAX_REPORT_BYTES} allowed",
            text.len()
        )));
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|error| {
        StoreError::invalid(format!("report JSON is not valid JSON (line {}, column {})", error.line(), error.column()))
    })?;
    Ok(())
}

pub(crate) fn year(year: i16) -> Result<i16> {
    if !(2000..=2100).contains(&year) {
        return Err(StoreError::invalid(format!("year {year} is out of range (2000-2100)")));
    }
    Ok(year)
}

/// Upper-cases and checks a CPT/HCPCS code: 1-16 ASCII letters and digits.
pub(crate) fn code(text: &str) -> Result<String> {
    let code = text.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > 16 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(StoreError::invalid(format!(
            "code '{}' must be 1-16 letters or digits",
            code.chars().take(20).collect::<String>()
        )));
    }
    Ok(code)
}

/// Normalizes modifiers: split on spaces or commas, upper-case, each two letters or digits, at
/// most four, no repeats; joined by single spaces.
pub(crate) fn modifiers(text: &str) -> Result<String> {
    let mut out: Vec<String> = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()) {
        let token = token.to_ascii_uppercase();
        if token.len() != 2 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(StoreError::invalid(format!(
                "modifier '{}' must be two letters or digits",
                token.chars().take(20).collect::<String>()
            )));
        }
        if out.contains(&token) {
            return Err(StoreError::invalid(format!("modifier '{token}' is given twice")));
        }
        out.push(token);
    }
    if out.len() > 4 {
        return Err(StoreError::invalid("a line takes at most four modifiers"));
    }
    Ok(out.join(" "))
}

pub(crate) fn units(units: u32) -> Result<u32> {
    if !(1..=999).contains(&units) {
        return Err(StoreError::invalid(format!("units must be 1-999, not {units}")));
    }
    Ok(units)
}

pub(crate) fn reason(text: &str) -> Result<String> {
    let reason = text.trim();
    if reason.is_empty() {
        return Err(StoreError::invalid("a reason is required to adjust, remove or add a line"));
    }
    if reason.chars().count() > 2000 {
        return Err(StoreError::invalid("the reason is longer than 2000 characters"));
    }
    Ok(reason.to_owned())
}

pub(crate) fn rule_id(rule: Option<&str>) -> Result<Option<String>> {
    match rule.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(rule) if rule.len() <= 64 && rule.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b)) => {
            Ok(Some(rule.to_owned()))
        }
        Some(_) => Err(StoreError::invalid("rule id must be 1-64 letters, digits, '_', '-' or '.'")),
    }
}

pub(crate) fn line_values(values: &LineValues) -> Result<LineValues> {
    Ok(LineValues { code: code(&values.code)?, modifiers: modifiers(&values.modifiers)?, units: units(values.units)? })
}

pub(crate) fn new_line(line: &NewLine) -> Result<NewLine> {
    Ok(NewLine {
        code: code(&line.code)?,
        modifiers: modifiers(&line.modifiers)?,
        units: units(line.units)?,
        rule_id: rule_id(line.rule_id.as_deref())?,
    })
}

/// Clamps a page size to 1..=max.
pub(crate) fn limit(limit: u32, max: u32) -> i64 {
    i64::from(limit.clamp(1, max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_are_normalized() {
        assert_eq!(modifiers(" 62,xs ").unwrap(), "62 XS");
        assert_eq!(modifiers("").unwrap(), "");
        assert!(modifiers("XSS").is_err());
        assert!(modifiers("62 62").is_err());
        assert!(modifiers("22 50 51 59 62").is_err());
    }

    #[test]
    fn usernames_are_lower_cased() {
        assert_eq!(username(" Alice.B ").unwrap(), "alice.b");
        assert!(username("-x").is_err());
        assert!(username("a b").is_err());
        assert!(username("").is_err());
    }

    #[test]
    fn codes_and_reasons() {
        assert_eq!(code(" 22633 ").unwrap(), "22633");
        assert_eq!(code("c1713").unwrap(), "C1713");
        assert!(code("226-33").is_err());
        assert!(reason("  ").is_err());
        assert!(report_json("{\"a\":1}").is_ok());
        assert!(report_json("{").is_err());
    }
}
