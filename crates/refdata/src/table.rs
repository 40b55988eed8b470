//! Strict CSV reading: the header must name exactly the expected columns, and every field error
//! carries its file, line and column.

use std::cell::RefCell;
use std::str::FromStr;
use std::sync::Arc;

use foldhash::HashSet;
use rust_decimal::Decimal;

use crate::error::{DataError, DataErrors, MAX_ERRORS_PER_FILE};

/// One record of a CSV file being read, with enough context to locate an error.
pub(crate) struct Row<'r, 't> {
    file: &'r str,
    /// The file's line counter, asked only when a reader or an error wants the line: most
    /// tables' rows never do.
    lines: &'r RefCell<Lines<'t>>,
    record: &'r csv::StringRecord,
    /// For each expected column, its position in the record.
    positions: &'r [usize],
    columns: &'r [&'r str],
}

impl<'r> Row<'r, '_> {
    /// The 1-based line of this record.
    pub(crate) fn line(&self) -> u64 {
        self.lines.borrow_mut().of(self.record.position())
    }

    fn index(&self, column: &str) -> usize {
        // Readers name a column with the same literal their column list holds, which the compiler
        // stores once: comparing addresses finds it without comparing the names' bytes.
        let same = |c: &&str| std::ptr::eq(c.as_ptr(), column.as_ptr()) && c.len() == column.len();
        self.columns
            .iter()
            .position(same)
            .or_else(|| self.columns.iter().position(|c| *c == column))
            .unwrap_or_else(|| panic!("column `{column}` is not declared for {}", self.file))
    }

    /// The trimmed text of a column.
    pub(crate) fn text(&self, column: &str) -> &'r str {
        let i = self.index(column);
        trimmed(self.record.get(self.positions[i]).unwrap_or(""))
    }

    /// An error located at a column of this record.
    pub(crate) fn error(&self, column: &str, message: impl Into<String>) -> DataError {
        let i = self.index(column);
        DataError {
            file: self.file.to_string(),
            line: Some(self.line()),
            column: Some((self.positions[i] + 1, column.to_string())),
            message: message.into(),
        }
    }

    /// A column that must not be empty.
    pub(crate) fn required(&self, column: &str) -> Result<&'r str, DataError> {
        let t = self.text(column);
        if t.is_empty() { Err(self.error(column, "is empty; every row needs a value here")) } else { Ok(t) }
    }

    /// A column parsed with `FromStr`, with the parser's message on failure.
    pub(crate) fn parse<T>(&self, column: &str) -> Result<T, DataError>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        let t = self.required(column)?;
        t.parse::<T>().map_err(|e| self.error(column, format!("`{t}`: {e}")))
    }

    /// A decimal number such as `26.80`; CMS files never use exponents or thousands separators.
    pub(crate) fn decimal(&self, column: &str) -> Result<Decimal, DataError> {
        let t = self.required(column)?;
        parse_decimal(t).ok_or_else(|| {
            self.error(
                column,
                format!("`{t}` is not a decimal number (expected digits with an optional point, e.g. 26.80)"),
            )
        })
    }

    /// An optional decimal number (empty means absent).
    pub(crate) fn opt_decimal(&self, column: &str) -> Result<Option<Decimal>, DataError> {
        if self.text(column).is_empty() { Ok(None) } else { self.decimal(column).map(Some) }
    }

    /// An ISO date `YYYY-MM-DD`, or empty.
    pub(crate) fn opt_date(&self, column: &str) -> Result<Option<jiff::civil::Date>, DataError> {
        let t = self.text(column);
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<jiff::civil::Date>()
            .map(Some)
            .map_err(|_| self.error(column, format!("`{t}` is not a date (expected YYYY-MM-DD, e.g. 2024-07-01)")))
    }
}

/// The line each csv record starts on. The csv crate counts only `\n`, and after a `\r\n` or blank
/// lines it gives a position before the record (so CMS's CRLF files would be off by one); this
/// counts `\n`, `\r\n` and a lone `\r` as one line end each, up to the record's first byte.
/// Incremental: records come in order.
pub(crate) struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
    /// Whether the text holds a `\r` at all (CMS's CRLF files; most have none).
    has_cr: bool,
}

impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t [u8]) -> Lines<'t> {
        Lines { text, at: 0, line: 1, has_cr: memchr::memchr(b'\r', text).is_some() }
    }

    /// The 1-based line of the record at `position`.
    pub(crate) fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(p) = position else { return self.line };
        let mut b = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(self.text.len());
        while b < self.text.len() && matches!(self.text[b], b'\r' | b'\n') {
            b += 1;
        }
        if b < self.at {
            (self.at, self.line) = (0, 1);
        }
        if self.at < b {
            let ahead = &self.text[self.at..b];
            self.line += memchr::memchr_iter(b'\n', ahead).count() as u64;
            if self.has_cr {
                // A lone `\r` ends a line too; a `\r\n` was counted at its `\n`.
                let lone = |&r: &usize| self.text.get(self.at + r + 1) != Some(&b'\n');
                self.line += memchr::memchr_iter(b'\r', ahead).filter(lone).count() as u64;
            }
            self.at = b;
        }
        self.line
    }
}

/// The shared copy of `text` in `seen`, added there the first time it is asked for.
pub(crate) fn shared(seen: &mut HashSet<Arc<str>>, text: &str) -> Arc<str> {
    if let Some(s) = seen.get(text) {
        return s.clone();
    }
    let s: Arc<str> = text.into();
    seen.insert(s.clone());
    s
}

/// Parses a plain decimal: optional sign, digits, optional fraction. Rejects `1e3`, `1,000`, `NaN`.
pub(crate) fn parse_decimal(t: &str) -> Option<Decimal> {
    let body = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let ok = !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    Decimal::from_str(t).ok()
}

/// `field.trim()`. Most fields begin and end with an ASCII character that is not white space,
/// which `trim` would return whole: those skip its scan of the characters.
fn trimmed(field: &str) -> &str {
    let kept = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !char::from(b).is_whitespace());
    if kept(field.as_bytes().first()) && kept(field.as_bytes().last()) { field } else { field.trim() }
}

/// Reads a whole CSV file whose header must be exactly `columns` (in any order), calling `each`
/// for every record. Errors are collected, not fatal, up to [`MAX_ERRORS_PER_FILE`].
pub(crate) fn read_csv(
    file: &str,
    bytes: &[u8],
    columns: &[&str],
    mut each: impl FnMut(&Row<'_, '_>) -> Result<(), DataError>,
) -> Result<(), DataErrors> {
    let text = decode(file, bytes)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let header =
        reader.headers().map_err(|e| DataError::line(file, 1, format!("cannot read the header row: {e}")))?.clone();
    let positions = check_header(file, &header, columns)?;

    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut skipped = 0usize;
    let lines = RefCell::new(Lines::new(text.as_bytes()));
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines.borrow_mut().of(e.position());
                errors.push(DataError::line(file, line, format!("unreadable CSV record: {e}")));
                break;
            }
        }
        if record.len() != header.len() {
            errors.push(DataError::line(
                file,
                lines.borrow_mut().of(record.position()),
                format!("has {} fields but the header has {}; check for an unquoted comma", record.len(), header.len()),
            ));
        } else {
            let row = Row { file, lines: &lines, record: &record, positions: &positions, columns };
            if let Err(e) = each(&row) {
                errors.push(e);
            }
        }
        if errors.len() > MAX_ERRORS_PER_FILE {
            // Stop reading: a file this wrong is the wrong file, and reading the rest of a large one
            // would only take time.
            skipped += 1;
            break;
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    if skipped > 0 {
        errors.truncate(MAX_ERRORS_PER_FILE);
        errors.push(DataError::file(
            file,
            format!("reading stopped after {MAX_ERRORS_PER_FILE} errors; fix the ones above first"),
        ));
    }
    Err(DataErrors(errors))
}

fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<std::borrow::Cow<'b, str>, DataError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(DataError::file(file, "is UTF-16; save it as UTF-8 CSV and try again"));
    }
    // `contains` searches with memchr; the position is only wanted for the message.
    if bytes.contains(&0)
        && let Some(at) = bytes.iter().position(|b| *b == 0)
    {
        let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64;
        return Err(DataError::line(
            file,
            line,
            "contains NUL bytes: it is binary, or UTF-16 without a byte-order mark; save it as UTF-8 CSV",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(std::borrow::Cow::Borrowed(s)),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64;
            Err(DataError::line(file, line, "is not valid UTF-8; save the file as UTF-8 CSV"))
        }
    }
}

