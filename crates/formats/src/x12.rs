//! X12 005010X222A1 837P professional claims, read by hand into [`Claim`]s.
//!
//! The delimiters come from the fixed-width ISA segment; newlines after segment terminators are
//! tolerated. The envelope is checked (ISA/IEA, GS/GE and ST/SE control numbers and counts, missing
//! trailers) and the HL hierarchy walked: billing provider (20), subscriber (22), patient (23). Of a
//! claim (loop 2300) only what the scrubber needs is read: CLM01, CLM05-1, the HI diagnoses
//! (ABK, ABF), DTP\*472, the service lines (LX, SV1 and DTP\*472 of loop 2400) and the payer's
//! name (NM1\*PR of loop 2010BB). Patient segments (NM1\*IL, NM1\*QC, DMG, N3, N4…) are skipped
//! unread, and a message quotes at most the offending code or qualifier, never a name.
//!
//! Every problem is reported at its place, `segment 23 (SV1) element 1` (segments count from 1 at
//! ISA), and reading goes on after it, in one pass without recursion.

use std::collections::HashMap;

use interspace_claim::{
    Claim, ClaimError, ClaimErrors, ClaimLine, Payer, Role, normalize_diagnosis, parse_place_of_service,
};
use interspace_refdata::{Hcpcs, Modifier};
use jiff::civil::Date;

/// The length of the ISA segment with its terminator: its elements have fixed widths.
const ISA_LEN: usize = 106;
/// The widths of ISA01…ISA16.
const ISA_WIDTHS: [usize; 16] = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];
/// Where ISA11 (repetition separator) and ISA16 (component separator) stand.
const ISA11: usize = 82;
const ISA16: usize = 104;

/// Whether `text` looks like an X12 interchange: `ISA` after an optional BOM and white space, or
/// another segment id and an element separator (`GS*`, `ST*`, `NM1*`…), so that an interchange cut
/// before its ISA is refused by [`read_837p`] as X12 rather than read as JSON.
pub fn looks_like_x12(text: &str) -> bool {
    let t = trim_start(text);
    let id = t.bytes().take_while(u8::is_ascii_alphanumeric).count();
    t.starts_with("ISA")
        || ((2..=3).contains(&id)
            && is_segment_id(&t[..id])
            && t.as_bytes().get(id).is_some_and(|b| b.is_ascii_punctuation() && !b"{[\"".contains(b)))
}

/// Reads the claims of an 837P interchange (one ISA…IEA, any number of groups, transaction sets
/// and claims). Every problem is reported; no claim is returned when there is one.
pub fn read_837p(text: &str) -> Result<Vec<Claim>, ClaimErrors> {
    let text = trim_start(text);
    let d = delimiters(text).map_err(|e| ClaimErrors(vec![e]))?;
    let mut reader = Reader::default();
    // `delimiters` checked that the first ISA_LEN bytes are the ISA segment and its ASCII terminator.
    let segments = std::iter::once(&text[..ISA_LEN - 1]).chain(text[ISA_LEN..].split(d.segment));
    for raw in segments.map(str::trim).filter(|s| !s.is_empty()) {
        if !reader.segment(Seg::new(reader.n + 1, raw, &d)) {
            break;
        }
    }
    reader.finish()
}

fn trim_start(text: &str) -> &str {
    text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace())
}

struct Delimiters {
    element: char,
    component: char,
    segment: char,
}

