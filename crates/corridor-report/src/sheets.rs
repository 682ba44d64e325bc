//! Tables for spreadsheets and scripts: figures as exact numbers, the unit in the header, one sheet (or one
//! CSV file) per table.
//!
//! A display table's figures ([`Cell::Figure`]) carry their value beside the rounded text people read.
//! Here each becomes a number rounded only to the precision the data carries ([`round_data`], the rule the
//! JSON follows), in the unit its column names: the header's (`volume (Mt/y)`), a unit column of the row
//! (`unit`), or the unit the text wrote after the number, moved into the header (`share [%]`). A column
//! whose figures write different units after them (`43.00 /t`, `1620.00 /TEU`) gets a unit column of its
//! own beside it.

use crate::{round_data, Cell, Table};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell of a typed table.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A figure, written as a number.
    Number(f64),
    /// Words.
    Text(String),
    /// No value: an empty cell.
    Empty,
}

/// A table with typed cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// The table's title; the xlsx sheet is named after it.
    pub title: String,
    /// One per column, units included.
    pub headers: Vec<String>,
    /// The cells, one per column in each row.
    pub rows: Vec<Vec<Value>>,
    /// Lines under the table (units, notes).
    pub notes: Vec<String>,
}

/// How a column of a display table is written for computers.
enum Layout {
    /// As it is; a unit the figures write after them goes into the header.
    Plain,
    /// The figures' units differ from row to row: they go in a column of their own.
    WithUnitColumn,
}

/// The table with its figures as exact numbers and their unit in the header.
pub fn typed(table: &Table) -> Sheet {
    let width = table.headers.len();
    let cell = |row: &[Cell], c: usize| row.get(c).cloned().unwrap_or(Cell::Missing);
    let value = |cell: &Cell| match cell {
        Cell::Figure { value, .. } => Value::Number(round_data(*value)),
        Cell::Text(t) if !t.trim().is_empty() => Value::Text(t.clone()),
        Cell::Text(_) | Cell::Missing => Value::Empty,
    };
    let mut headers = Vec::new();
    let mut layout = Vec::new();
    for (c, header) in table.headers.iter().enumerate() {
        let mut units: Vec<&str> = table
            .rows
            .iter()
            .filter_map(|row| match row.get(c) {
                Some(Cell::Figure { unit, .. }) => Some(unit.as_str()),
                _ => None,
            })
            .collect();
        units.sort_unstable();
        units.dedup();
        match units[..] {
            [unit] if !unit.is_empty() && !header.contains(unit) => {
                headers.push(format!("{header} [{unit}]"));
                layout.push(Layout::Plain);
            }
            [_, _, ..] => {
                headers.push(header.clone());
                headers.push(format!("{header} unit"));
                layout.push(Layout::WithUnitColumn);
            }
            _ => {
                headers.push(header.clone());
                layout.push(Layout::Plain);
            }
        }
    }
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut out = Vec::with_capacity(headers.len());
            for (c, how) in layout.iter().enumerate().take(width) {
                let cell = cell(row, c);
                out.push(value(&cell));
                if let Layout::WithUnitColumn = how {
                    out.push(match &cell {
                        Cell::Figure { unit, .. } if !unit.is_empty() => Value::Text(unit.clone()),
                        _ => Value::Empty,
                    });
                }
            }
            out
        })
        .collect();
    Sheet {
        title: table.title.clone(),
        headers,
        rows,
        notes: table.notes.clone(),
    }
}

impl Sheet {
    /// RFC 4180 CSV: the header row, then the rows; numbers written in full (the shortest text that reads
    /// back as the same number).
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(&self.headers);
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Value::Number(v) => v.to_string(),
                    Value::Text(t) => t.clone(),
                    Value::Empty => String::new(),
                })
                .collect();
            let _ = writer.write_record(&cells);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// A file name for the table: its title in lower case, words joined by `-` (`routes-used-by-origin`).
    pub fn file_stem(&self) -> String {
        let mut out = String::new();
        for c in self.title.chars() {
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let out = out.trim_end_matches('-');
        // At most 40 characters, cut between words.
        match out.char_indices().nth(40) {
            None => out.to_string(),
            Some((end, _)) => {
                let head = &out[..end];
                head.rfind('-').map_or(head, |i| &head[..i]).to_string()
            }
        }
    }
}

