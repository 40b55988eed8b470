//! Payment-policy indicators of the PFS Relative Value File, as closed enums.
//!
//! Meanings follow the CMS RVU file documentation (RVU25D record layout and Attachment A), in
//! our own short words; `docs/cms-rvu25d-readme.txt` holds the CMS text.

use std::fmt;
use std::str::FromStr;

macro_rules! indicator {
    (
        $(#[$doc:meta])*
        $name:ident, $what:literal {
            $( $variant:ident = $code:literal => $meaning:literal, )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( #[doc = $meaning] $variant, )+
        }

        impl $name {
            /// Every value, in file order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in the CMS file.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// What the value means, in plain words.
            pub fn meaning(self) -> &'static str {
                match self { $($name::$variant => $meaning,)+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.trim() {
                    $($code => Ok($name::$variant),)+
                    other => Err(format!(
                        "`{other}` is not a valid {}; expected one of: {}",
                        $what,
                        [$($code),+].join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

indicator! {
    /// PFS status code (RVU file Attachment A): whether and how Medicare pays the code.
    StatusCode, "status code" {
        Active = "A" => "Active: separately paid under the fee schedule",
        Bundled = "B" => "Bundled: payment is included in other services; never paid separately",
        CarrierPriced = "C" => "Carrier-priced: the Medicare contractor sets the payment",
        Deleted = "D" => "Deleted code, with a grace period",
        Excluded = "E" => "Excluded from the fee schedule by regulation",
        DeletedNoGrace = "F" => "Deleted code, no grace period",
        NotValidUseAnother = "G" => "Not valid for Medicare: another code is used",
        DeletedModifier = "H" => "Deleted modifier for this code",
        NotValid = "I" => "Not valid for Medicare: an alternative code is used",
        Anesthesia = "J" => "Anesthesia service",
        Measurement = "M" => "Measurement code, used for quality reporting only",
        NonCovered = "N" => "Non-covered service",
        BundledExcluded = "P" => "Bundled or excluded",
        Restricted = "R" => "Restricted coverage: paid only in special circumstances",
        Injection = "T" => "Paid only when no other fee-schedule service is billed the same day",
        Statutory = "X" => "Statutory exclusion: not in the fee schedule by law",
    }
}

impl StatusCode {
    /// CMS: only RVUs of codes with status A, R or T are used for Medicare payment.
    pub fn is_payable(self) -> bool {
        matches!(self, StatusCode::Active | StatusCode::Restricted | StatusCode::Injection)
    }
}

indicator! {
    /// Global surgery period of a code.
    GlobalPeriod, "global period" {
        Zero = "000" => "0-day global: endoscopic or minor procedure, the day of surgery only",
        Ten = "010" => "10-day global: minor procedure, day of surgery and 10 days after",
        Ninety = "090" => "90-day global: major surgery, the day before, the day of and 90 days after",
        Maternity = "MMM" => "Maternity code: the usual global surgery rules do not apply",
        NotApplicable = "XXX" => "The global concept does not apply",
        CarrierDetermined = "YYY" => "The contractor sets the global period",
        AddOn = "ZZZ" => "Add-on code: it lies within the global period of its primary procedure",
    }
}

impl GlobalPeriod {
    /// Post-operative days, where the period has a fixed length.
    pub fn days(self) -> Option<u32> {
        match self {
            GlobalPeriod::Zero => Some(0),
            GlobalPeriod::Ten => Some(10),
            GlobalPeriod::Ninety => Some(90),
            _ => None,
        }
    }

    /// Whether the code is an add-on (ZZZ): never reported alone, exempt from modifier 51.
    pub fn is_add_on(self) -> bool {
        self == GlobalPeriod::AddOn
    }
}

indicator! {
    /// MULT PROC: which multiple-procedure payment rule applies.
    MultipleProcedure, "multiple-procedure indicator" {
        None = "0" => "No multiple-procedure reduction (add-on codes and others)",
        StandardPre1995 = "1" => "Standard reduction rules in effect before 1995",
        Standard = "2" => "Standard reduction: rank by fee, pay 100%, 50%, 50%, 50%, 50%, then by report",
        Endoscopic = "3" => "Special rules for endoscopic procedures in the same family",
        DiagnosticImaging = "4" => "Multiple-procedure reduction for diagnostic imaging",
        Therapy = "5" => "Multiple-procedure reduction for therapy services",
        DiagnosticCardiovascular = "6" => "Multiple-procedure reduction for diagnostic cardiovascular services",
        Ophthalmology = "7" => "Multiple-procedure reduction for diagnostic ophthalmology services",
        NotApplicable = "9" => "The multiple-procedure concept does not apply",
    }
}

indicator! {
    /// BILAT SURG: how modifier 50 is paid.
    BilateralSurgery, "bilateral-surgery indicator" {
        NotBilateral = "0" => "Modifier 50 not appropriate (anatomy or code definition): paid at 100%",
        Bilateral150 = "1" => "Bilateral adjustment applies: paid at 150% of the single amount with modifier 50",
        AlreadyBilateral = "2" => "The RVUs already cover both sides: paid at 100%, no adjustment",
        EachSide100 = "3" => "Paid at 100% for each side",
        NotApplicable = "9" => "The bilateral concept does not apply",
    }
}

indicator! {
    /// ASST SURG: whether an assistant at surgery (80/81/82/AS) is paid.
    AssistantSurgery, "assistant-at-surgery indicator" {
        DocumentationRequired = "0" => "Assistant paid only with documentation of medical necessity",
        NotPaid = "1" => "Assistant at surgery may not be paid",
        Paid = "2" => "Assistant at surgery may be paid",
        NotApplicable = "9" => "The assistant concept does not apply",
    }
}

indicator! {
    /// CO-SURG: whether two surgeons may each bill the code with modifier 62.
    CoSurgery, "co-surgeon indicator" {
        NotPermitted = "0" => "Co-surgeons not permitted",
        DocumentationRequired = "1" => "Co-surgeons paid with supporting documentation of medical necessity",
        Permitted = "2" => "Co-surgeons permitted, no documentation needed if the two-specialty requirement is met",
        NotApplicable = "9" => "The co-surgeon concept does not apply",
    }
}

indicator! {
    /// TEAM SURG: whether team surgery (66) is paid.
    TeamSurgery, "team-surgery indicator" {
        NotPermitted = "0" => "Team surgery not permitted",
        DocumentationRequired = "1" => "Team surgery paid with supporting documentation",
        Permitted = "2" => "Team surgery permitted, priced by report",
        NotApplicable = "9" => "The team-surgery concept does not apply",
    }
}

indicator! {
    /// PCTC IND: professional/technical component split.
    PcTc, "PC/TC indicator" {
        PhysicianService = "0" => "Physician service: no professional/technical split",
        DiagnosticTest = "1" => "Diagnostic test with professional (26) and technical (TC) components",
        ProfessionalOnly = "2" => "Professional component only",
        TechnicalOnly = "3" => "Technical component only",
        GlobalOnly = "4" => "Global test only",
        IncidentTo = "5" => "Incident-to code",
        LabPhysicianInterpretation = "6" => "Laboratory physician interpretation",
        PhysicalTherapy = "7" => "Physical therapy service",
        PhysicianInterpretation = "8" => "Physician interpretation code",
        NotApplicable = "9" => "The PC/TC concept does not apply",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_explains() {
        assert_eq!("R".parse::<StatusCode>().unwrap(), StatusCode::Restricted);
        assert!(StatusCode::Restricted.is_payable());
        assert!(!StatusCode::Bundled.is_payable());
        assert_eq!("ZZZ".parse::<GlobalPeriod>().unwrap().days(), None);
        assert_eq!("090".parse::<GlobalPeriod>().unwrap().days(), Some(90));
        let e = "7".parse::<CoSurgery>().unwrap_err();
        assert_eq!(e, "`7` is not a valid co-surgeon indicator; expected one of: 0, 1, 2, 9");
    }

    #[test]
    fn every_code_round_trips() {
        for s in StatusCode::ALL {
            assert_eq!(s.code().parse::<StatusCode>().unwrap(), *s);
        }
        for g in GlobalPeriod::ALL {
            assert_eq!(g.code().parse::<GlobalPeriod>().unwrap(), *g);
        }
    }
}
