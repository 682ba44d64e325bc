//! The one CSV reader (RFC 4180 through the `csv` crate): rows read by column name, line numbers as an
//! editor shows them, and at most [`MAX_DIAGNOSTICS_PER_FILE`] problems per file. Every `*.csv` table of a
//! dataset goes through it.

use corridor_model::units::closest;
use corridor_model::*;
use std::collections::HashMap;

/// One CSV row with its line and the header positions, for reading fields by name.
pub(crate) struct CsvRow<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<String, usize>,
    pub(crate) location: Location,
}

impl CsvRow<'_> {
    pub(crate) fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }
    pub(crate) fn required(&self, column: &str, diags: &mut Vec<Diagnostic>) -> Option<&str> {
        let v = self.get(column);
        if v.is_empty() {
            diags.push(Diagnostic::error(
                &self.location,
                column,
                "empty",
                format!("fill in the `{column}` column"),
            ));
            None
        } else {
            Some(v)
        }
    }
    pub(crate) fn number(&self, column: &str, diags: &mut Vec<Diagnostic>) -> Option<f64> {
        let text = self.required(column, diags)?;
        match text.parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) => {
                diags.push(Diagnostic::error(
                    &self.location,
                    column,
                    format!("`{text}` is not a number"),
                    "write a plain number such as 7.5 (no units or thousands separators)",
                ));
                None
            }
        }
    }
    pub(crate) fn opt_year(&self, column: &str, diags: &mut Vec<Diagnostic>) -> Option<i32> {
        let text = self.get(column);
        if text.is_empty() {
            return None;
        }
        match text.parse::<i32>() {
            Ok(y) if (1800..=2200).contains(&y) => Some(y),
            _ => {
                diags.push(Diagnostic::error(
                    &self.location,
                    column,
                    format!("`{text}` is not a year"),
                    "write a four-digit year such as 2024",
                ));
                None
            }
        }
    }
    pub(crate) fn list(&self, column: &str) -> Vec<String> {
        self.get(column)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
    pub(crate) fn parsed<T: std::str::FromStr<Err = String>>(
        &self,
        column: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        let text = self.required(column, diags)?;
        match text.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                diags.push(Diagnostic::error(
                    &self.location,
                    column,
                    format!("invalid value `{text}`"),
                    e,
                ));
                None
            }
        }
    }
}

/// Line numbers of byte offsets, counting every line end a spreadsheet may write: `\n`, `\r\n` and a
/// lone `\r` (the `csv` crate's own count sees only `\n`). A quoted newline inside a cell starts a line
/// too, as in any editor, so a record is located at the line where it starts.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex { text, starts }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> u32 {
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// The line where a record starts. The `csv` crate places a record after a CRLF line end at the
    /// LF (it ends the previous record at the CR), so line ends at the position are skipped: no record
    /// starts with one.
    fn line_of(&self, position: Option<&csv::Position>) -> u32 {
        let Some(p) = position else { return 1 };
        let bytes = self.text.as_bytes();
        let mut offset = p.byte() as usize;
        while matches!(bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        self.line(offset)
    }
}

/// The one configuration of the `csv` crate's reader: RFC 4180, rows of any length (a row of the wrong
/// length is reported by the caller, at its line, rather than ending the file).
fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// The header and the records of a CSV text as written (cells untrimmed, rows of any length; a record
/// that does not read is left out), for a command that rewrites a file row by row. Nothing is checked:
/// [`read_csv`] reads a table for its meaning.
pub(crate) fn read_records(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = reader(text);
    let header = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let records = reader
        .records()
        .flatten()
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    (header, records)
}

/// Reads a CSV file (RFC 4180: quoted cells may hold commas, quotes and newlines; a UTF-8 byte order mark
/// and CRLF or CR line ends are accepted, and lines are counted as an editor shows them), checks its
/// header against the expected columns, and calls `row` for each record.
///
/// Returns the first cell of every row that could not be read (a wrong number of cells, or the rows a
/// quote left open swallowed), so that a caller can tell "unknown id" cascades from real mistakes.
/// The most problems one CSV file reports before it stops being checked (docs/data-format.md, "Valid ranges").
pub(crate) const MAX_DIAGNOSTICS_PER_FILE: usize = 1000;