fn check_header(file: &str, header: &csv::StringRecord, columns: &[&str]) -> Result<Vec<usize>, DataErrors> {
    let mut errors = Vec::new();
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    for (i, name) in names.iter().enumerate() {
        if !columns.contains(name) {
            errors.push(DataError {
                file: file.to_string(),
                line: Some(1),
                column: Some((i + 1, (*name).to_string())),
                message: format!("unknown column; expected only: {}", columns.join(", ")),
            });
        } else if names[..i].contains(name) {
            errors.push(DataError {
                file: file.to_string(),
                line: Some(1),
                column: Some((i + 1, (*name).to_string())),
                message: "column appears twice".to_string(),
            });
        }
    }
    let mut positions = Vec::with_capacity(columns.len());
    for c in columns {
        match names.iter().position(|n| n == c) {
            Some(p) => positions.push(p),
            None => errors.push(DataError::line(file, 1, format!("missing column `{c}`"))),
        }
    }
    if errors.is_empty() { Ok(positions) } else { Err(DataErrors(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(bytes: &str) -> Result<Vec<(u64, String)>, DataErrors> {
        let mut out = Vec::new();
        read_csv("t.csv", bytes.as_bytes(), &["a", "b"], |r| {
            r.decimal("b")?;
            out.push((r.line(), r.text("a").to_string()));
            Ok(())
        })?;
        Ok(out)
    }

    proptest::proptest! {
        /// The fast path gives what `trim` gives, white space of every kind at either end.
        #[test]
        fn trimmed_is_trim(field in "[ \t\u{b}\u{85}\u{a0}\u{3000}a1.,é]{0,8}") {
            proptest::prop_assert_eq!(trimmed(&field), field.trim());
        }
    }

    #[test]
    fn reads_rows_in_any_column_order() {
        assert_eq!(collect("b,a\n1.5,x\n2,y\n").unwrap(), vec![(2, "x".into()), (3, "y".into())]);
    }

    #[test]
    fn locates_bad_numbers() {
        let e = collect("a,b\nx,1.5\ny,1e3\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv:3: column 2 `b`: `1e3` is not a decimal number (expected digits with an optional point, e.g. 26.80)"
        );
    }

    #[test]
    fn rejects_unknown_and_missing_columns() {
        let e = collect("a,c\nx,1\n").unwrap_err().to_string();
        assert!(e.contains("column 2 `c`: unknown column"), "{e}");
        assert!(e.contains("missing column `b`"), "{e}");
    }

    #[test]
    fn rejects_utf16_and_ragged_rows() {
        assert!(collect("\u{FEFF}a,b\n").is_ok());
        let e = read_csv("t.csv", b"\xFF\xFEa", &["a"], |_| Ok(())).unwrap_err();
        assert!(e.to_string().contains("UTF-16"));
        let e = collect("a,b\nx,1,2\n").unwrap_err();
        assert!(e.to_string().contains("t.csv:2: has 3 fields"), "{e}");
    }

    #[test]
    fn lines_are_counted_whatever_the_line_ends() {
        for text in ["a,b\nx,1\n\n\ny,1e3\n", "a,b\r\nx,1\r\n\r\n\r\ny,1e3\r\n", "a,b\rx,1\r\r\ry,1e3\r"] {
            let e = collect(text).unwrap_err().to_string();
            assert!(e.starts_with("t.csv:5: column 2 `b`"), "{text:?}: {e}");
        }
    }

    #[test]
    fn plain_decimals_only() {
        for ok in ["0", "26.80", "-1.5", ".5", "5."] {
            assert!(parse_decimal(ok).is_some(), "{ok}");
        }
        for bad in ["", "-", ".", "1e3", "1,000", "NaN", "+1", " 1"] {
            assert!(parse_decimal(bad).is_none(), "{bad}");
        }
    }
}