/// Reads the delimiters from the fixed-width ISA segment at the start of `text`.
fn delimiters(text: &str) -> Result<Delimiters, ClaimError> {
    let isa = |element: usize, message: String| ClaimError {
        at: if element == 0 { "segment 1 (ISA)".into() } else { format!("segment 1 (ISA) element {element}") },
        message,
    };
    if !text.starts_with("ISA") {
        return Err(ClaimError {
            at: "segment 1".into(),
            message: "not an X12 interchange: the file must begin with an ISA segment".into(),
        });
    }
    let b = text.as_bytes();
    if b.len() < ISA_LEN {
        return Err(isa(0, format!("the ISA segment is cut short: it is fixed-width, {ISA_LEN} characters")));
    }
    // A delimiter is one ASCII character that cannot occur in the data: no letter, digit or space.
    let delimiter = |i: usize, k: usize, what: &str| {
        let c = b[i];
        (c.is_ascii() && !c.is_ascii_alphanumeric() && c != b' ')
            .then(|| char::from(c))
            .ok_or_else(|| isa(k, format!("{what} must be a delimiter, not a letter, digit or space")))
    };
    let element = delimiter(3, 0, "the element separator after `ISA`")?;
    let mut end = 3;
    for (k, width) in (1..).zip(ISA_WIDTHS) {
        end += 1 + width;
        if k < ISA_WIDTHS.len() && b[end] != b[3] {
            return Err(isa(k, format!("ISA{k:02} must be {width} characters wide: the ISA segment is fixed-width")));
        }
    }
    let repetition = delimiter(ISA11, 11, "ISA11, the repetition separator,")?;
    let component = delimiter(ISA16, 16, "ISA16, the component separator,")?;
    let segment = delimiter(ISA_LEN - 1, 0, "the segment terminator after ISA16")?;
    let all = [element, repetition, component, segment];
    if (1..all.len()).any(|i| all[..i].contains(&all[i])) {
        return Err(isa(
            0,
            "the element separator, repetition separator (ISA11), component separator (ISA16) and segment terminator must be four different characters".into(),
        ));
    }
    Ok(Delimiters { element, component, segment })
}

/// One segment: its number counted from ISA, its id and its elements (element 0 is the id).
struct Seg<'a> {
    n: usize,
    id: &'a str,
    elements: Vec<&'a str>,
    component: char,
}

impl<'a> Seg<'a> {
    fn new(n: usize, raw: &'a str, d: &Delimiters) -> Seg<'a> {
        let elements: Vec<&str> = raw.split(d.element).map(str::trim).collect();
        Seg { n, id: elements.first().copied().unwrap_or_default(), elements, component: d.component }
    }

    /// Element `k` (1-based), empty when absent.
    fn get(&self, k: usize) -> &'a str {
        self.elements.get(k).copied().unwrap_or_default()
    }

    /// Component `j` (0-based) of the composite element `k`, empty when absent.
    fn component(&self, k: usize, j: usize) -> &'a str {
        self.get(k).split(self.component).nth(j).map(str::trim).unwrap_or_default()
    }

    /// The place of element `k`, or of the whole segment when `k` is 0.
    fn at(&self, k: usize) -> String {
        if k == 0 {
            format!("segment {} ({})", self.n, self.id)
        } else {
            format!("segment {} ({}) element {k}", self.n, self.id)
        }
    }
}

/// A segment id: 2 or 3 capital letters or digits, beginning with a letter.
fn is_segment_id(id: &str) -> bool {
    (2..=3).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_uppercase())
        && id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A value quoted for a message: at most 12 characters, so that a corrupt segment never spills
/// much of its neighbours into a message.
fn q(value: &str) -> String {
    if value.is_empty() {
        return "an empty value".into();
    }
    let shown: String = value.chars().take(12).collect();
    if shown.len() < value.len() { format!("`{shown}…`") } else { format!("`{shown}`") }
}

/// What has been read: the claims, and the problems with the number of their segment (for order).
#[derive(Default)]
struct Out {
    claims: Vec<Claim>,
    problems: Vec<(usize, ClaimError)>,
}

impl Out {
    fn error_at(&mut self, n: usize, at: String, message: impl Into<String>) {
        self.problems.push((n, ClaimError { at, message: message.into() }));
    }

    /// A problem in element `k` of `s` (0: the segment as a whole).
    fn error(&mut self, s: &Seg<'_>, k: usize, message: impl Into<String>) {
        self.error_at(s.n, s.at(k), message);
    }
}

