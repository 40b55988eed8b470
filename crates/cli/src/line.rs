//! The `CODE[-MOD…][xUNITS]` claim-line syntax of `interspace price`.

use interspace_knowledge::Knowledge;
use interspace_pricing::ServiceLine;
use interspace_refdata::{Hcpcs, Modifier};

use crate::UserError;

/// Parses one line, checking modifiers against the modifiers the engine knows.
pub(crate) fn parse_line(text: &str, knowledge: &Knowledge) -> Result<ServiceLine, UserError> {
    let syntax = "write CODE[-MOD…][xUNITS], e.g. 22633, 22558-62, 63047x2, 63030-50-XS";
    let t = text.trim();
    let (body, units) = match t.rsplit_once(['x', 'X']) {
        Some((b, u)) if !u.is_empty() && u.bytes().all(|c| c.is_ascii_digit()) => {
            let n: u32 = u.parse().map_err(|_| UserError::new(format!("`{t}`: {u} units is too many")).hint(syntax))?;
            if n == 0 || n > 999 {
                return Err(UserError::new(format!("`{t}`: units must be between 1 and 999")).hint(syntax));
            }
            (b, n)
        }
        _ => (t, 1),
    };
    let mut parts = body.split('-');
    let code_text = parts.next().unwrap_or("");
    let code = Hcpcs::parse(code_text).map_err(|e| UserError::new(format!("`{t}`: {e}")).hint(syntax))?;
    let mut modifiers = Vec::new();
    for m in parts {
        let modifier = Modifier::parse(m).map_err(|e| UserError::new(format!("`{t}`: {e}")).hint(syntax))?;
        if knowledge.modifier(modifier.as_str()).is_none() {
            let known: Vec<&str> = knowledge.modifiers().iter().map(|m| m.code.as_str()).collect();
            return Err(UserError::new(format!("`{t}`: modifier {modifier} is not one the pricer understands"))
                .hint(format!("known modifiers: {}", known.join(", "))));
        }
        if modifiers.contains(&modifier) {
            return Err(UserError::new(format!("`{t}`: modifier {modifier} appears twice")));
        }
        modifiers.push(modifier);
    }
    Ok(ServiceLine { code, modifiers, units })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k() -> Knowledge {
        Knowledge::load_embedded().unwrap()
    }

    #[test]
    fn parses_codes_modifiers_and_units() {
        let k = k();
        let l = parse_line("22558-62", &k).unwrap();
        assert_eq!((l.code.as_str(), l.modifiers.len(), l.units), ("22558", 1, 1));
        assert_eq!(parse_line("63047x2", &k).unwrap().units, 2);
        assert_eq!(parse_line("63030-50-xs", &k).unwrap().to_string(), "63030-50-XS");
        assert_eq!(parse_line("0202T", &k).unwrap().code.as_str(), "0202T");
    }

    #[test]
    fn rejects_malformed_lines() {
        let k = k();
        for bad in ["", "2263", "22633-", "22633-ZZ", "22633x0", "22633-62-62", "22633x99999"] {
            assert!(parse_line(bad, &k).is_err(), "{bad}");
        }
        let e = parse_line("22633-ZZ", &k).unwrap_err();
        assert_eq!(e.message, "`22633-ZZ`: modifier ZZ is not one the pricer understands");
    }
}
