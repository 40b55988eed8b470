//! Identifiers that appear on every claim line: procedure codes and modifiers.

use std::fmt;
use std::str::FromStr;

/// A CPT or HCPCS Level II procedure code: five ASCII characters, digits and capitals.
///
/// Stored inline (`Copy`, no allocation) because PTP lookups hash millions of pairs.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hcpcs([u8; 5]);

/// The kind of a procedure code, told from its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// Five digits (e.g. 22633).
    CptCategoryI,
    /// Four digits and `F` (performance measurement).
    CptCategoryII,
    /// Four digits and `T` (emerging technology, e.g. 0202T).
    CptCategoryIII,
    /// A letter and four digits (e.g. G0453).
    HcpcsLevelII,
}

/// Why a string is not a procedure code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("`{0}` is not a procedure code: a CPT/HCPCS code has exactly 5 characters (e.g. 22633, 0202T, G0453)")]
    Length(String),
    #[error("`{0}` is not a procedure code: only digits and capital letters are allowed (e.g. 22633, 0202T, G0453)")]
    Characters(String),
    #[error("`{0}` is not a modifier: a modifier has 2 letters or digits (e.g. 62, 59, XS, AS)")]
    Modifier(String),
}

impl Hcpcs {
    /// Parses a code, accepting surrounding space and lower case.
    pub fn parse(s: &str) -> Result<Hcpcs, CodeError> {
        let t = s.trim();
        if t.len() != 5 {
            return Err(CodeError::Length(t.to_string()));
        }
        let mut out = [0u8; 5];
        for (o, b) in out.iter_mut().zip(t.bytes()) {
            let b = b.to_ascii_uppercase();
            if !b.is_ascii_digit() && !b.is_ascii_uppercase() {
                return Err(CodeError::Characters(t.to_string()));
            }
            *o = b;
        }
        Ok(Hcpcs(out))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("?????")
    }

    /// The code's kind, from its shape; `None` for shapes no code set uses.
    pub fn kind(&self) -> Option<CodeKind> {
        let b = &self.0;
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if digits(0..5) {
            Some(CodeKind::CptCategoryI)
        } else if digits(0..4) && b[4] == b'T' {
            Some(CodeKind::CptCategoryIII)
        } else if digits(0..4) && b[4] == b'F' {
            Some(CodeKind::CptCategoryII)
        } else if b[0].is_ascii_uppercase() && digits(1..5) {
            Some(CodeKind::HcpcsLevelII)
        } else {
            None
        }
    }

    /// The numeric value of a Category I code, for range checks such as 22532–22865.
    pub fn number(&self) -> Option<u32> {
        (self.kind() == Some(CodeKind::CptCategoryI)).then(|| self.as_str().parse().ok())?
    }

    /// Whether this Category I code lies in `lo..=hi`.
    pub fn in_range(&self, lo: u32, hi: u32) -> bool {
        self.number().is_some_and(|n| (lo..=hi).contains(&n))
    }
}

impl FromStr for Hcpcs {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Hcpcs::parse(s)
    }
}

impl fmt::Display for Hcpcs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Hcpcs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hcpcs({})", self.as_str())
    }
}

impl serde::Serialize for Hcpcs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Hcpcs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Hcpcs::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A two-character CPT or HCPCS modifier (62, 59, XS, AS, RT…).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Modifier([u8; 2]);

impl Modifier {
    /// Parses a modifier, accepting lower case.
    pub fn parse(s: &str) -> Result<Modifier, CodeError> {
        let t = s.trim();
        let b = t.as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_alphanumeric) {
            return Err(CodeError::Modifier(t.to_string()));
        }
        Ok(Modifier([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
    }

    /// The modifier as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// A modifier known to be valid, for constants in rules.
    pub const fn new(s: &[u8; 2]) -> Modifier {
        Modifier(*s)
    }
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Modifier({})", self.as_str())
    }
}

impl FromStr for Modifier {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Modifier::parse(s)
    }
}

impl serde::Serialize for Modifier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Modifier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Modifier::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kinds() {
        let k = |s: &str| Hcpcs::parse(s).unwrap().kind();
        assert_eq!(k("22633"), Some(CodeKind::CptCategoryI));
        assert_eq!(k("0202t"), Some(CodeKind::CptCategoryIII));
        assert_eq!(k("G0453"), Some(CodeKind::HcpcsLevelII));
        assert_eq!(k("3008F"), Some(CodeKind::CptCategoryII));
        assert_eq!(k("AB123"), None);
    }

    #[test]
    fn rejects_bad_codes() {
        assert!(matches!(Hcpcs::parse("2263"), Err(CodeError::Length(_))));
        assert!(matches!(Hcpcs::parse("22-33"), Err(CodeError::Characters(_))));
        assert!(Modifier::parse("623").is_err());
        assert_eq!(Modifier::parse("xs").unwrap().as_str(), "XS");
    }

    #[test]
    fn ranges() {
        let c = Hcpcs::parse("22586").unwrap();
        assert!(c.in_range(22532, 22865));
        assert!(!c.in_range(63001, 63091));
        assert!(!Hcpcs::parse("0202T").unwrap().in_range(0, 99999));
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_round_trips(s in "\\PC{0,8}") {
            if let Ok(c) = Hcpcs::parse(&s) {
                prop_assert_eq!(Hcpcs::parse(c.as_str()).unwrap(), c);
                prop_assert_eq!(c.as_str(), s.trim().to_ascii_uppercase());
            }
        }
    }
}