/// An open ISA or GS envelope.
struct Envelope {
    start: usize,
    control: String,
    /// The groups (ISA) or transaction sets (GS) it holds so far.
    children: usize,
}

impl Envelope {
    fn new(s: &Seg<'_>, control: usize) -> Envelope {
        Envelope { start: s.n, control: s.get(control).to_string(), children: 0 }
    }

    /// Checks the trailer `s`: its element 1 counts the children, element 2 repeats the control number.
    fn close(self, s: &Seg<'_>, children: &str, out: &mut Out) {
        if s.get(1).parse::<usize>().ok() != Some(self.children) {
            out.error(s, 1, format!("{} says {} {children}; there are {}", s.id, q(s.get(1)), self.children));
        }
        if s.get(2) != self.control {
            out.error(
                s,
                2,
                format!("control number {} does not match {} of segment {}", q(s.get(2)), q(&self.control), self.start),
            );
        }
    }
}

#[derive(Default)]
struct Reader {
    /// Segments read so far.
    n: usize,
    out: Out,
    /// `None` before ISA and after IEA.
    interchange: Option<Envelope>,
    group: Option<Envelope>,
    transaction: Option<Transaction>,
}

impl Reader {
    /// Reads one segment; false when nothing more is to be read.
    fn segment(&mut self, s: Seg<'_>) -> bool {
        self.n = s.n;
        if !is_segment_id(s.id) {
            let message = "not a segment: it must begin with an id of 2 or 3 capital letters or digits";
            self.out.error_at(s.n, format!("segment {}", s.n), message);
            return true;
        }
        if s.n > 1 && self.interchange.is_none() {
            self.out.error(&s, 0, "data after the IEA trailer: a file holds one interchange");
            return false;
        }
        match s.id {
            "ISA" if s.n == 1 => self.interchange = Some(Envelope::new(&s, 13)),
            "ISA" => {
                self.out.error(&s, 0, "a second ISA before the IEA trailer: a file holds one interchange");
                return false;
            }
            "GS" => {
                self.drop_group(s.n, &s.at(0));
                if s.get(1) != "HC" {
                    self.out.error(&s, 1, format!("{} is not HC: an 837P is a health care claim group", q(s.get(1))));
                }
                if !s.get(8).starts_with("005010X222") {
                    self.out.error(&s, 8, format!("{} is not 005010X222A1, the 837P professional claim", q(s.get(8))));
                }
                if let Some(i) = &mut self.interchange {
                    i.children += 1;
                }
                self.group = Some(Envelope::new(&s, 6));
            }
            "ST" => {
                self.drop_transaction(s.n, &s.at(0));
                match &mut self.group {
                    Some(g) => g.children += 1,
                    None => self.out.error(&s, 0, "ST outside a functional group (GS…GE)"),
                }
                if s.get(1) != "837" {
                    self.out.error(&s, 1, format!("{} is not 837: only claim transaction sets are read", q(s.get(1))));
                }
                self.transaction = Some(Transaction::new(&s));
            }
            "SE" => match self.transaction.take() {
                Some(mut t) => {
                    t.finish_claim(&mut self.out);
                    let count = s.n - t.start + 1;
                    if s.get(1).parse::<usize>().ok() != Some(count) {
                        let message =
                            format!("SE says {} segments; the transaction set has {count}, ST to SE", q(s.get(1)));
                        self.out.error(&s, 1, message);
                    }
                    if s.get(2) != t.control {
                        let message = format!(
                            "control number {} does not match {} of ST (segment {})",
                            q(s.get(2)),
                            q(&t.control),
                            t.start
                        );
                        self.out.error(&s, 2, message);
                    }
                }
                None => self.out.error(&s, 0, "SE without its ST"),
            },
            "GE" => {
                self.drop_transaction(s.n, &s.at(0));
                match self.group.take() {
                    Some(g) => g.close(&s, "transaction sets", &mut self.out),
                    None => self.out.error(&s, 0, "GE without its GS"),
                }
            }
            "IEA" => {
                self.drop_group(s.n, &s.at(0));
                if let Some(i) = self.interchange.take() {
                    i.close(&s, "functional groups", &mut self.out);
                }
            }
            _ => match &mut self.transaction {
                Some(t) => t.segment(&s, &mut self.out),
                None => self.out.error(&s, 0, "outside a transaction set (ST…SE)"),
            },
        }
        true
    }

