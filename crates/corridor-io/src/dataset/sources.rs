//! `[[sources]]`: the publications a dataset's (or a scenario's) figures cite.

use crate::resolve::{check_duplicate, check_id_syntax};
use crate::toml_reader::{parse_document, SourceText, TableReader};
use corridor_model::*;
use std::collections::HashMap;

/// The `[[sources]]` a scenario file declares itself, against the ids `dataset` already has.
pub(crate) fn scenario_sources(
    file: &str,
    text: &str,
    dataset: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Source> {
    let source = SourceText::new(file, text);
    // Syntax errors are reported when the scenario itself is read.
    let mut ignored = Vec::new();
    let Some(doc) = parse_document(&source, text, &mut ignored) else {
        return Vec::new();
    };
    let root = TableReader::new(&source, doc.as_table(), "");
    let mut seen: HashMap<String, Location> = dataset
        .sources
        .iter()
        .map(|s| (s.id.clone(), s.location.clone()))
        .collect();
    read_sources(&root, &mut seen, diags)
}

/// The `[[sources]]` of a dataset (or of a scenario that cites sources of its own); `seen` holds the ids
/// already taken, so a repeated id is reported where it repeats.
pub(crate) fn read_sources(
    root: &TableReader<'_, '_>,
    seen: &mut HashMap<String, Location>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Source> {
    let mut out = Vec::new();
    for t in root.tables("sources", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_id_syntax(&id, &loc, &t.field("id"), diags);
        check_duplicate(seen, "source", &id, &loc, &t.field("id"), diags);
        let url = t.str("url", diags).unwrap_or_default();
        let web = url.starts_with("https://") || url.starts_with("http://");
        // The dataset's own notes (`SOURCES.md#section`) are the one reference that is not on the web:
        // the source of pure modelling assumptions until the project has a public home.
        let own_notes = url == "SOURCES.md" || url.starts_with("SOURCES.md#");
        if !url.is_empty() && !web && !own_notes {
            diags.push(Diagnostic::error(
                &t.key_location("url"),
                t.field("url"),
                format!("`{url}` is not a web address"),
                "write the full address starting with https:// (or SOURCES.md#section for the dataset's own notes)",
            ));
        } else if web && is_placeholder(&url) {
            diags.push(Diagnostic::error(
                &t.key_location("url"),
                t.field("url"),
                format!("`{url}` is a placeholder address"),
                "cite the page the figure comes from (or SOURCES.md#section for the dataset's own notes)",
            ));
        }
        let s = Source {
            id,
            publisher: t.str("publisher", diags).unwrap_or_default(),
            title: t.str("title", diags).unwrap_or_default(),
            url,
            date: t.str("date", diags).unwrap_or_default(),
            location: loc,
        };
        t.opt_str("notes", diags);
        t.finish(&["id", "publisher", "title", "url", "date", "notes"], diags);
        out.push(s);
    }
    out
}

/// Whether a web address is a reserved example or test host (RFC 2606), never a real source.
fn is_placeholder(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':', '?', '#']).next())
        .unwrap_or("")
        .to_ascii_lowercase();
    let reserved = ["example.com", "example.org", "example.net"];
    host.ends_with(".invalid")
        || host.ends_with(".example")
        || host.ends_with(".test")
        || host == "localhost"
        || reserved
            .iter()
            .any(|r| host == *r || host.ends_with(&format!(".{r}")))
}
