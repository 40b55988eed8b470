//! PHI never reaches a log line or an error message.
//!
//! Every note of `corpus/notes` gets a synthetic header naming a patient (name, date of birth and
//! medical record number, in several spellings, different for each note). Then:
//!
//! - the real `interspace serve` runs with `RUST_LOG=trace` (everything `debug` logs and more) over
//!   a fresh SQLite database and a watched folder, and every route that takes note text or patient
//!   data is driven with those notes: analyze, notes/check, prior-auth, case submission and the
//!   whole case work (assign, line decisions with reasons, add line, finalize, audit, claim export),
//!   the analyze, check, scrub and case upload pages, scrub with 837P and FHIR claims that carry the
//!   patient, the watched folder with files named after the patient, and bad inputs (invalid UTF-8,
//!   malformed or mistyped JSON holding PHI, bodies over the limits);
//! - the CLI commands that read notes or claims run with `RUST_LOG=trace` (analyze, eval, check,
//!   prior-auth, inspect, scrub), also over bad files holding PHI.
//!
//! Neither the server's log, nor any error answer of the API and pages, nor any `.error` file of
//! the watched folder, nor the CLI's stderr may hold a patient's name, date of birth (any spelling)
//! or MRN, nor any 30-character stretch of a note's text; error messages give positions instead
//! (offsets, lines and columns, JSON paths, segment numbers). Stdout of the CLI and the successful
//! answers of the server are the product (they quote the note as evidence) and are not checked.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_interspace");
/// Log level of every run: the most verbose there is, so that `debug` is covered too.
const RUST_LOG: &str = "trace";
/// A stretch of note text this long in a log line is a leak.
const WINDOW: usize = 30;
const PASSWORD: &str = "phi-logs-admin-password-7";

// ---------------------------------------------------------------------------------------------
// The patients

const FIRST: &[&str] = &[
    "Ottoline",
    "Barnabus",
    "Evangeline",
    "Leopoldine",
    "Thaddeus",
    "Percival",
    "Wilhelmina",
    "Ignatius",
    "Clementine",
    "Florentin",
    "Gwendolyn",
    "Augustin",
    "Rosalind",
    "Cornelius",
    "Seraphina",
    "Maximilian",
    "Philippa",
];
const LAST_STEM: &[&str] =
    &["Bram", "Quil", "Thorn", "Vex", "Zell", "Marr", "Kest", "Orv", "Pell", "Wynd", "Drax", "Gorm", "Yarl"];
const LAST_END: &[&str] = &["ington", "worth", "ovich", "ani", "stead", "berg", "ley", "ard", "escu"];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// One note of the corpus with a patient header put in front.
struct Patient {
    /// `lumbar-001`.
    id: String,
    first: String,
    last: String,
    mrn: String,
    /// (year, month, day)
    dob: (u32, u32, u32),
    /// Header and note.
    text: String,
}

impl Patient {
    fn new(i: usize, id: String, note: &str) -> Patient {
        assert!(i < LAST_STEM.len() * LAST_END.len(), "more notes than synthetic surnames");
        let first = FIRST[i % FIRST.len()].to_string();
        let last = format!("{}{}", LAST_STEM[i % LAST_STEM.len()], LAST_END[i / LAST_STEM.len()]);
        let mrn = format!("{}", 40_123_457 + i * 523_457);
        let dob = (1930 + (i as u32 * 7) % 60, 1 + i as u32 % 12, 1 + (i as u32 * 11) % 28);
        let (y, m, d) = dob;
        let header = match i % 4 {
            0 => format!("Patient: {first} {last}\nDOB: {m:02}/{d:02}/{y}\nMRN: {mrn}\n"),
            1 => format!(
                "PATIENT NAME: {}, {}\nDate of birth: {y}-{m:02}-{d:02}\nMedical record number: {mrn}\n",
                last.to_uppercase(),
                first.to_uppercase()
            ),
            2 => format!("Patient: {last}, {first}     DOB {m}/{d}/{y}     MRN {mrn}\n"),
            _ => format!(
                "Name: {first} {last}\nDate of Birth: {} {d}, {y}\nMedical Record Number: {mrn}\n",
                MONTHS[m as usize - 1]
            ),
        };
        Patient { id, first, last, mrn, dob, text: format!("{header}\n{note}") }
    }

    fn dob_compact(&self) -> String {
        let (y, m, d) = self.dob;
        format!("{y}{m:02}{d:02}")
    }

    fn dob_iso(&self) -> String {
        let (y, m, d) = self.dob;
        format!("{y}-{m:02}-{d:02}")
    }

