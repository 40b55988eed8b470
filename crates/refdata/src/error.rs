//! Errors that say where a data file is wrong: file, line, column, and how to fix it.

use std::fmt;

/// One problem in one data file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    /// The file as the user knows it (`data/2025/pfs_rvu.csv` or an import path).
    pub file: String,
    /// 1-based line in the file, when the problem is on a line.
    pub line: Option<u64>,
    /// 1-based column number and header name, when the problem is in a field.
    pub column: Option<(usize, String)>,
    /// What is wrong, and how to fix it where that is not obvious.
    pub message: String,
}

impl DataError {
    /// A problem with the file as a whole.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> DataError {
        DataError { file: file.into(), line: None, column: None, message: message.into() }
    }

    /// A problem on one line.
    pub fn line(file: impl Into<String>, line: u64, message: impl Into<String>) -> DataError {
        DataError { file: file.into(), line: Some(line), column: None, message: message.into() }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some((n, name)) = &self.column {
            write!(f, ": column {n} `{name}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DataError {}

/// Every problem found while loading or importing, so a user fixes them all in one pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataErrors(pub Vec<DataError>);

/// How many problems one file may report before the rest are summarised.
pub(crate) const MAX_ERRORS_PER_FILE: usize = 25;

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DataErrors {}

impl From<DataError> for DataErrors {
    fn from(e: DataError) -> Self {
        DataErrors(vec![e])
    }
}
