//! A thin reader over `toml_edit` that records every problem with its line instead of stopping at the
//! first, so `corridor validate` can list them all.

use corridor_model::units::closest;
use corridor_model::{Diagnostic, Location};
use std::cell::RefCell;
use std::collections::BTreeSet;
use toml_edit::{ImDocument, Item, Table, TableLike, Value};

/// Source text of one file with its line index.
#[derive(Debug)]
pub(crate) struct SourceText<'a> {
    pub(crate) file: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceText<'a> {
    pub(crate) fn new(file: &'a str, text: &str) -> SourceText<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceText { file, line_starts }
    }

    pub(crate) fn line(&self, offset: usize) -> u32 {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    pub(crate) fn location(&self, offset: Option<usize>) -> Location {
        Location::new(self.file, offset.map_or(1, |o| self.line(o)))
    }
}

/// Parses a TOML document; a syntax error becomes a located diagnostic.
pub(crate) fn parse_document(
    source: &SourceText<'_>,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<ImDocument<String>> {
    match ImDocument::parse(text.to_string()) {
        Ok(doc) => Some(doc),
        Err(error) => {
            let offset = error.span().map(|s| s.start);
            let message = error.message().trim().replace('\n', " ");
            diags.push(Diagnostic::error(
                &source.location(offset),
                "toml",
                format!("syntax error: {message}"),
                "fix the TOML syntax (strings in double quotes, one `key = value` per line)",
            ));
            None
        }
    }
}

/// One TOML table being read: remembers which keys were used so unknown keys can be reported.
pub(crate) struct TableReader<'t, 's> {
    pub(crate) source: &'s SourceText<'s>,
    pub(crate) table: &'t dyn TableLike,
    /// Byte offset of the table's header (or first key), for its location.
    start: Option<usize>,
    /// The dotted path shown in messages, e.g. `supplies[2]`.
    pub(crate) path: String,
    used: RefCell<BTreeSet<String>>,
}

