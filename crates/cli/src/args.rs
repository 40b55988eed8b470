//! Command-line arguments. Help texts are written for coders: what the command shows, with an
//! example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "interspace",
    version,
    about = "Spine-surgery procedure coding: code pages, Medicare pricing, note analysis and claim scrubbing",
    long_about = None,
    after_help = "Examples:\n  interspace code 22586\n  interspace price 22633 22853 22840 20936 --locality 10112-00\n  interspace search presacral\n  interspace data list"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Folder of imported CMS data that overlays the built-in data, table by table
    #[arg(long, global = true, env = "INTERSPACE_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Show a code's reference page: description, RVUs, payment, rules, denial reasons, FAQ
    #[command(after_help = "Examples:\n  interspace code 22586\n  interspace code 22633 --locality 05302-02 --json")]
    Code(CodeArgs),

    /// Price claim lines under the Medicare physician fee schedule
    #[command(
        after_help = "Line syntax: CODE[-MOD…][xUNITS], e.g. 22558-62, 63047x2, 63030-50\n\nExamples:\n  interspace price 22633 22853 22840 20936\n  interspace price 22558-62 22585-62 --locality 10112-00 --year 2026 --apm"
    )]
    Price(PriceArgs),

    /// Code operative notes: findings with evidence, CPT lines, ICD-10-PCS, documentation gaps, price
    #[command(
        after_help = "Examples:\n  interspace analyze corpus/notes/lumbar-001.txt\n  interspace analyze corpus/notes --json > reports.json"
    )]
    Analyze(AnalyzeArgs),

    /// Show how a note was read: sections, sentences, levels and concepts with their context
    Inspect(InspectArgs),

    /// Score the analyzer against gold codes: precision, recall, F1, exact match, misses and extras
    #[command(after_help = "Example:\n  interspace eval --notes corpus/notes --gold corpus/gold.csv")]
    Eval(EvalArgs),

    /// Show a glossary term (ALIF, TLIF, interspace, vertebral segment, …)
    Term(TermArgs),

    /// Search codes and glossary terms by number, word or synonym
    Search(SearchArgs),

    /// Check claims before submission: NCCI PTP/MUE/add-on edits, global periods, modifiers,
    /// spine policy, diagnoses; then the payment after the edits
    #[command(after_help = "Each file is X12 837P (ISA envelope), FHIR R4 Claim/Bundle JSON, or the JSON claim schema
(docs/claim-schema.md). Exit code 1 when an error-severity edit fires.

Examples:
  interspace scrub claim.json
  interspace scrub batch.837 --json > edits.json")]
    Scrub(ScrubArgs),

    /// Medical-necessity packet for a lumbar fusion note under LCD L37848
    #[command(
        name = "prior-auth",
        after_help = "Example:
  interspace prior-auth note.txt --diagnosis M43.16 --diagnosis M48.062"
    )]
    PriorAuth(PriorAuthArgs),

    /// Ask a spine-coding question; answered offline from the knowledge base and CMS data, with sources
    #[command(
        after_help = "Exit code 1 when the knowledge base cannot answer.\n\nExamples:\n  interspace ask \"can I bill 22840 with 22586\"\n  interspace ask \"how do I code a two-level ALIF at L4-L5 and L5-S1\"\n  interspace ask \"price of 22633 in Alabama\""
    )]
    Ask(AskArgs),

    /// Check a draft note before signing: missing documentation elements and contradictions
    #[command(after_help = "Exit code 1 when something is missing.\n\nExample:\n  interspace check draft.txt")]
    Check(CheckArgs),

    /// Patient-facing procedure explainers (ACDF, TLIF, kyphoplasty, …)
    #[command(after_help = "Examples:
  interspace explain
  interspace explain acdf")]
    Explain(ExplainArgs),

    /// Measure throughput: notes/s and MB/s (one thread and all cores), claims/s, start-up, memory
    #[command(
        after_help = "Examples:\n  interspace bench --notes corpus/notes --count 10000 --claims crates/edits/tests/claims\n  interspace bench --notes corpus/notes corpus/holdout corpus/holdout2 --min-bytes 4000 --count 20000\n\nCycle many different notes: a processor that sees the same few notes again and again learns\ntheir branches, and the figures come out higher than on a stream of new notes."
    )]
    Bench(BenchArgs),

    /// Run the web application and JSON API
    #[command(
        after_help = "The work queue is an SQLite file by default (created on first start); give a PostgreSQL URL for teams.\n\nExamples:\n  INTERSPACE_PASSWORD=… interspace serve --create-admin admin\n  interspace serve --addr 0.0.0.0:8443 --db postgres://interspace@db/interspace --tls-cert cert.pem --tls-key key.pem"
    )]
    Serve(ServeArgs),

    /// Manage users and API keys of the work queue
    #[command(subcommand)]
    User(UserCommand),

    /// List, check and import CMS reference data
    #[command(subcommand)]
    Data(DataCommand),
}