    /// Closes a transaction set whose SE is missing, reporting it at `at`.
    fn drop_transaction(&mut self, n: usize, at: &str) {
        if let Some(mut t) = self.transaction.take() {
            t.finish_claim(&mut self.out);
            self.out.error_at(
                n,
                at.into(),
                format!("the transaction set of segment {} (ST) has no SE trailer", t.start),
            );
        }
    }

    /// Closes a functional group whose GE is missing, reporting it at `at`.
    fn drop_group(&mut self, n: usize, at: &str) {
        self.drop_transaction(n, at);
        if let Some(g) = self.group.take() {
            self.out.error_at(
                n,
                at.into(),
                format!("the functional group of segment {} (GS) has no GE trailer", g.start),
            );
        }
    }

    fn finish(mut self) -> Result<Vec<Claim>, ClaimErrors> {
        let (n, at) = (self.n + 1, format!("after segment {}", self.n));
        self.drop_group(n, &at);
        if self.interchange.is_some() {
            self.out.error_at(n, at, "the interchange has no IEA trailer: the file may be cut short");
        }
        let Out { claims, mut problems } = self.out;
        if problems.is_empty() {
            return Ok(claims);
        }
        problems.sort_by_key(|(n, _)| *n);
        Err(ClaimErrors(problems.into_iter().map(|(_, e)| e).collect()))
    }
}

/// The levels of the 837P HL hierarchy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    BillingProvider,
    Subscriber,
    Patient,
    /// An HL03 already reported as wrong.
    Unknown,
}

/// An open ST…SE transaction set.
struct Transaction {
    start: usize,
    control: String,
    /// The level of each HL01 id, to check HL02 parents.
    levels: HashMap<String, Level>,
    level: Option<Level>,
    /// The payer of the current subscriber loop.
    payer: Payer,
    claim: Option<ClaimDraft>,
}

impl Transaction {
    fn new(st: &Seg<'_>) -> Transaction {
        Transaction {
            start: st.n,
            control: st.get(2).to_string(),
            levels: HashMap::new(),
            level: None,
            payer: Payer::Medicare,
            claim: None,
        }
    }

    fn segment(&mut self, s: &Seg<'_>, out: &mut Out) {
        match s.id {
            "HL" => self.hl(s, out),
            "CLM" => self.clm(s, out),
            // Loop 2010BB; an NM1*PR inside a claim is another payer (loop 2330B).
            "NM1" if s.get(1) == "PR" && self.level == Some(Level::Subscriber) && self.claim.is_none() => {
                self.payer = payer(s.get(3));
            }
            "HI" | "LX" | "SV1" | "DTP" => match &mut self.claim {
                Some(c) => c.segment(s, out),
                None if s.id != "DTP" || s.get(1) == "472" => out.error(s, 0, "outside a claim (CLM, loop 2300)"),
                None => {}
            },
            _ => {}
        }
    }

    fn finish_claim(&mut self, out: &mut Out) {
        if let Some(c) = self.claim.take() {
            c.finish(out);
        }
    }

    fn hl(&mut self, s: &Seg<'_>, out: &mut Out) {
        self.finish_claim(out);
        let (level, parent) = match s.get(3) {
            "20" => (Level::BillingProvider, None),
            "22" => (Level::Subscriber, Some((Level::BillingProvider, "billing provider (20)"))),
            "23" => (Level::Patient, Some((Level::Subscriber, "subscriber (22)"))),
            other => {
                let message =
                    format!("{} is not an 837P level: 20 billing provider, 22 subscriber, 23 patient", q(other));
                out.error(s, 3, message);
                (Level::Unknown, None)
            }
        };
        if let Some((parent, name)) = parent
            && self.levels.get(s.get(2)) != Some(&parent)
        {
            out.error(s, 2, format!("the parent {} is not an earlier {name} HL", q(s.get(2))));
        }
        if level == Level::Subscriber {
            // Until its NM1*PR (loop 2010BB) names the payer.
            self.payer = Payer::Medicare;
        }
        self.levels.insert(s.get(1).to_string(), level);
        self.level = Some(level);
    }