/// Spreadsheet sheet names: at most 31 characters, none of `[]:*?/\`, unique in the workbook.
fn sheet_name(title: &str, taken: &mut Vec<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    // At most 28 characters (room for a " 2"), cut between words, without trailing punctuation.
    let clean = clean.trim();
    let base: String = match clean.char_indices().nth(28) {
        None => clean.to_string(),
        Some((end, _)) => {
            let head = &clean[..end];
            head.rfind(' ').map_or(head, |i| &head[..i]).to_string()
        }
    };
    let base = base
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    let base = if base.is_empty() {
        "table".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{base} {n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// An Excel workbook: one sheet per table (figures as exact numbers, units in the header, the header row frozen,
/// column widths set, notes under the table) and the sources on a sheet of their own.
pub fn tables_to_xlsx(tables: &[Table], sources: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let mut taken = Vec::new();
    for table in tables.iter().chain(std::iter::once(sources)) {
        let sheet = typed(table);
        let ws = workbook.add_worksheet();
        ws.set_name(sheet_name(&sheet.title, &mut taken))?;
        let mut widths: Vec<usize> = sheet.headers.iter().map(|h| h.chars().count()).collect();
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Value::Number(v) => {
                        ws.write_number(r, col, *v)?;
                        widths[c] = widths[c].max(12);
                    }
                    Value::Text(t) => {
                        ws.write_string(r, col, t)?;
                        widths[c] = widths[c].max(t.chars().count());
                    }
                    Value::Empty => {}
                }
            }
        }
        let below = sheet.rows.len() as u32 + 2;
        for (i, note) in sheet.notes.iter().enumerate() {
            ws.write_string(below + i as u32, 0, note)?;
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 2.0)?;
        }
        ws.set_freeze_panes(1, 0)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{row, Align};

    #[test]
    fn figures_are_exact_numbers_with_their_unit_in_the_header() {
        let mut t = Table::new(
            "Routes used, by origin",
            &[
                ("origin", Align::Left),
                ("volume (Mt/y)", Align::Right),
                ("cost (USD/unit)", Align::Right),
                ("share", Align::Right),
                ("days", Align::Right),
            ],
        );
        t.push(row![
            "tengiz",
            Cell::volume(19.285714285714285),
            Cell::figure_in(43.0, "/t", "43.00 /t"),
            Cell::percent(0.055),
            Cell::Missing,
        ]);
        t.push(row![
            "xian",
            Cell::volume(0.39999999999999997),
            Cell::figure_in(1620.0, "/TEU", "1620.00 /TEU"),
            Cell::percent(1.0),
            Cell::figure(16.0, "16.0"),
        ]);
        let text = t.to_text(false);
        assert!(
            text.contains(" 19.286  ") && text.contains("43.00 /t"),
            "{text}"
        );
        assert!(!text.contains("19.2857"), "{text}");
        let s = typed(&t);
        assert_eq!(
            s.headers,
            [
                "origin",
                "volume (Mt/y)",
                "cost (USD/unit)",
                "cost (USD/unit) unit",
                "share [%]",
                "days"
            ],
            "the cost column's units differ by row: they get a column of their own"
        );
        assert_eq!(s.rows[0][1], Value::Number(19.2857142857));
        assert_eq!(s.rows[1][1], Value::Number(0.4));
        assert_eq!(s.rows[0][3], Value::Text("/t".into()));
        assert_eq!(s.rows[0][4], Value::Number(5.5));
        assert_eq!(s.rows[0][5], Value::Empty, "no figure is an empty cell");
        assert_eq!(s.file_stem(), "routes-used-by-origin");
        assert_eq!(
            s.to_csv(),
            "origin,volume (Mt/y),cost (USD/unit),cost (USD/unit) unit,share [%],days\n\
             tengiz,19.2857142857,43,/t,5.5,\n\
             xian,0.4,1620,/TEU,100,16\n"
        );
    }

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(
            sheet_name("Routes: by origin/market", &mut taken),
            "Routes  by origin market"
        );
        assert_eq!(
            sheet_name("Routes: by origin/market", &mut taken),
            "Routes  by origin market 2"
        );
        assert!(sheet_name(&"x".repeat(50), &mut taken).chars().count() <= 31);
        assert_eq!(
            sheet_name("Transit volume by country (volume entering)", &mut taken),
            "Transit volume by country"
        );
    }
}
