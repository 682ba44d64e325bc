//! Problems found in input, located in the file a person edits.

use std::fmt;

/// Where a record came from: a file (as the user named it) and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Location {
    /// The file as the user named it (or an embedded dataset's file name).
    pub file: String,
    /// 1-based; 0 when there is no line to point at (a whole file, a web request).
    pub line: u32,
}

impl Location {
    /// A location in `file` at `line`.
    pub fn new(file: impl Into<String>, line: u32) -> Location {
        Location {
            file: file.into(),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// How serious a problem is: errors stop a run, warnings are printed and the run goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used: the run stops.
    Error,
    /// Suspicious but usable: reported, and the run goes on.
    Warning,
}

/// One problem: `file:line: field: what is wrong — how to fix it`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Whether the run can go on.
    pub severity: Severity,
    /// Where the problem is.
    pub location: Location,
    /// The column or key at fault (`capacity`, `policy.avoid_blocs`).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl Diagnostic {
    /// An error at `location`: the run stops.
    pub fn error(
        location: &Location,
        field: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            location: location.clone(),
            field: field.into(),
            message: message.into(),
            help: help.into(),
        }
    }

    /// A warning at `location`: reported, the run goes on.
    pub fn warning(
        location: &Location,
        field: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, field, message, help)
        }
    }

    /// Whether the run must stop.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        write!(
            f,
            "{}: {tag}{}: {}",
            self.location, self.field, self.message
        )?;
        if !self.help.is_empty() {
            write!(f, " — {}", self.help)?;
        }
        Ok(())
    }
}