    fn clm(&mut self, s: &Seg<'_>, out: &mut Out) {
        self.finish_claim(out);
        if matches!(self.level, None | Some(Level::BillingProvider)) {
            out.error(s, 0, "a claim outside a subscriber or patient loop (HL level 22 or 23)");
        }
        if s.get(1).is_empty() {
            out.error(s, 1, "the claim has no id");
        }
        let place = match s.component(5, 0) {
            "" => None,
            p => parse_place_of_service(p).or_else(|| {
                out.error(s, 5, format!("{} is not a place-of-service code: two digits, e.g. 22", q(p)));
                None
            }),
        };
        self.claim = Some(ClaimDraft {
            start: s.n,
            id: s.get(1).to_string(),
            payer: self.payer.clone(),
            place,
            date: ServiceDate::Absent,
            diagnoses: Vec::new(),
            given_diagnoses: 0,
            lines: Vec::new(),
        });
    }
}

/// NM1\*PR's name: "Medicare" in it means Medicare.
fn payer(name: &str) -> Payer {
    if name.is_empty() || name.to_ascii_uppercase().contains("MEDICARE") {
        Payer::Medicare
    } else {
        Payer::Other(name.to_string())
    }
}

/// A DTP\*472 as read.
#[derive(Clone, Copy)]
enum ServiceDate {
    Absent,
    /// Present but unreadable, and already reported.
    Invalid,
    Date(Date),
}

/// A claim (loop 2300) being read.
struct ClaimDraft {
    start: usize,
    id: String,
    payer: Payer,
    place: Option<String>,
    date: ServiceDate,
    diagnoses: Vec<String>,
    /// The HI diagnoses given, readable or not: what line pointers count.
    given_diagnoses: usize,
    lines: Vec<LineDraft>,
}

/// A service line (loop 2400) being read.
struct LineDraft {
    start: usize,
    /// Whether an SV1 was seen, readable or not.
    has_sv1: bool,
    service: Option<Service>,
    date: ServiceDate,
}

/// A readable SV1.
struct Service {
    n: usize,
    code: Hcpcs,
    modifiers: Vec<Modifier>,
    units: u32,
    place: Option<String>,
    pointers: Option<Vec<u8>>,
}

impl ClaimDraft {
    fn segment(&mut self, s: &Seg<'_>, out: &mut Out) {
        match s.id {
            "HI" => self.hi(s, out),
            "LX" => self.lines.push(LineDraft { start: s.n, has_sv1: false, service: None, date: ServiceDate::Absent }),
            "SV1" => self.sv1(s, out),
            "DTP" if s.get(1) == "472" => {
                let date = service_date(s, out);
                match self.lines.last_mut() {
                    Some(line) => line.date = date,
                    None => self.date = date,
                }
            }
            _ => {}
        }
    }

    fn hi(&mut self, s: &Seg<'_>, out: &mut Out) {
        for k in 1..s.elements.len() {
            let qualifier = s.component(k, 0);
            // Other HI segments (condition codes, anesthesia procedures…) are not diagnoses.
            if !matches!(qualifier, "ABK" | "ABF" | "BK" | "BF") {
                continue;
            }
            if matches!(qualifier, "ABK" | "BK") != (self.given_diagnoses == 0) {
                out.error(s, k, "the principal diagnosis (ABK) comes first and once; the others are ABF");
            }
            self.given_diagnoses += 1;
            let code = s.component(k, 1);
            if qualifier.len() == 2 {
                out.error(s, k, "ICD-9-CM diagnoses (BK, BF) are not read: 005010 claims carry ICD-10-CM (ABK, ABF)");
            } else if let Some(d) = normalize_diagnosis(code) {
                self.diagnoses.push(d);
            } else {
                let message =
                    format!("{} is not an ICD-10-CM code (a letter, a digit, then up to five characters)", q(code));
                out.error(s, k, message);
            }
        }
    }

