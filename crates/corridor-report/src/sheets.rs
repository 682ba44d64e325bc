//! Tables for spreadsheets and scripts: numbers as numbers, the unit in the header, one sheet (or one CSV
//! file) per table.
//!
//! A display table holds strings such as `43.00 /t` or `100.0 %`. A column whose every filled cell is a
//! number followed by the same unit becomes a numeric column with that unit moved into its header
//! (`cost (USD/unit) [/t]`); a column that mixes units or words stays text.

use crate::Table;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell of a typed table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Number(f64),
    Text(String),
    Empty,
}

/// A table with typed cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub notes: Vec<String>,
}

/// A number and the unit written after it, if the whole cell is that (`+1.5 Mt/y`, `43.00 /t`,
/// `100.0 %`, `1 250`).
fn number_and_unit(text: &str) -> Option<(f64, String)> {
    let t = text.trim();
    let (num, unit) = match t.find([' ', '%']) {
        // A thin or normal space inside digits groups thousands (`468 500`): keep them in the number.
        _ if t
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.\u{202f} ".contains(c))
            && t.chars().any(|c| c.is_ascii_digit()) =>
        {
            (t.to_string(), String::new())
        }
        Some(i) => (t[..i].to_string(), t[i..].trim().to_string()),
        None => (t.to_string(), String::new()),
    };
    let cleaned: String = num
        .chars()
        .filter(|c| !matches!(c, '\u{202f}' | ' ' | '+' | ','))
        .collect();
    let value: f64 = cleaned.parse().ok()?;
    if !value.is_finite() || unit.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((value, unit))
}

/// The table with numeric columns typed and their unit moved into the header.
pub fn typed(table: &Table) -> Sheet {
    let width = table.headers.len();
    fn cell(row: &[String], c: usize) -> &str {
        row.get(c).map(String::as_str).unwrap_or("")
    }
    let mut headers = table.headers.clone();
    let mut numeric_unit: Vec<Option<String>> = vec![None; width];
    for (c, slot) in numeric_unit.iter_mut().enumerate() {
        let mut unit: Option<String> = None;
        let mut ok = true;
        let mut any = false;
        for row in &table.rows {
            let text = cell(row, c);
            if text.trim().is_empty() {
                continue;
            }
            match number_and_unit(text) {
                Some((_, u)) if unit.as_ref().is_none_or(|known| *known == u) => {
                    unit = Some(u);
                    any = true;
                }
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && any {
            *slot = unit;
        }
    }
    for (c, unit) in numeric_unit.iter().enumerate() {
        if let Some(u) = unit.as_ref().filter(|u| !u.is_empty()) {
            if !headers[c].contains(u.as_str()) {
                headers[c] = format!("{} [{u}]", headers[c]);
            }
        }
    }
    let rows = table
        .rows
        .iter()
        .map(|row| {
            (0..width)
                .map(|c| {
                    let text = cell(row, c);
                    if text.trim().is_empty() {
                        Cell::Empty
                    } else if numeric_unit[c].is_some() {
                        number_and_unit(text)
                            .map_or_else(|| Cell::Text(text.to_string()), |(v, _)| Cell::Number(v))
                    } else {
                        Cell::Text(text.to_string())
                    }
                })
                .collect()
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
    /// RFC 4180 CSV: the header row, then the rows; numbers written in full.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(&self.headers);
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Number(v) => v.to_string(),
                    Cell::Text(t) => t.clone(),
                    Cell::Empty => String::new(),
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

/// An Excel workbook: one sheet per table (numbers as numbers, units in the header, the header row frozen,
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
                    Cell::Number(v) => {
                        ws.write_number(r, col, *v)?;
                        widths[c] = widths[c].max(12);
                    }
                    Cell::Text(t) => {
                        ws.write_string(r, col, t)?;
                        widths[c] = widths[c].max(t.chars().count());
                    }
                    Cell::Empty => {}
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
    use crate::Align;

    #[test]
    fn a_column_of_numbers_with_one_unit_is_numeric_with_the_unit_in_its_header() {
        let mut t = Table::new(
            "Routes used, by origin",
            &[
                ("origin", Align::Left),
                ("cost (USD/unit)", Align::Right),
                ("share", Align::Right),
                ("mixed", Align::Right),
            ],
        );
        t.push(vec![
            "tengiz".into(),
            "43.00 /t".into(),
            "100.0 %".into(),
            "1 /t".into(),
        ]);
        t.push(vec![
            "kashagan".into(),
            "44.40 /t".into(),
            "5.5 %".into(),
            "2 /m3".into(),
        ]);
        let s = typed(&t);
        assert_eq!(s.headers[1], "cost (USD/unit) [/t]");
        assert_eq!(s.headers[2], "share [%]");
        assert_eq!(s.headers[3], "mixed", "two units stay text");
        assert_eq!(s.rows[1][1], Cell::Number(44.4));
        assert_eq!(s.rows[0][0], Cell::Text("tengiz".into()));
        assert_eq!(s.rows[1][3], Cell::Text("2 /m3".into()));
        assert_eq!(s.file_stem(), "routes-used-by-origin");
        assert!(s
            .to_csv()
            .starts_with("origin,cost (USD/unit) [/t],share [%],mixed\ntengiz,43,100,1 /t\n"));
    }

    #[test]
    fn grouped_thousands_and_signs_are_numbers() {
        assert_eq!(
            number_and_unit("468\u{202f}500"),
            Some((468500.0, String::new()))
        );
        assert_eq!(number_and_unit("+16.300"), Some((16.3, String::new())));
        assert_eq!(number_and_unit("-2289.5"), Some((-2289.5, String::new())));
        assert_eq!(number_and_unit("KZ→RU"), None);
        assert_eq!(number_and_unit("2024"), Some((2024.0, String::new())));
        assert_eq!(number_and_unit("26,744.5"), Some((26744.5, String::new())));
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