impl std::fmt::Debug for TableReader<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableReader")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl<'t, 's> TableReader<'t, 's> {
    pub(crate) fn new(
        source: &'s SourceText<'s>,
        table: &'t Table,
        path: impl Into<String>,
    ) -> Self {
        Self::with_start(source, table, table.span().map(|s| s.start), path)
    }

    fn with_start(
        source: &'s SourceText<'s>,
        table: &'t dyn TableLike,
        start: Option<usize>,
        path: impl Into<String>,
    ) -> Self {
        TableReader {
            source,
            table,
            start,
            path: path.into(),
            used: RefCell::new(BTreeSet::new()),
        }
    }

    /// The field name as shown in messages.
    pub(crate) fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The table's own location (its header line).
    pub(crate) fn location(&self) -> Location {
        self.source.location(self.start)
    }

    /// The line of `key` if present, else of the table.
    pub(crate) fn key_location(&self, key: &str) -> Location {
        match self.table.key(key).and_then(|k| k.span()) {
            Some(span) => self.source.location(Some(span.start)),
            None => self.location(),
        }
    }

    fn item(&self, key: &str) -> Option<&'t Item> {
        self.used.borrow_mut().insert(key.to_string());
        self.table.get(key)
    }

    fn wrong_type(&self, key: &str, expected: &str, diags: &mut Vec<Diagnostic>) {
        diags.push(Diagnostic::error(
            &self.key_location(key),
            self.field(key),
            format!("expected {expected}"),
            format!("write it as {expected}"),
        ));
    }

    fn missing(&self, key: &str, what: &str, diags: &mut Vec<Diagnostic>) {
        diags.push(Diagnostic::error(
            &self.location(),
            self.field(key),
            "missing",
            format!("add `{key} = {what}`"),
        ));
    }

    pub(crate) fn opt_str(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
        let item = self.item(key)?;
        match item.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.wrong_type(key, "a string in double quotes", diags);
                None
            }
        }
    }

    pub(crate) fn str(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
        if self.table.contains_key(key) {
            self.opt_str(key, diags)
        } else {
            self.item(key);
            self.missing(key, "\"…\"", diags);
            None
        }
    }

    pub(crate) fn opt_f64(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<f64> {
        let item = self.item(key)?;
        match item.as_value() {
            Some(Value::Float(f)) => Some(*f.value()),
            Some(Value::Integer(i)) => Some(*i.value() as f64),
            _ => {
                self.wrong_type(key, "a number", diags);
                None
            }
        }
    }

    pub(crate) fn f64(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<f64> {
        if self.table.contains_key(key) {
            self.opt_f64(key, diags)
        } else {
            self.item(key);
            self.missing(key, "a number", diags);
            None
        }
    }

    pub(crate) fn opt_i32(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<i32> {
        let item = self.item(key)?;
        match item.as_integer().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => Some(i),
            None => {
                self.wrong_type(key, "a whole number such as a year", diags);
                None
            }
        }
    }

    pub(crate) fn i32(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<i32> {
        if self.table.contains_key(key) {
            self.opt_i32(key, diags)
        } else {
            self.item(key);
            self.missing(key, "a year", diags);
            None
        }
    }

    /// A list of strings; a single string is accepted as a one-element list.
    pub(crate) fn str_list(&self, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<String> {
        let Some(item) = self.item(key) else {
            return Vec::new();
        };
        if let Some(s) = item.as_str() {
            return vec![s.to_string()];
        }
        match item.as_array() {
            Some(array) => {
                let mut out = Vec::new();
                for value in array.iter() {
                    match value.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => {
                            self.wrong_type(key, "a list of strings, e.g. [\"a\", \"b\"]", diags);
                            return Vec::new();
                        }
                    }
                }
                out
            }
            None => {
                self.wrong_type(key, "a list of strings, e.g. [\"a\", \"b\"]", diags);
                Vec::new()
            }
        }
    }

    /// The tables of an array of tables (`[[key]]`), or of an inline array of inline tables.
    pub(crate) fn tables(
        &self,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<TableReader<'t, 's>> {
        let Some(item) = self.item(key) else {
            return Vec::new();
        };
        if let Some(aot) = item.as_array_of_tables() {
            return aot
                .iter()
                .enumerate()
                .map(|(i, t)| TableReader::new(self.source, t, format!("{}[{}]", key, i + 1)))
                .collect();
        }
        self.wrong_type(key, &format!("an array of tables, `[[{key}]]`"), diags);
        Vec::new()
    }

    /// A sub-table `[key]`.
    pub(crate) fn table(
        &self,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<TableReader<'t, 's>> {
        let item = self.item(key)?;
        if let Some(t) = item.as_table() {
            return Some(TableReader::new(self.source, t, self.field(key)));
        }
        match item.as_inline_table() {
            Some(t) => Some(TableReader::with_start(
                self.source,
                t,
                t.span().map(|s| s.start),
                self.field(key),
            )),
            None => {
                self.wrong_type(key, &format!("a table, `[{key}]`"), diags);
                None
            }
        }
    }

    /// The raw item, for shapes the helpers above do not cover.
    pub(crate) fn raw(&self, key: &str) -> Option<&'t Item> {
        self.item(key)
    }

    /// Reports every key that no reader asked for, with the nearest known key as a suggestion. A known
    /// key left unread (a reader stopped at an earlier error in the table, or the key does not apply to
    /// this entry) is no mistake of its own: calling it unknown would mislead.
    pub(crate) fn finish(&self, known: &[&str], diags: &mut Vec<Diagnostic>) {
        for (key, _) in self.table.iter() {
            if self.used.borrow().contains(key) || known.contains(&key) {
                continue;
            }
            let help = match closest(key, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known fields: {}", known.join(", ")),
            };
            diags.push(Diagnostic::error(
                &self.key_location(key),
                self.field(key),
                "unknown field",
                help,
            ));
        }
    }
}