    fn sv1(&mut self, s: &Seg<'_>, out: &mut Out) {
        let Some(line) = self.lines.last_mut() else {
            out.error(s, 0, "SV1 before LX: a service line begins with LX");
            return;
        };
        if line.has_sv1 {
            out.error(s, 0, format!("a second SV1 in the service line of segment {} (LX)", line.start));
            return;
        }
        line.has_sv1 = true;
        let before = out.problems.len();
        let code = match s.component(1, 0) {
            "HC" => Hcpcs::parse(s.component(1, 1))
                .map_err(|_| {
                    let message = format!(
                        "{} is not a CPT or HCPCS code: a code is five characters, e.g. 22633",
                        q(s.component(1, 1))
                    );
                    out.error(s, 1, message);
                })
                .ok(),
            other => {
                out.error(s, 1, format!("{} is not HC: only CPT and HCPCS codes (HC) are read", q(other)));
                None
            }
        };
        let mut modifiers = Vec::new();
        for m in (2..6).map(|j| s.component(1, j)).filter(|m| !m.is_empty()) {
            match Modifier::parse(m) {
                Ok(m) => modifiers.push(m),
                Err(_) => {
                    out.error(s, 1, format!("{} is not a modifier: modifiers are two characters, e.g. 62, XS", q(m)))
                }
            }
        }
        if s.get(3) != "UN" {
            out.error(s, 3, format!("{} is not UN: surgical services are billed in units", q(s.get(3))));
        }
        let units = units(s.get(4));
        if units.is_none() {
            out.error(s, 4, format!("{} is not a number of units: a whole number, at least 1", q(s.get(4))));
        }
        let place = match s.get(5) {
            "" => None,
            p => parse_place_of_service(p).or_else(|| {
                out.error(s, 5, format!("{} is not a place-of-service code: two digits, e.g. 22", q(p)));
                None
            }),
        };
        let pointers = match s.get(7) {
            "" => None,
            p => Some(
                p.split(s.component)
                    .filter_map(|p| match p.trim().parse::<u8>() {
                        Ok(p) if p >= 1 => Some(p),
                        _ => {
                            let message = format!("{} is not a diagnosis pointer: pointers count from 1", q(p));
                            out.error(s, 7, message);
                            None
                        }
                    })
                    .collect(),
            ),
        };
        // A line is kept only when all of its SV1 is readable.
        if out.problems.len() == before
            && let (Some(code), Some(units)) = (code, units)
        {
            line.service = Some(Service { n: s.n, code, modifiers, units, place, pointers });
        }
    }