    /// Every spelling of the date of birth.
    fn dobs(&self) -> Vec<String> {
        let (y, m, d) = self.dob;
        vec![
            format!("{m:02}/{d:02}/{y}"),
            format!("{m}/{d}/{y}"),
            self.dob_iso(),
            self.dob_compact(),
            format!("{} {d}, {y}", MONTHS[m as usize - 1]),
        ]
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The corpus notes, each with its patient, in file-name order.
fn patients() -> Vec<Patient> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(workspace().join("corpus/notes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 50, "the corpus should hold the annotated notes");
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let id = f.file_stem().unwrap().to_string_lossy().into_owned();
            Patient::new(i, id, &std::fs::read_to_string(f).unwrap())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// What must not appear

/// Lower case, JSON and Debug escapes of whitespace and quotes undone, ANSI colours dropped, runs
/// of whitespace as one space: a note's text and a log line compare alike.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        let c = match c {
            '\u{1b}' => {
                // CSI … final byte
                if chars.peek() == Some(&'[') {
                    for x in chars.by_ref() {
                        if x.is_ascii_alphabetic() {
                            break;
                        }
                    }
                }
                continue;
            }
            '\\' => match chars.peek() {
                Some('n' | 'r' | 't') => {
                    chars.next();
                    ' '
                }
                Some('"' | '\\') => chars.next().unwrap(),
                _ => c,
            },
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Byte windows of `WINDOW` bytes starting and ending on character boundaries.
fn windows(s: &str) -> impl Iterator<Item = (usize, &str)> {
    (0..s.len().saturating_sub(WINDOW - 1)).filter_map(move |i| s.get(i..i + WINDOW).map(|w| (i, w)))
}

struct Phi {
    /// (lower-case value, what it is); numbers must not touch other digits to count.
    values: Vec<(String, String)>,
    /// Every `WINDOW`-byte stretch of every note (normalized) with enough letters to be prose.
    windows: HashSet<String>,
}

impl Phi {
    fn new(patients: &[Patient]) -> Phi {
        let mut values = Vec::new();
        for p in patients {
            values.push((p.first.to_lowercase(), format!("first name of {}", p.id)));
            values.push((p.last.to_lowercase(), format!("surname of {}", p.id)));
            values.push((p.mrn.clone(), format!("MRN of {}", p.id)));
            for d in p.dobs() {
                values.push((d.to_lowercase(), format!("date of birth of {}", p.id)));
            }
        }
        values.extend(corpus_headers(patients));
        let mut windows = HashSet::new();
        for p in patients {
            let n = normalize(&p.text);
            for (_, w) in self::windows(&n) {
                if w.bytes().filter(u8::is_ascii_alphabetic).count() >= 12 {
                    windows.insert(w.to_string());
                }
            }
        }
        Phi { values, windows }
    }

    /// What of it `text` holds, with some context for the failure message.
    fn find(&self, text: &str) -> Vec<String> {
        let n = normalize(text);
        let mut found = Vec::new();
        let context = |at: usize, len: usize| {
            let start = n.floor_char_boundary(at.saturating_sub(60));
            let end = n.ceil_char_boundary((at + len + 60).min(n.len()));
            n[start..end].to_string()
        };
        for (value, what) in &self.values {
            // A number counts alone, not as digits of another one (`elapsed_secs=0.40123457`).
            let numeric = value.bytes().all(|b| b.is_ascii_digit() || b == b'-');
            let digit = |i: Option<usize>| i.and_then(|i| n.as_bytes().get(i)).is_some_and(u8::is_ascii_digit);
            for (at, _) in n.match_indices(value.as_str()) {
                let end = at + value.len();
                let before = at.checked_sub(1);
                let fraction = before.is_some_and(|b| n.as_bytes()[b] == b'.') && digit(at.checked_sub(2));
                if numeric && (digit(Some(end)) || digit(before) || fraction) {
                    continue;
                }
                found.push(format!("{what} `{value}`: …{}…", context(at, value.len())));
                break;
            }
        }
        let mut last_end = 0;
        for (at, w) in windows(&n) {
            if at >= last_end && self.windows.contains(w) {
                found.push(format!("note text `{w}`: …{}…", context(at, WINDOW)));
                last_end = at + WINDOW;
            }
        }
        found
    }

    /// Fails with every leak of every source.
    fn assert_clean(&self, sources: &[(String, String)]) {
        let mut report = String::new();
        let mut total = 0;
        for (name, text) in sources {
            let found = self.find(text);
            total += found.len();
            for f in found.iter().take(5) {
                let _ = writeln!(report, "{name}: {f}");
            }
            if found.len() > 5 {
                let _ = writeln!(report, "{name}: … and {} more", found.len() - 5);
            }
        }
        assert!(total == 0, "{total} leak(s) of PHI or note text:\n{report}");
    }
}

/// The names, MRNs and dates of birth the corpus notes already carry in their own headers
/// (`Patient: Whitcomb, Darlene K.`, `MRN 2219-0447`, `DOB 9/2/1961`, `Record #: 6612093`).
fn corpus_headers(patients: &[Patient]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in patients {
        // Skip our own header: the corpus's starts after the blank line.
        let note = p.text.split_once("\n\n").map_or("", |x| x.1);
        for line in note.lines().take(15) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let mut k = 0;
            while k < words.len() {
                let w = words[k].to_ascii_lowercase();
                let w = w.trim_end_matches([':', '.', ';', ',']);
                if matches!(w, "mrn" | "mr#" | "#" | "dob" | "record" | "birth")
                    && let Some(value) = words[k + 1..].iter().find(|v| v.bytes().any(|b| b.is_ascii_digit()))
                {
                    let value = value.trim_matches(|c: char| !c.is_ascii_alphanumeric());
                    if value.bytes().filter(u8::is_ascii_digit).count() >= 5 {
                        out.push((value.to_ascii_lowercase(), format!("MRN or DOB in the header of {}", p.id)));
                    }
                }
                if w == "patient" && words[k].ends_with(':') {
                    let label = |v: &&&str| {
                        let v = v.to_ascii_lowercase();
                        ["mrn", "mr#", "dob", "date", "birth", "record", "age", "sex", "acct", "account", "dos"]
                            .iter()
                            .any(|l| v.starts_with(l))
                    };
                    for name in words[k + 1..].iter().take_while(|v| !label(v)) {
                        let name = name.trim_matches(|c: char| !c.is_alphabetic());
                        if name.chars().count() >= 4 && name.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                        {
                            out.push((name.to_lowercase(), format!("patient name in the header of {}", p.id)));
                        }
                    }
                }
                k += 1;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The server

/// The server process; killed when dropped, also when a test fails.
struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
    key: String,
    /// Error answers (status ≥ 400) as `(what, body)`.
    errors: Vec<(String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    body: Vec<u8>,
}

impl Response {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Server {
    fn start(dir: &Path) -> Server {
        let port = free_port();
        let db = format!("sqlite://{}", dir.join("queue.db").display());
        let log = std::fs::File::create(dir.join("server.log")).unwrap();
        let child = Command::new(BIN)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db", &db, "--create-admin", "admin"])
            .arg("--watch")
            .arg(dir.join("watch"))
            .env("RUST_LOG", RUST_LOG)
            .env("INTERSPACE_PASSWORD", PASSWORD)
            .env_remove("INTERSPACE_DB")
            .env_remove("INTERSPACE_DATA")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut server = Server { child, port, dir: dir.to_path_buf(), key: String::new(), errors: Vec::new() };
        let started = Instant::now();
        loop {
            if let Ok(r) = server.try_request("GET", "/healthz", &[], b"")
                && r.status == 200
            {
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited with {status}:\n{}", server.log());
            }
            assert!(started.elapsed() < Duration::from_secs(90), "the server did not start:\n{}", server.log());
            std::thread::sleep(Duration::from_millis(100));
        }
        let out = Command::new(BIN)
            .args(["user", "key", "admin", "--db", &db])
            .env("RUST_LOG", RUST_LOG)
            .env("INTERSPACE_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::write(dir.join("user-key.stderr"), &out.stderr).unwrap();
        server.key = String::from_utf8(out.stdout).unwrap().trim().to_string();
        assert!(server.key.starts_with("isk_"), "{}", server.key);
        server
    }

    fn log(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(self.dir.join("server.log")).unwrap_or_default()).into_owned()
    }

    /// Sends `head` and `body` as they are and reads the answer (the connection is closed after it).
    fn raw(&self, head: &str, body: &[u8]) -> std::io::Result<Response> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(60)))?;
        s.write_all(head.as_bytes())?;
        // A body over the limit is refused from its Content-Length: the server may answer and close
        // before it is all sent.
        // (The write half stays open: hyper drops a half-closed connection without answering.)
        let _ = s.write_all(body);
        let mut buf = Vec::new();
        s.read_to_end(&mut buf)?;
        let split = buf.windows(4).position(|w| w == b"\r\n\r\n").ok_or(std::io::ErrorKind::UnexpectedEof)?;
        let head = String::from_utf8_lossy(&buf[..split]).to_ascii_lowercase();
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut body = buf[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = dechunk(&body);
        }
        Ok(Response { status, body })
    }

    fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Response> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (k, v) in headers {
            let _ = write!(head, "{k}: {v}\r\n");
        }
        if !self.key.is_empty() {
            let _ = write!(head, "Authorization: Bearer {}\r\n", self.key);
        }
        let _ = write!(head, "Content-Length: {}\r\n\r\n", body.len());
        self.raw(&head, body)
    }

    /// Sends a request; an error answer is kept for the checks.
    fn request(&mut self, what: &str, method: &str, path: &str, content_type: &str, body: &[u8]) -> Response {
        let headers: &[(&str, &str)] = if content_type.is_empty() { &[] } else { &[("Content-Type", content_type)] };
        let r = self.try_request(method, path, headers, body).unwrap_or_else(|e| panic!("{what}: {e}"));
        self.keep(what, &r);
        r
    }

    fn keep(&mut self, what: &str, r: &Response) {
        if r.status >= 400 {
            self.errors.push((format!("error answer of {what} ({})", r.status), r.text()));
        }
    }

    fn post_json(&mut self, what: &str, path: &str, body: &Value) -> Response {
        self.request(what, "POST", path, "application/json", body.to_string().as_bytes())
    }

    fn get(&mut self, what: &str, path: &str) -> Response {
        self.request(what, "GET", path, "", b"")
    }

    fn multipart(&mut self, what: &str, path: &str, fields: &[(&str, Option<&str>, &[u8])]) -> Response {
        const BOUNDARY: &str = "phi-logs-boundary-5b1d";
        let mut body = Vec::new();
        for (name, file, value) in fields {
            let _ = write!(body, "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"");
            if let Some(f) = file {
                let _ = write!(body, "; filename=\"{f}\"\r\nContent-Type: text/plain");
            }
            let _ = write!(body, "\r\n\r\n");
            body.extend_from_slice(value);
            let _ = write!(body, "\r\n");
        }
        let _ = write!(body, "--{BOUNDARY}--\r\n");
        self.request(what, "POST", path, &format!("multipart/form-data; boundary={BOUNDARY}"), &body)
    }

    fn form(&mut self, what: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = fields.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect::<Vec<_>>().join("&");
        self.request(what, "POST", path, "application/x-www-form-urlencoded", body.as_bytes())
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 || eol + 2 + size > body.len() {
            break;
        }
        out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
        body = &body[(eol + 4 + size).min(body.len())..];
    }
    out
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An X12 837P of one claim whose subscriber (the patient) is named, born and numbered like `p`.
fn x12_claim(p: &Patient, claim_id: &str, code: &str) -> String {
    let body = [
        "ST*837*0001*005010X222A1".to_string(),
        "BHT*0019*00*PHIBATCH*20250304*1200*CH".into(),
        "NM1*41*2*TESTBILLING SERVICE*****46*TESTSUB01".into(),
        "PER*IC*TEST CONTACT*TE*5555550100".into(),
        "NM1*40*2*TESTCLEARINGHOUSE*****46*TESTRCV01".into(),
        "HL*1**20*1".into(),
        "PRV*BI*PXC*207XS0117X".into(),
        "NM1*85*2*TESTSPINE SURGERY GROUP*****XX*1234567893".into(),
        "N3*100 TEST AVENUE".into(),
        "N4*TESTCITY*AL*352010000".into(),
        "REF*EI*123456789".into(),
        "HL*2*1*22*0".into(),
        "SBR*P*18*******MB".into(),
        format!("NM1*IL*1*{}*{}****MI*{}", p.last.to_uppercase(), p.first.to_uppercase(), p.mrn),
        "N3*1 TEST LANE".into(),
        "N4*TESTCITY*AL*352010000".into(),
        format!("DMG*D8*{}*F", p.dob_compact()),
        "NM1*PR*2*MEDICARE PART B*****PI*10112".into(),
        format!("CLM*{claim_id}*6700***21:B:1*Y*A*Y*Y"),
        "DTP*472*D8*20250304".into(),
        format!("REF*EA*{}", p.mrn),
        "HI*ABK:M50122*ABF:M4722".into(),
        "NM1*82*1*TESTSURGEON*OSCAR****XX*1234567893".into(),
        "LX*1".into(),
        format!("SV1*HC:{code}*4500*UN*1***1:2"),
        "DTP*472*D8*20250304".into(),
        "LX*2".into(),
        "SV1*HC:22853*1800*UN*1***1".into(),
        "DTP*472*D8*20250304".into(),
    ];
    let mut out = String::from(
        "ISA*00*          *00*          *ZZ*TESTSUBMIT     *ZZ*TESTRECEIVE    *250304*1200*^*00501*000000101*0*T*:~\n\
         GS*HC*TESTSUBMIT*TESTRECEIVE*20250304*1200*101*X*005010X222A1~\n",
    );
    for s in &body {
        out.push_str(s);
        out.push_str("~\n");
    }
    let _ = write!(out, "SE*{}*0001~\nGE*1*101~\nIEA*1*000000101~\n", body.len() + 1);
    out
}

/// A FHIR R4 Claim whose patient is `p`, in the fields where EHRs put it.
fn fhir_claim(p: &Patient, claim_id: &str) -> Value {
    json!({
        "resourceType": "Claim",
        "id": claim_id,
        "status": "active",
        "use": "claim",
        "patient": {
            "reference": format!("Patient/{}", p.mrn),
            "display": format!("{}, {}", p.last, p.first),
            "identifier": {"type": {"text": "MRN"}, "value": p.mrn},
        },
        "contained": [{
            "resourceType": "Patient",
            "id": p.mrn,
            "name": [{"family": p.last, "given": [p.first]}],
            "birthDate": p.dob_iso(),
            "identifier": [{"type": {"text": "Medical record number"}, "value": p.mrn}],
        }],
        "billablePeriod": {"start": "2025-03-04"},
        "created": "2025-03-04",
        "insurer": {"display": "MEDICARE PART B"},
        "provider": {"display": "TESTSPINE SURGERY GROUP"},
        "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [
            {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M48.062"}]}}],
        "item": [{"sequence": 1, "productOrService": {"coding": [
            {"system": "http://www.ama-assn.org/go/cpt", "code": "63047"}]}, "servicedDate": "2025-03-04",
            "diagnosisSequence": [1]}],
    })
}

/// Watched-folder file names as practices write them: with the patient's name, MRN or birth date.
fn watched_name(i: usize, p: &Patient) -> String {
    match i % 3 {
        0 => format!("{}, {} {}.txt", p.last, p.first, p.mrn),
        1 => format!("{}_{}_DOB_{}.txt", p.last.to_uppercase(), p.first.to_uppercase(), p.dob_compact()),
        _ => format!("{} {} op note.txt", p.mrn, p.last),
    }
}

/// Bytes of a note that is not valid UTF-8 after the patient header.
fn invalid_utf8(p: &Patient) -> Vec<u8> {
    let mut bytes = p.text.as_bytes().to_vec();
    let at = bytes.len() / 2;
    bytes.insert(at, 0xFF);
    bytes
}

#[test]
fn the_server_logs_and_error_answers_hold_no_phi() {
    let patients = patients();
    let phi = Phi::new(&patients);
    let dir = tempfile::tempdir().unwrap();
    let watch = dir.path().join("watch");
    let staging = dir.path().join("staging");
    std::fs::create_dir_all(&watch).unwrap();
    std::fs::create_dir_all(&staging).unwrap();
    let mut s = Server::start(dir.path());

    // The watched folder: every note under a name that identifies the patient, and broken notes.
    // Files are written elsewhere and moved in, so that the watcher never sees half a file.
    let mut dropped = 0;
    let mut drop_file = |name: String, bytes: &[u8]| {
        std::fs::write(staging.join(&name), bytes).unwrap();
        std::fs::rename(staging.join(&name), watch.join(&name)).unwrap();
        dropped += 1;
    };
    for (i, p) in patients.iter().enumerate() {
        drop_file(watched_name(i, p), p.text.as_bytes());
    }
    let p = &patients[0];
    drop_file(format!("{} {} {} (corrupt).txt", p.last, p.first, p.mrn), &invalid_utf8(p));
    let p = &patients[1];
    let mut binary = p.text.as_bytes().to_vec();
    binary.extend_from_slice(b"\0\0\x01\x02");
    drop_file(format!("{}, {} scan.txt", p.last, p.first), &binary);
    let p = &patients[2];
    drop_file(format!("{} {} empty.txt", p.last, p.mrn), b"   \n");

    let mut cases = Vec::new();
    for (i, p) in patients.iter().enumerate() {
        let what = |route: &str| format!("{route} of {}", p.id);
        let r = s.post_json(&what("analyze"), "/api/v1/analyze", &json!({"text": p.text}));
        assert_eq!(r.status, 200, "{}", r.text());
        let r = s.post_json(&what("notes/check"), "/api/v1/notes/check", &json!({"text": p.text, "year": 2025}));
        assert_eq!(r.status, 200, "{}", r.text());
        let r = s.post_json(
            &what("prior-auth"),
            "/api/v1/prior-auth",
            &json!({"text": p.text, "diagnoses": ["M43.16", "M48.062"]}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        // A title naming the patient, against the advice: it must not reach the log either.
        let title = format!("{}, {} MRN {}", p.last, p.first, p.mrn);
        let r = s.post_json(&what("case submission"), "/api/v1/cases", &json!({"title": title, "text": p.text}));
        assert_eq!(r.status, 200, "{}", r.text());
        let case = r.json();
        cases.push((case["id"].as_str().unwrap().to_string(), case["version"].as_i64().unwrap(), i));
    }

    // Case work on every fourth case: open, assign, decide lines with reasons naming the patient,
    // add a line, finalize, read the audit trail, the pages and the exports.
    for (id, version, i) in cases.into_iter().filter(|(_, _, i)| i % 4 == 0) {
        let p = &patients[i];
        let what = |route: &str| format!("{route} of case {id} ({})", p.id);
        let reason = format!("discussed with {} {} (MRN {}, DOB {})", p.first, p.last, p.mrn, p.dobs()[0]);
        assert_eq!(s.get(&what("open"), &format!("/api/v1/cases/{id}")).status, 200);
        let r =
            s.post_json(&what("assign"), &format!("/api/v1/cases/{id}/assign"), &json!({"expected_version": version}));
        assert_eq!(r.status, 200, "{}", r.text());
        let lines = r.json()["lines"].as_array().cloned().unwrap_or_default();
        for (k, line) in lines.iter().enumerate() {
            let position = line["position"].as_u64().unwrap();
            let body = match k % 3 {
                0 => json!({"action": "accept"}),
                1 => json!({"action": "adjust", "line": line["token"], "reason": reason}),
                _ => json!({"action": "remove", "reason": reason}),
            };
            let r = s.post_json(&what("line decision"), &format!("/api/v1/cases/{id}/lines/{position}"), &body);
            assert_eq!(r.status, 200, "{}", r.text());
        }
        let r = s.post_json(
            &what("add line"),
            &format!("/api/v1/cases/{id}/lines"),
            &json!({"line": "69990", "reason": reason}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let version = r.json()["version"].as_i64().unwrap();
        // Refused: a malformed line (with a reason naming the patient), and a stale version.
        s.post_json(
            &what("bad line"),
            &format!("/api/v1/cases/{id}/lines"),
            &json!({"line": "22633-", "reason": reason}),
        );
        s.post_json(&what("stale finalize"), &format!("/api/v1/cases/{id}/finalize"), &json!({"expected_version": 0}));
        let r = s.post_json(
            &what("finalize"),
            &format!("/api/v1/cases/{id}/finalize"),
            &json!({"expected_version": version}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(s.get(&what("audit"), &format!("/api/v1/cases/{id}/audit")).status, 200);
        assert_eq!(s.get(&what("case page"), &format!("/cases/{id}")).status, 200);
        assert_eq!(s.get(&what("claim export"), &format!("/cases/{id}/claim.json")).status, 200);
    }
    assert_eq!(s.get("case list", "/api/v1/cases").status, 200);
    assert_eq!(s.get("case list page", "/cases").status, 200);
    assert_eq!(s.get("CSV export", "/cases/export.csv").status, 200);
    assert_eq!(s.get("audit page", "/audit").status, 200);

    // Pages that take a note or a claim (an API key needs no CSRF token), and claims to scrub that
    // carry the patient, on every eighth note.
    for (i, p) in patients.iter().enumerate().filter(|(i, _)| i % 8 == 0) {
        let what = |route: &str| format!("{route} of {}", p.id);
        let file = format!("{} {} {}.txt", p.last, p.first, p.mrn);
        let r =
            s.multipart(&what("analyze page"), "/analyze", &[("csrf", None, b""), ("note", None, p.text.as_bytes())]);
        assert_eq!(r.status, 200);
        let r = s.multipart(
            &what("analyze page upload"),
            "/analyze",
            &[("csrf", None, b""), ("file", Some(&file), p.text.as_bytes())],
        );
        assert_eq!(r.status, 200);
        let r = s.form(&what("check page"), "/check", &[("csrf", ""), ("note", &p.text)]);
        assert_eq!(r.status, 200);
        let r = s.multipart(
            &what("case upload page"),
            "/cases",
            &[("csrf", None, b""), ("title", None, file.as_bytes()), ("file", Some(&file), p.text.as_bytes())],
        );
        assert!(r.status == 303 || r.status == 200, "{}", r.status);
        let claim_id = format!("phi-{i}");
        let r = s.request(
            &what("scrub 837P"),
            "POST",
            "/api/v1/scrub",
            "text/plain",
            x12_claim(p, &claim_id, "22551").as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let r = s.request(
            &what("scrub FHIR"),
            "POST",
            "/api/v1/scrub",
            "application/json",
            fhir_claim(p, &claim_id).to_string().as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let r = s.form(&what("scrub page"), "/scrub", &[("csrf", ""), ("claim", &x12_claim(p, &claim_id, "22551"))]);
        assert_eq!(r.status, 200);
        // Broken claims that carry the patient.
        let r = s.request(
            &what("scrub bad 837P"),
            "POST",
            "/api/v1/scrub",
            "text/plain",
            x12_claim(p, &claim_id, "2255").as_bytes(),
        );
        assert_eq!(r.status, 400, "{}", r.text());
        assert!(r.text().contains("segment"), "{}", r.text());
        let json_claim = json!({"claim_id": claim_id, "date_of_service": "2025-03-04", "lines": ["63047"],
            "patient_name": format!("{}, {}", p.last, p.first), "date_of_birth": p.dob_iso(), "mrn": p.mrn});
        let r = s.request(
            &what("scrub JSON claim with patient fields"),
            "POST",
            "/api/v1/scrub",
            "application/json",
            json_claim.to_string().as_bytes(),
        );
        assert_eq!(r.status, 400, "{}", r.text());
        let mut bad = fhir_claim(p, &claim_id);
        bad["insurer"] = json!(format!("MEDICARE PART B, subscriber {} {} member {}", p.first, p.last, p.mrn));
        let r = s.request(
            &what("scrub mistyped FHIR"),
            "POST",
            "/api/v1/scrub",
            "application/json",
            bad.to_string().as_bytes(),
        );
        assert_eq!(r.status, 400, "{}", r.text());
        let mut bytes = x12_claim(p, &claim_id, "22551").into_bytes();
        bytes.insert(bytes.len() / 2, 0xFE);
        let r = s.request(&what("scrub invalid UTF-8"), "POST", "/api/v1/scrub", "text/plain", &bytes);
        assert_eq!(r.status, 400, "{}", r.text());
    }

    // Bad requests holding PHI: the answer and the log must not quote them.
    for p in patients.iter().take(6) {
        let what = |route: &str| format!("{route} of {}", p.id);
        let name = format!("{}, {}", p.last, p.first);
        let mut body = json!({"text": p.text}).to_string().into_bytes();
        body.insert(body.len() / 2, 0xFF);
        let r = s.request(&what("analyze invalid UTF-8"), "POST", "/api/v1/analyze", "application/json", &body);
        assert_eq!(r.status, 400);
        assert!(r.text().contains("line 1 column"), "the place of the error: {}", r.text());
        let body = json!({"text": p.text}).to_string();
        let r = s.request(
            &what("analyze truncated JSON"),
            "POST",
            "/api/v1/analyze",
            "application/json",
            &body.as_bytes()[..body.len() / 2],
        );
        assert_eq!(r.status, 400);
        assert!(r.text().contains("line 1 column"), "the place of the error: {}", r.text());
        let r = s.post_json(&what("analyze mistyped field"), "/api/v1/analyze", &json!({"text": p.text, "year": name}));
        assert_eq!(r.status, 422);
        assert!(r.text().contains("year: invalid type: string, expected i16 at line 1 column"), "{}", r.text());
        let r = s.post_json(
            &what("analyze unknown field"),
            "/api/v1/analyze",
            &json!({"text": p.text, "patient": name, "dob": p.dob_iso()}),
        );
        assert!(r.status == 400 || r.status == 422, "{}", r.status);
        let r = s.post_json(
            &what("analyze note as object"),
            "/api/v1/analyze",
            &json!({"text": {"patient": name, "mrn": p.mrn, "note": p.text}}),
        );
        assert!(r.status == 400 || r.status == 422, "{}", r.status);
        let r = s.post_json(
            &what("prior-auth mistyped diagnoses"),
            "/api/v1/prior-auth",
            &json!({"text": p.text, "diagnoses": format!("M48.062 {name} {}", p.mrn)}),
        );
        assert!(r.status == 400 || r.status == 422, "{}", r.status);
        let r = s.post_json(
            &what("case with a numeric title"),
            "/api/v1/cases",
            &json!({"title": p.mrn.parse::<u64>().unwrap(), "text": p.text}),
        );
        assert!(r.status == 400 || r.status == 422, "{}", r.status);
        let r = s.post_json(
            &what("check with a mistyped year"),
            "/api/v1/notes/check",
            &json!({"text": p.text, "year": p.dob_iso()}),
        );
        assert!(r.status == 400 || r.status == 422, "{}", r.status);
        let r = s.request(&what("analyze as plain text"), "POST", "/api/v1/analyze", "text/plain", p.text.as_bytes());
        assert_eq!(r.status, 415);
        // A note over the note limit but under the body limit, and a body over the body limit.
        let big = p.text.repeat(interspace_formats::note::MAX_NOTE_BYTES / p.text.len() + 1);
        let r = s.post_json(&what("analyze oversized note"), "/api/v1/analyze", &json!({"text": big}));
        assert_eq!(r.status, 413, "{}", r.text());
        let head = format!(
            "POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            s.key,
            64 * 1024 * 1024
        );
        // Only the start of the body: the server answers from the Content-Length.
        let body = json!({"text": p.text}).to_string();
        let r = s.raw(&head, &body.as_bytes()[..body.len().min(2048)]).unwrap();
        assert_eq!(r.status, 413, "{}", r.text());
        s.keep(&what("analyze over the body limit"), &r);
        let mut file = invalid_utf8(p);
        let r = s.multipart(
            &what("upload invalid UTF-8"),
            "/cases",
            &[("csrf", None, b""), ("title", None, name.as_bytes()), ("file", Some(&name), &file)],
        );
        assert_eq!(r.status, 400);
        assert!(r.text().contains("offset"), "the place of the error: {}", r.text());
        file.retain(|b| *b != 0xFF);
        file.push(0);
        let r = s.multipart(
            &what("analyze page binary upload"),
            "/analyze",
            &[("csrf", None, b""), ("file", Some(&name), &file)],
        );
        assert_eq!(r.status, 400);
        let r = s.get(&what("search for the patient"), &format!("/api/v1/search?q={}", urlencode(&name)));
        assert_eq!(r.status, 200);
    }

    // The watched folder takes every note, refuses the broken ones and says why in `.error` files.
    let started = Instant::now();
    let moved = |sub: &str| {
        std::fs::read_dir(watch.join(sub)).map_or(0, |d| {
            d.filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "txt"))).count()
        })
    };
    while moved("submitted") + moved("failed") < dropped {
        assert!(started.elapsed() < Duration::from_secs(60), "the watched folder is not emptied:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(moved("submitted"), patients.len());
    assert_eq!(moved("failed"), 3);
    let mut sources: Vec<(String, String)> = Vec::new();
    for e in std::fs::read_dir(watch.join("failed")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "error") {
            sources.push((format!("watched folder {}", path.display()), std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert_eq!(sources.len(), 3);
    assert!(sources.iter().any(|(_, m)| m.contains("offset")), "{sources:?}");
    // The log line of a watched note comes right after its move.
    let logged = |what: &str| normalize(&s.log()).matches(what).count();
    while logged("watched note submitted") < patients.len() || logged("watched note refused") < 3 {
        assert!(started.elapsed() < Duration::from_secs(90), "the watched notes are not logged:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(100));
    }

    drop_server_and_check(s, sources, &phi, patients.len());
}

fn drop_server_and_check(s: Server, mut sources: Vec<(String, String)>, phi: &Phi, notes: usize) {
    let dir = s.dir.clone();
    let errors = s.errors.clone();
    drop(s);
    let log = String::from_utf8_lossy(&std::fs::read(dir.join("server.log")).unwrap()).into_owned();
    let key_stderr = std::fs::read_to_string(dir.join("user-key.stderr")).unwrap();
    // The log is real: debug and trace lines, every request with its path and status.
    let plain = normalize(&log);
    let analyzed = plain.matches("path=/api/v1/analyze").count();
    assert!(analyzed >= notes, "{analyzed} log lines of /api/v1/analyze requests:\n{log}");
    for expected in [
        "debug",
        "trace",
        "status=200",
        "status=413",
        "status=400",
        "path=/api/v1/cases",
        "path=/api/v1/scrub",
        "watched note submitted",
        "watched note refused",
    ] {
        assert!(plain.contains(expected), "the log has no `{expected}`:\n{log}");
    }
    assert!(errors.len() > 50, "{} error answers", errors.len());
    sources.push(("server log".into(), log));
    sources.push(("`interspace user key` stderr".into(), key_stderr));
    sources.extend(errors);
    phi.assert_clean(&sources);
}

// ---------------------------------------------------------------------------------------------
// The CLI

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", RUST_LOG)
        .env_remove("INTERSPACE_DATA")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn the_cli_stderr_holds_no_phi() {
    let patients = patients();
    let phi = Phi::new(&patients);
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    for p in &patients {
        std::fs::write(notes.join(format!("{}.txt", p.id)), &p.text).unwrap();
    }
    let gold = workspace().join("corpus/gold.csv");
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut keep = |what: String, out: &Output, ok: bool| {
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if ok {
            assert!(matches!(code, Some(0 | 1)), "{what}: exit {code:?}\n{stderr}");
        } else {
            assert_eq!(code, Some(2), "{what}: {stderr}");
            assert!(stderr.starts_with("error: "), "{what}: {stderr}");
        }
        sources.push((format!("stderr of {what}"), stderr.clone()));
        stderr
    };

    let path = |p: &Path| p.display().to_string();
    let out = run(&["analyze", &path(&notes), "--json"], dir.path());
    keep("analyze --json".into(), &out, true);
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports.as_array().map(Vec::len), Some(patients.len()));
    keep("analyze".into(), &run(&["analyze", &path(&notes)], dir.path()), true);
    keep("eval".into(), &run(&["eval", "--notes", &path(&notes), "--gold", &path(&gold)], dir.path()), true);
    for p in patients.iter().step_by(patients.len().div_ceil(4)) {
        let note = path(&notes.join(format!("{}.txt", p.id)));
        keep(format!("check {}", p.id), &run(&["check", &note], dir.path()), true);
        keep(format!("inspect {}", p.id), &run(&["inspect", &note], dir.path()), true);
    }
    for p in patients.iter().filter(|p| p.id.starts_with("lumbar")).step_by(12) {
        let note = path(&notes.join(format!("{}.txt", p.id)));
        keep(format!("prior-auth {}", p.id), &run(&["prior-auth", &note, "--diagnosis", "M43.16"], dir.path()), true);
    }

    // Claims that carry the patient.
    let claims = dir.path().join("claims");
    std::fs::create_dir_all(&claims).unwrap();
    let mut good = Vec::new();
    for (i, p) in patients.iter().enumerate().step_by(10) {
        let x12 = claims.join(format!("claim-{i}.x12"));
        std::fs::write(&x12, x12_claim(p, &format!("phi-{i}"), "22551")).unwrap();
        let fhir = claims.join(format!("claim-{i}.fhir.json"));
        std::fs::write(&fhir, fhir_claim(p, &format!("phi-{i}")).to_string()).unwrap();
        good.push(path(&x12));
        good.push(path(&fhir));
    }
    let mut args = vec!["scrub"];
    args.extend(good.iter().map(String::as_str));
    keep("scrub".into(), &run(&args, dir.path()), true);

    // Bad files holding PHI: refused with the place, not the content.
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let p = &patients[3];
    let name = format!("{}, {}", p.last, p.first);
    let mut cases: Vec<(&str, &str, Vec<u8>, &[&str])> = vec![
        ("analyze", "invalid-utf8.txt", invalid_utf8(p), &["offset", "line"]),
        ("check", "binary.txt", [p.text.as_bytes(), b"\0\x01"].concat(), &["binary"]),
        ("prior-auth", "utf16.txt", p.text.encode_utf16().flat_map(u16::to_le_bytes).collect(), &["UTF-16"]),
        (
            "analyze",
            "huge.txt",
            p.text.repeat(interspace_formats::note::MAX_NOTE_BYTES / p.text.len() + 1).into_bytes(),
            &["bytes"],
        ),
        (
            "analyze",
            "truncated.json",
            json!({"resourceType": "DocumentReference", "subject": {"display": name}, "content": p.text})
                .to_string()
                .as_bytes()[..p.text.len() / 2]
                .to_vec(),
            &["line", "column"],
        ),
        (
            "analyze",
            "content-as-text.json",
            json!({"resourceType": "DocumentReference", "subject": {"display": name}, "content": p.text})
                .to_string()
                .into_bytes(),
            &["content"],
        ),
        (
            "check",
            "bad-base64.json",
            json!({"resourceType": "DocumentReference", "subject": {"display": name},
                "content": [{"attachment": {"contentType": "text/plain", "data": p.text}}]})
            .to_string()
            .into_bytes(),
            &["base64"],
        ),
        (
            "analyze",
            "pid-first.hl7",
            format!("PID|1||{}^^^MRN||{}^{}||{}|F\rOBX|1|TX|||{}\r", p.mrn, p.last, p.first, p.dob_compact(), p.first)
                .into_bytes(),
            &["segment 1"],
        ),
        (
            "analyze",
            "bad-obx.hl7",
            format!(
                "MSH|^~\\&|EHR|HOSP|||20250304||MDM^T02|1|P|2.5\rPID|1||{}^^^MRN||{}^{}||{}|F\rOBX|1|ED|||{}\r",
                p.mrn,
                p.last,
                p.first,
                p.dob_compact(),
                p.text.replace('\n', "\\.br\\")
            )
            .into_bytes(),
            &["segment 3"],
        ),
    ];
    let mut claim_cases: Vec<(&str, &str, Vec<u8>, &[&str])> = vec![
        ("scrub", "bad-code.x12", x12_claim(p, "phi-bad", "2255").into_bytes(), &["segment"]),
        (
            "scrub",
            "patient-fields.json",
            json!({"claim_id": "phi-bad", "date_of_service": "2025-03-04", "lines": ["63047"],
                "patient_name": name, "date_of_birth": p.dob_iso(), "mrn": p.mrn})
            .to_string()
            .into_bytes(),
            &["unknown field"],
        ),
        (
            "scrub",
            "truncated-claim.json",
            json!({"claim_id": "phi-bad", "patient": name, "mrn": p.mrn, "dob": p.dob_iso(), "lines": ["63047"]})
                .to_string()
                .as_bytes()[..40]
                .to_vec(),
            &["line 1, column"],
        ),
        (
            "scrub",
            "invalid-utf8.x12",
            {
                let mut b = x12_claim(p, "phi-bad", "22551").into_bytes();
                b.insert(b.len() / 2, 0xFF);
                b
            },
            &["offset"],
        ),
    ];
    cases.append(&mut claim_cases);
    // An HL7 message with the patient that reads well: the PID segment is never part of the note.
    let hl7 = bad.join("with-pid.hl7");
    std::fs::write(
        &hl7,
        format!(
            "MSH|^~\\&|EHR|HOSP|||20250304||MDM^T02|1|P|2.5\rPID|1||{}^^^MRN||{}^{}||{}|F\rTXA|1|OP|TX|||||||||DOC-1\rOBX|1|TX|||{}\r",
            p.mrn,
            p.last,
            p.first,
            p.dob_compact(),
            patients[3].text.split_once("\n\n").unwrap().1.replace('\n', "\\.br\\")
        ),
    )
    .unwrap();
    let out = run(&["analyze", &path(&hl7), "--json"], dir.path());
    keep("analyze with-pid.hl7".into(), &out, true);
    let report = String::from_utf8_lossy(&out.stdout).to_lowercase();
    assert!(!report.contains(&p.last.to_lowercase()) && !report.contains(&p.mrn), "PID is not note text");
    for (command, file, bytes, place) in cases {
        let f = bad.join(file);
        std::fs::write(&f, bytes).unwrap();
        let stderr = keep(format!("{command} {file}"), &run(&[command, &path(&f)], dir.path()), false);
        for x in place {
            assert!(stderr.contains(x), "{command} {file}: the error gives no `{x}`:\n{stderr}");
        }
    }
    phi.assert_clean(&sources);
}
