//! Located diagnostics.

use std::fmt;

/// One problem in a DIMACS file: where it is, what is wrong, and how to fix it.
///
/// Displayed as `line N: message — help`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message} — {help}")]
pub struct DimacsError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, e.g. "arc head 7 is out of range".
    pub message: String,
    /// How to fix it, e.g. "node ids run from 1 to 4, as declared on the `p` line (line 2)".
    pub help: String,
}

impl DimacsError {
    pub(crate) fn new(line: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        DimacsError {
            line,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// Every problem found in a file, in line order; never empty.
///
/// A single error displays as that error; several display as a count followed by one error
/// per line (at most [`ParseError::SHOWN`] of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The problems, sorted by line.
    pub errors: Vec<DimacsError>,
}

impl ParseError {
    /// How many errors `Display` lists before summarising the rest.
    pub const SHOWN: usize = 20;

    pub(crate) fn from_errors(mut errors: Vec<DimacsError>) -> Self {
        // A stable sort keeps errors of the same line in the order they were found.
        errors.sort_by_key(|e| e.line);
        ParseError { errors }
    }

    /// The first error by line.
    pub fn first(&self) -> Option<&DimacsError> {
        self.errors.first()
    }
}

impl From<DimacsError> for ParseError {
    fn from(e: DimacsError) -> Self {
        ParseError { errors: vec![e] }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.as_slice() {
            [] => write!(f, "invalid DIMACS input"),
            [only] => write!(f, "{only}"),
            all => {
                write!(f, "{} errors in the DIMACS input:", all.len())?;
                for e in all.iter().take(Self::SHOWN) {
                    write!(f, "\n{e}")?;
                }
                if all.len() > Self::SHOWN {
                    write!(f, "\n… and {} more", all.len() - Self::SHOWN)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ParseError {}