    /// Checks what only the whole claim shows, and keeps the claim when all its lines are whole.
    fn finish(self, out: &mut Out) {
        if self.lines.is_empty() {
            out.error_at(
                self.start,
                format!("segment {} (CLM)", self.start),
                "the claim has no service lines (LX, SV1)",
            );
        }
        let mut lines = Vec::new();
        for line in &self.lines {
            let lx = format!("segment {} (LX)", line.start);
            if !line.has_sv1 {
                out.error_at(line.start, lx, "the service line has no SV1");
                continue;
            }
            let date = match (line.date, self.date) {
                (ServiceDate::Date(d), _) | (ServiceDate::Absent, ServiceDate::Date(d)) => Some(d),
                (ServiceDate::Absent, ServiceDate::Absent) => {
                    let message = "the service line has no date of service: DTP*472 in loop 2400 or 2300";
                    out.error_at(line.start, lx, message);
                    None
                }
                _ => None,
            };
            let Some(service) = &line.service else { continue };
            let pointers = match &service.pointers {
                Some(pointers) => {
                    for p in pointers.iter().filter(|p| usize::from(**p) > self.given_diagnoses) {
                        let message =
                            format!("pointer {p} names no diagnosis: the claim has {} (HI)", self.given_diagnoses);
                        out.error_at(service.n, format!("segment {} (SV1) element 7", service.n), message);
                    }
                    pointers.clone()
                }
                None => (1..=4).take(self.given_diagnoses).collect(),
            };
            if let Some(date_of_service) = date {
                lines.push(ClaimLine {
                    code: service.code,
                    modifiers: service.modifiers.clone(),
                    units: service.units,
                    date_of_service,
                    diagnosis_pointers: pointers,
                    role: Role::Surgeon,
                });
            }
        }
        if lines.is_empty() || lines.len() < self.lines.len() {
            return;
        }
        // One place of service per claim: the first line's SV105, else CLM05-1.
        let first = self.lines.first().and_then(|l| l.service.as_ref()).and_then(|s| s.place.clone());
        out.claims.push(Claim {
            id: self.id,
            payer: self.payer,
            place_of_service: first.or(self.place),
            locality: None,
            diagnoses: self.diagnoses,
            lines,
            history: Vec::new(),
        });
    }
}

/// DTP\*472: D8 `CCYYMMDD`, or RD8 `CCYYMMDD-CCYYMMDD` (the start is the date of service).
fn service_date(s: &Seg<'_>, out: &mut Out) -> ServiceDate {
    let value = s.get(3);
    let date = match s.get(2) {
        "D8" => d8(value),
        "RD8" => value.split_once('-').and_then(|(start, end)| d8(end).and(d8(start))),
        other => {
            out.error(s, 2, format!("{} is not a date format: D8 (CCYYMMDD) or RD8 (CCYYMMDD-CCYYMMDD)", q(other)));
            return ServiceDate::Invalid;
        }
    };
    match date {
        Some(d) => ServiceDate::Date(d),
        None => {
            out.error(s, 3, format!("{} is not a date in the format of element 2, e.g. 20250314", q(value)));
            ServiceDate::Invalid
        }
    }
}

fn d8(s: &str) -> Option<Date> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::new(s[..4].parse().ok()?, s[4..6].parse().ok()?, s[6..].parse().ok()?).ok()
}

/// SV104, an X12 decimal: a whole number of units, at least 1, with or without a zero fraction.
fn units(s: &str) -> Option<u32> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b == b'0') {
        return None;
    }
    whole.parse().ok().filter(|u| *u >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_x12_numbers_and_dates() {
        assert_eq!(units("2"), Some(2));
        assert_eq!(units("2.00"), Some(2));
        assert_eq!(units("2.5"), None);
        assert_eq!(units("0"), None);
        assert_eq!(units("+2"), None);
        assert_eq!(units(".0"), None);
        assert_eq!(d8("20250314"), Some(jiff::civil::date(2025, 3, 14)));
        assert_eq!(d8("20250230"), None);
        assert_eq!(d8("2025031"), None);
    }

    #[test]
    fn tells_x12_from_json() {
        assert!(looks_like_x12("ISA*00*"));
        assert!(looks_like_x12("\u{feff}\n GS*HC*A~"));
        assert!(looks_like_x12("ST*837*0001~"));
        assert!(!looks_like_x12("{\"claim_id\": \"x\"}"));
        assert!(!looks_like_x12("[]"));
        assert!(!looks_like_x12("PROCEDURE: L4-5"));
        let e = read_837p("GS*HC*A*B*20250101*1200*1*X*005010X222A1~").unwrap_err();
        assert!(e.to_string().contains("must begin with an ISA segment"), "{e}");
    }

    #[test]
    fn quotes_little() {
        assert_eq!(q(""), "an empty value");
        assert_eq!(q("2263"), "`2263`");
        assert_eq!(q("ABCDEFGHIJKLMN"), "`ABCDEFGHIJKL…`");
    }
}