pub(crate) fn read_csv(
    file: &str,
    text: &str,
    required: &[&str],
    optional: &[&str],
    diags: &mut Vec<Diagnostic>,
    mut row: impl FnMut(&CsvRow<'_>, &mut Vec<Diagnostic>),
) -> Vec<String> {
    let mut unreadable = Vec::new();
    let header_location = Location::new(file, 1);
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        diags.push(Diagnostic::error(
            &header_location,
            "header",
            "the file is empty",
            format!(
                "the first line must list the column names: {}",
                required.join(",")
            ),
        ));
        return unreadable;
    }
    let mut reader = reader(text);
    let lines = LineIndex::new(text);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(Diagnostic::error(
                &header_location,
                "header",
                format!("cannot read the header: {e}"),
                "the first line must list the column names",
            ));
            return unreadable;
        }
    };
    let mut columns = HashMap::new();
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    for (i, name) in headers.iter().enumerate() {
        let name = name.trim();
        if !known.contains(&name) {
            let help = match closest(name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected columns: {}", known.join(", ")),
            };
            diags.push(Diagnostic::error(
                &header_location,
                name,
                "unknown column",
                help,
            ));
        } else if columns.insert(name.to_string(), i).is_some() {
            diags.push(Diagnostic::error(
                &header_location,
                name,
                "column appears twice",
                "keep one of them",
            ));
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        diags.push(Diagnostic::error(
            &header_location,
            "header",
            format!("missing column(s): {}", missing.join(", ")),
            format!("the header must contain: {}", required.join(", ")),
        ));
        return unreadable;
    }
    let before = diags.len();
    let mut stopped = false;
    for result in reader.records() {
        // A file of bad rows stops being checked after so many problems: the first ones are what to
        // fix, and collecting millions would only cost memory. The ids of the rows not checked are
        // still noted, so other files' references to them do not cascade into errors of their own.
        if !stopped && diags.len() - before >= MAX_DIAGNOSTICS_PER_FILE {
            stopped = true;
            let line = match &result {
                Ok(record) => lines.line_of(record.position()),
                Err(e) => lines.line_of(e.position()),
            };
            diags.push(Diagnostic::error(
                &Location::new(file, line),
                "row",
                format!(
                    "more than {MAX_DIAGNOSTICS_PER_FILE} problems in this file: it is not checked from this row on"
                ),
                "fix the problems above first, then validate again",
            ));
        }
        if stopped {
            if let Ok(record) = &result {
                unreadable.push(record.get(0).unwrap_or("").trim().to_string());
            }
            continue;
        }
        match result {
            Ok(record) => {
                let line = lines.line_of(record.position());
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                if record.len() != headers.len() {
                    unreadable.push(record.get(0).unwrap_or("").trim().to_string());
                    // A quote left open runs to the end of the file: say so, and count the rows it ate.
                    let swallowed = record
                        .get(record.len() - 1)
                        .filter(|last| last.contains('\n') || last.contains('\r'));
                    let message = match swallowed {
                        Some(last) => {
                            unreadable.extend(
                                last.lines()
                                    .skip(1)
                                    .filter_map(|l| l.split(',').next())
                                    .map(|id| id.trim().to_string()),
                            );
                            format!(
                                "row has {} fields but the header has {}: a quote opened on this row is never closed, so the lines below it were read as one cell",
                                record.len(),
                                headers.len()
                            )
                        }
                        None => format!(
                            "row has {} fields but the header has {}",
                            record.len(),
                            headers.len()
                        ),
                    };
                    diags.push(Diagnostic::error(
                        &Location::new(file, line),
                        "row",
                        message,
                        "every row needs one value per column; quote values that contain commas",
                    ));
                    continue;
                }
                let r = CsvRow {
                    record: &record,
                    columns: &columns,
                    location: Location::new(file, line),
                };
                row(&r, diags);
            }
            Err(e) => {
                let line = lines.line_of(e.position());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("row has {len} fields but the header has {expected_len}")
                    }
                    _ => e.to_string(),
                };
                diags.push(Diagnostic::error(
                    &Location::new(file, line),
                    "row",
                    message,
                    "every row needs one value per column; quote values that contain commas",
                ));
            }
        }
    }
    unreadable
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_bad_rows_stops_being_checked_after_a_thousand_problems_but_keeps_its_ids() {
        let mut text = String::from("id,name,value\n");
        for i in 0..20_000 {
            text.push_str(&format!("row-{i},Row,not-a-number\n"));
        }
        let mut diags = Vec::new();
        let mut seen = 0usize;
        let unreadable = read_csv(
            "big.csv",
            &text,
            &["id", "name", "value"],
            &[],
            &mut diags,
            |r, diags| {
                seen += 1;
                let _ = r.number("value", diags);
            },
        );
        assert_eq!(diags.len(), MAX_DIAGNOSTICS_PER_FILE + 1, "capped");
        let last = diags.last().expect("a last diagnostic").to_string();
        assert!(last.contains("not checked from this row on"), "{last}");
        assert!(
            last.starts_with("big.csv:1002:"),
            "the row where checking stopped: {last}"
        );
        assert_eq!(seen, MAX_DIAGNOSTICS_PER_FILE);
        assert_eq!(
            unreadable.len(),
            20_000 - MAX_DIAGNOSTICS_PER_FILE,
            "the rest are known by id"
        );
        assert_eq!(unreadable.last().map(String::as_str), Some("row-19999"));
    }

    /// The lines `read_csv` reports for each record of `text` (columns `id,v`), and its diagnostics.
    fn read(text: &str) -> (Vec<(u32, String)>, Vec<String>) {
        let mut rows = Vec::new();
        let mut diags = Vec::new();
        read_csv("f.csv", text, &["id", "v"], &[], &mut diags, |r, _| {
            rows.push((r.location.line, r.get("v").to_string()));
        });
        (rows, diags.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn csv_lines_are_counted_as_an_editor_shows_them() {
        let expected = vec![
            (2, "1".to_string()),
            (3, "a\nb".to_string()),
            (5, "3".to_string()),
        ];
        // LF, CRLF (spreadsheets), a lone CR (old Mac spreadsheets), with a byte order mark, and a
        // quoted newline (RFC 4180) that moves every later row down one line.
        for text in [
            "id,v\nx,1\ny,\"a\nb\"\nz,3\n",
            "id,v\r\nx,1\r\ny,\"a\nb\"\r\nz,3\r\n",
            "\u{feff}id,v\r\nx,1\r\ny,\"a\nb\"\r\nz,3\r\n",
            "id,v\rx,1\ry,\"a\nb\"\rz,3\r",
        ] {
            let (rows, diags) = read(text);
            assert!(diags.is_empty(), "{text:?}: {diags:?}");
            assert_eq!(rows, expected, "{text:?}");
        }
    }

    #[test]
    fn an_empty_file_and_an_open_quote_say_so() {
        assert_eq!(
            read("\u{feff}\r\n").1,
            ["f.csv:1: header: the file is empty — the first line must list the column names: id,v"]
        );
        let mut diags = Vec::new();
        let unreadable = read_csv(
            "f.csv",
            "id,v,w\nx,\"1,a\ny,2,b\nz,3,c\n",
            &["id", "v", "w"],
            &[],
            &mut diags,
            |_, _| panic!("no row is readable"),
        );
        assert_eq!(unreadable, ["x", "y", "z"]);
        assert_eq!(
            diags.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            ["f.csv:2: row: row has 2 fields but the header has 3: a quote opened on this row is never \
              closed, so the lines below it were read as one cell — every row needs one value per column; \
              quote values that contain commas"]
        );
    }
}
