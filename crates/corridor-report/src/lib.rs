#![warn(missing_docs, unreachable_pub)]

//! Renders results: aligned text tables with units in every header "for humans", CSV and JSON "for
//! computers"; GeoJSON of the network and of flows ([`geojson`]), SVG maps with Natural Earth country
//! outlines ([`map`]) and charts ([`svg`]), and a self-contained HTML report ([`html`]).
//! Rendering returns strings; the caller decides where they go (only the CLI prints).
//!
//! ```
//! use corridor_report::{row, sheets, Align, Cell, Table};
//! let mut t = Table::new("Routes", &[("route", Align::Left), ("volume (Mt/y)", Align::Right)]);
//! t.push(row!["BTC", Cell::volume(1.5004)]);
//! assert!(t.to_text(false).contains(" 1.500\n"));
//! assert!(sheets::typed(&t).to_csv().contains("BTC,1.5004"));
//! ```

mod basemap;
mod bbox;
pub mod labels;
mod observed;
pub mod records;
mod resilience;
mod tables;

pub mod flows;
pub mod geojson;
pub mod html;
pub mod map;
pub mod sheets;
pub mod svg;

pub use observed::*;
pub use resilience::*;
pub use tables::*;

/// How a column lines up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text starts at the column's left edge (words).
    Left,
    /// Text ends at the column's right edge (figures).
    Right,
}

/// One cell of a display table: the text people read and, for a figure, the number computers get.
///
/// A figure keeps its exact value beside its rounded text so that CSV, xlsx and JSON carry the same
/// number; nothing parses the text back. A cell reads as its text (`Deref<Target = str>`) wherever text is
/// wanted: aligned tables, HTML.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Words, or several figures in one phrase (`containers 35.714, cargo 4.500`).
    Text(String),
    /// A figure: `value` in the unit its column names (in the header, or in a unit column of the row),
    /// scaled like `text`; `unit` is what `text` writes after the number (`%`, `/t`), if anything.
    Figure {
        /// The exact number computers get, in the unit the column names.
        value: f64,
        /// What `text` writes after the number (`%`, `/t`); empty for nothing.
        unit: String,
        /// The rounded figure people read.
        text: String,
    },
    /// No figure where a column has them: `—` for people, an empty cell for computers.
    Missing,
}

impl Cell {
    /// A figure shown as `text`, which writes no unit after the number.
    pub fn figure(value: f64, text: impl Into<String>) -> Cell {
        Cell::Figure {
            value,
            unit: String::new(),
            text: text.into(),
        }
    }

    /// A figure shown as `text`, which writes `unit` after the number (`43.00 /t`).
    pub fn figure_in(value: f64, unit: impl Into<String>, text: impl Into<String>) -> Cell {
        Cell::Figure {
            value,
            unit: unit.into(),
            text: text.into(),
        }
    }

    /// A volume, shown with three decimals ([`volume`]).
    pub fn volume(v: f64) -> Cell {
        Cell::figure(v, volume(v))
    }

    /// A share, shown and written as a percentage (`5.5 %`; the machine value is 5.5 in a `[%]` column).
    pub fn percent(share: f64) -> Cell {
        Cell::figure_in(share * 100.0, "%", percent(share))
    }

    /// US dollars, shown with two decimals.
    pub fn usd(v: f64) -> Cell {
        Cell::figure(v, usd(v))
    }

    /// US dollars in a column headed in millions (`MUSD`): the value is in millions too.
    pub fn musd(v: f64) -> Cell {
        Cell::figure(v / 1e6, musd(v))
    }

    /// A whole number: a rank, a count, a year.
    pub fn integer(n: impl Into<i64>) -> Cell {
        let n = n.into();
        Cell::figure(n as f64, n.to_string())
    }

    /// What people read.
    pub fn text(&self) -> &str {
        match self {
            Cell::Text(t) | Cell::Figure { text: t, .. } => t,
            Cell::Missing => "—",
        }
    }
}