#[derive(Debug, Args)]
pub(crate) struct BenchArgs {
    /// Folders of .txt notes, cycled to --count notes
    #[arg(long, num_args = 1.., default_value = "corpus/notes")]
    pub notes: Vec<PathBuf>,
    /// Only the notes of at least this many bytes
    #[arg(long, default_value_t = 0, value_name = "BYTES")]
    pub min_bytes: usize,
    /// Notes to analyze
    #[arg(long, default_value_t = 10_000)]
    pub count: usize,
    /// Folder of JSON claims, cycled to --claims-count claims
    #[arg(long)]
    pub claims: Option<PathBuf>,
    #[arg(long, default_value_t = 100_000)]
    pub claims_count: usize,
    /// Also run a peer program on the same notes and print how many times faster Interspace is
    /// on one core: it is run as `PEER NOTE_FILE… --repeat N` and must print `notes_per_s=…`
    /// (`tools/medspacy_peer.py`, which needs `pip install medspacy==1.3.1`)
    #[arg(long, value_name = "PROGRAM")]
    pub peer: Option<PathBuf>,
    /// Passes of the peer over the notes
    #[arg(long, default_value_t = 3)]
    pub peer_repeat: usize,
    /// Print the figures as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DbArgs {
    /// Work-queue database: sqlite://FILE or postgres://…
    #[arg(long, env = "INTERSPACE_DB", default_value = "sqlite://interspace.db", value_name = "URL")]
    pub db: String,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    pub addr: std::net::SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    /// Let anonymous visitors read the reference pages (codes, glossary, explainers, search)
    #[arg(long)]
    pub public_reference: bool,
    /// PEM certificate chain: serve HTTPS (with --tls-key)
    #[arg(long, requires = "tls_key", value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert
    #[arg(long, requires = "tls_cert", value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// Mark cookies Secure (set when a TLS proxy sits in front)
    #[arg(long)]
    pub secure_cookies: bool,
    /// Folder watched for .txt notes to submit as cases
    #[arg(long, value_name = "DIR")]
    pub watch: Option<PathBuf>,
    /// Create (or reset) this admin user at start; the password comes from INTERSPACE_PASSWORD
    #[arg(long, value_name = "USERNAME")]
    pub create_admin: Option<String>,
    /// Requests served at once; beyond that the server answers 503 at once
    #[arg(long, default_value_t = 256)]
    pub max_in_flight: usize,
    /// Log as JSON lines (no request bodies or note text are ever logged)
    #[arg(long)]
    pub log_json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Create or reset an admin user (password from INTERSPACE_PASSWORD or the first line of stdin)
    Admin {
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Add a user (password from INTERSPACE_PASSWORD or the first line of stdin)
    Add {
        username: String,
        /// coder, reviewer or admin
        #[arg(long, default_value = "coder")]
        role: String,
        /// Name shown in the application [default: the username]
        #[arg(long)]
        display_name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create an API key for a user; the key is printed once and stored only as a hash
    Key {
        username: String,
        #[arg(long, default_value = "api")]
        label: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List users
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ScrubArgs {
    /// Claim files (837P, FHIR Claim JSON, or JSON claim schema)
    #[arg(required = true, value_name = "CLAIM")]
    pub claims: Vec<PathBuf>,
    /// Override every line's date of service (YYYY-MM-DD)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<jiff::civil::Date>,
    /// Price as a qualifying APM participant
    #[arg(long)]
    pub apm: bool,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PriorAuthArgs {
    /// The operative or clinic note (text, FHIR DocumentReference, HL7v2)
    pub note: PathBuf,
    /// An ICD-10-CM diagnosis of the case; repeat for each
    #[arg(long = "diagnosis", value_name = "ICD-10-CM")]
    pub diagnosis: Vec<String>,
    /// Calendar year of service
    #[arg(long)]
    pub year: Option<i16>,
    /// Print the packet as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct AskArgs {
    /// The question, in plain words
    #[arg(required = true)]
    pub question: Vec<String>,
    /// Print the answer as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The draft note (text, FHIR DocumentReference, HL7v2)
    pub note: PathBuf,
    /// Calendar year of service
    #[arg(long)]
    pub year: Option<i16>,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Procedure id or name (acdf, tlif-plif, XLIF, …); none lists them
    pub procedure: Option<String>,
    /// Print the explainer as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CodeArgs {
    /// The CPT code, e.g. 22586
    pub code: String,
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// Print the page as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PricingArgs {
    /// Calendar year of service [default: newest year with its own RVU file]
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i16>,
    /// Medicare payment locality as MAC-LOCALITY, e.g. 10112-00 (Alabama)
    #[arg(long, value_name = "MAC-LOC")]
    pub locality: Option<String>,
    /// Price as a qualifying APM participant (from 2026 CMS publishes a second conversion factor)
    #[arg(long)]
    pub apm: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PriceArgs {
    /// Claim lines: CODE[-MOD…][xUNITS]
    #[arg(required = true, value_name = "LINE")]
    pub lines: Vec<String>,
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// Practice-expense setting: facility (hospital, ASC) or nonfacility (office)
    #[arg(long, value_enum, default_value_t = SettingArg::Facility)]
    pub setting: SettingArg,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum SettingArg {
    Facility,
    Nonfacility,
}

#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    /// Note files or folders of notes (.txt, FHIR DocumentReference .json, HL7v2 .hl7)
    #[arg(required = true, value_name = "NOTE|DIR")]
    pub inputs: Vec<std::path::PathBuf>,
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// Price with non-facility practice expense (office)
    #[arg(long)]
    pub nonfacility: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Same as --format json
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    Text,
    Json,
    Fhir,
}

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// A note file
    pub note: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Folder of notes (`<note_id>.txt`)
    #[arg(long, value_name = "DIR")]
    pub notes: std::path::PathBuf,
    /// Gold codes: CSV with columns note_id,cpt_codes (space-separated CODE[-MOD…][xUNITS])
    #[arg(long, value_name = "FILE.csv")]
    pub gold: std::path::PathBuf,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TermArgs {
    /// The term, its abbreviation or a synonym, e.g. alif, "vertebral segment", AxiaLIF
    pub term: String,
    /// Print the entry as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// Words, a code or a code prefix
    pub query: String,
    /// How many results to show
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print the results as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DataCommand {
    /// List the loaded years, their tables, versions and caveats
    List,
    /// Check the knowledge base against the loaded data (references, figures, coverage)
    Check,
    /// Import official CMS files for a year into the data folder
    #[command(
        after_help = "Each file may be in the layout CMS publishes (title and header rows included) or in\nInterspace's normalized CSV. Only spine-family codes are kept unless --all-codes is given.\n\nExample:\n  interspace data import --year 2026 --pfs PPRRVU26_JAN.csv --gpci GPCI2026.csv --locco 26LOCCO.csv \\\n      --ptp ccipra-v321r0-f1.txt --ptp ccipra-v321r0-f2.txt --mue MCR_MUE_PractitionerServices_Eff_01-01-2026.csv"
    )]
    Import(Box<ImportArgs>),
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// Calendar year the files apply to
    #[arg(long, required = true)]
    pub year: i16,
    /// Folder to write to [default: --data, $INTERSPACE_DATA, or ./interspace-data]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// PFS Relative Value File (PPRRVU…csv)
    #[arg(long, value_name = "FILE")]
    pub pfs: Option<PathBuf>,
    /// GPCI file (GPCI….csv, Addendum E)
    #[arg(long, value_name = "FILE")]
    pub gpci: Option<PathBuf>,
    /// Locality–county crosswalk (…LOCCO.csv), imported with --gpci
    #[arg(long, value_name = "FILE", requires = "gpci")]
    pub locco: Option<PathBuf>,
    /// NCCI practitioner PTP edit file(s); repeat for each of CMS's files
    #[arg(long, value_name = "FILE")]
    pub ptp: Vec<PathBuf>,
    /// NCCI practitioner MUE file
    #[arg(long, value_name = "FILE")]
    pub mue: Option<PathBuf>,
    /// NCCI add-on code edit file
    #[arg(long, value_name = "FILE")]
    pub aoc: Option<PathBuf>,
    /// OPPS Addendum B
    #[arg(long, value_name = "FILE")]
    pub opps: Option<PathBuf>,
    /// ASC Addendum AA
    #[arg(long, value_name = "FILE")]
    pub asc: Option<PathBuf>,
    /// Keep every code instead of only the spine family
    #[arg(long)]
    pub all_codes: bool,
}