impl std::ops::Deref for Cell {
    type Target = str;
    fn deref(&self) -> &str {
        self.text()
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

/// A table row: each item becomes a [`Cell`] (strings as text, cells as they are).
#[macro_export]
macro_rules! row {
    ($($cell:expr),* $(,)?) => {
        vec![$($crate::Cell::from($cell)),*]
    };
}

/// A titled table of cells.
#[derive(Clone, Debug)]
pub struct Table {
    /// Printed above the table.
    pub title: String,
    /// One per column, units included (`volume (Mt/y)`).
    pub headers: Vec<String>,
    /// One per column.
    pub align: Vec<Align>,
    /// The cells, one per column in each row.
    pub rows: Vec<Vec<Cell>>,
    /// Lines printed under the table (units, notes).
    pub notes: Vec<String>,
}

impl Table {
    /// An empty table with these (header, alignment) columns.
    pub fn new(title: impl Into<String>, columns: &[(&str, Align)]) -> Table {
        Table {
            title: title.into(),
            headers: columns.iter().map(|c| c.0.to_string()).collect(),
            align: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a row (see [`row!`]).
    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// Adds a line printed under the table.
    pub fn note(&mut self, line: impl Into<String>) {
        self.notes.push(line.into());
    }

    /// Aligned text; `color` makes the title bold and the header dim using ANSI escapes.
    pub fn to_text(&self, color: bool) -> String {
        let n = self.headers.len();
        let mut width: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(n) {
                width[i] = width[i].max(cell.chars().count());
            }
        }
        let (bold, dim, reset) = if color {
            ("\x1b[1m", "\x1b[2m", "\x1b[0m")
        } else {
            ("", "", "")
        };
        let line = |cells: &[&str]| -> String {
            let mut out = String::new();
            for (i, &w) in width.iter().enumerate().take(n) {
                let cell = cells.get(i).copied().unwrap_or("");
                let pad = w - cell.chars().count();
                if i > 0 {
                    out.push_str("  ");
                }
                match self.align[i] {
                    Align::Left if i + 1 == n => out.push_str(cell),
                    Align::Left => {
                        out.push_str(cell);
                        out.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        out.push_str(&" ".repeat(pad));
                        out.push_str(cell);
                    }
                }
            }
            out.trim_end().to_string()
        };
        let mut out = format!("{bold}{}{reset}\n", self.title);
        let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        out.push_str(&format!("{dim}{}{reset}\n", line(&headers)));
        let total: usize = width.iter().sum::<usize>() + 2 * n.saturating_sub(1);
        out.push_str(&format!("{dim}{}{reset}\n", "─".repeat(total)));
        if self.rows.is_empty() {
            out.push_str("(none)\n");
        }
        for row in &self.rows {
            let cells: Vec<&str> = row.iter().map(Cell::text).collect();
            out.push_str(&line(&cells));
            out.push('\n');
        }
        for note in &self.notes {
            out.push_str(note);
            out.push('\n');
        }
        out
    }

    /// CSV of the text people read, with a header row (for tables of words, such as diagnostics; figures
    /// for computers go through [`sheets::typed`]).
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail, and every row is padded to the header's length.
        let _ = writer.write_record(&self.headers);
        for row in &self.rows {
            let mut cells: Vec<&str> = row.iter().map(Cell::text).collect();
            cells.resize(self.headers.len(), "");
            let _ = writer.write_record(&cells);
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Several tables as text, separated by blank lines.
pub fn tables_to_text(tables: &[Table], color: bool) -> String {
    tables
        .iter()
        .map(|t| t.to_text(color))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Several tables as CSV blocks: each block starts with a `# title` line and ends with a blank line.
/// Figures are exact numbers, their unit in the header ([`sheets::typed`]).
pub fn tables_to_csv(tables: &[Table]) -> String {
    tables
        .iter()
        .map(|t| format!("# {}\n{}", t.title, sheets::typed(t).to_csv()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Pretty JSON with numbers rounded to the precision the data carries ([`round_data`]).
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(mut v) => {
            round_numbers(&mut v);
            serde_json::to_string_pretty(&v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        }
        Err(e) => format!("{{\"error\": \"{e}\"}}"),
    }
}

/// `x` to 12 significant digits: the precision the data carries, without the binary round-off of sums
/// (`0.39999999999999997` is `0.4`), and no `-0`. Every machine format (JSON, CSV, xlsx) writes figures through it.
pub fn round_data(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    // Adding zero turns a `-0` left by round-off into `0`.
    format!("{x:.11e}").parse().unwrap_or(x) + 0.0
}

fn round_numbers(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(x) = n.as_f64() {
                if let Some(r) = serde_json::Number::from_f64(round_data(x)) {
                    *n = r;
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(round_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(round_numbers),
        _ => {}
    }
}

/// A volume with three decimals (Mt/y resolves to a thousand tonnes).
pub fn volume(v: f64) -> String {
    grouped(&format!("{:.3}", if v.abs() < 5e-4 { 0.0 } else { v }))
}

/// Digits in groups of three with commas from 10,000 up (`26,744.5`); smaller numbers as they are.
fn grouped(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    if int.len() < 5 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + int.len() / 3);
    out.push_str(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A share as a percentage with one decimal.
pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// US dollars with two decimals.
pub fn usd(v: f64) -> String {
    format!("{:.2}", v)
}

/// Large dollar amounts in millions with one decimal.
pub fn musd(v: f64) -> String {
    grouped(&format!("{:.1}", v / 1e6))
}

#[cfg(test)]
mod json_tests {
    #[test]
    fn large_numbers_are_grouped_in_threes() {
        assert_eq!(super::musd(26_744_515_000.0), "26,744.5");
        assert_eq!(super::musd(-2_289_485_000.0), "-2289.5");
        assert_eq!(super::volume(468_500.0), "468,500.000");
        assert_eq!(super::volume(1234.5), "1234.500");
        assert_eq!(super::musd(-12_345_600_000.0), "-12,345.6");
    }

    #[test]
    fn json_numbers_lose_their_binary_round_off_only() {
        let v = serde_json::json!({"share": 0.1 + 0.2, "volume": 0.39999999999999997, "teu": 468500, "small": 1.5e-7});
        let text = super::to_json(&v);
        assert!(text.contains("\"share\": 0.3,"), "{text}");
        assert!(text.contains("\"volume\": 0.4"), "{text}");
        assert!(text.contains("\"teu\": 468500"), "{text}");
        assert!(text.contains("\"small\": 1.5e-7"), "{text}");
    }
}
