//! A scenario's `[[nodes]]` and `[[links]]`: tables with the columns of `nodes.csv` and `links.csv`, read
//! exactly as rows of those files and appended to the dataset.

use super::links::{read_links, LINK_COLUMNS};
use super::nodes::{read_nodes, NODE_COLUMNS};
use corridor_model::*;

/// One CSV text (header and a row) from a table's cells, every column of `columns` present.
fn csv_row(columns: &[&str], cells: &[(String, String)]) -> String {
    let mut header: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    for (k, _) in cells {
        if !header.contains(k) {
            header.push(k.clone());
        }
    }
    let values: Vec<String> = header
        .iter()
        .map(|h| {
            cells
                .iter()
                .find(|(k, _)| k == h)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&header);
    let _ = writer.write_record(&values);
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Appends nodes written as tables elsewhere (a scenario's `[[nodes]]`), read exactly as `nodes.csv`
/// rows; problems are reported at the table's own file and line.
pub(crate) fn read_nodes_into(
    rows: &[(Location, Vec<(String, String)>)],
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let kind = RowKind {
        table: "nodes",
        item: "node",
        columns: &NODE_COLUMNS,
        read: |file, text, ds, diags| {
            read_nodes(file, text, ds, diags);
        },
        items: |ds| &mut ds.nodes,
        id: |n| &n.id,
        location: |n| &mut n.location,
        help: "give the new node an id of its own",
    };
    append_rows(&kind, rows, dataset, diags);
}

/// Appends links written as tables elsewhere (a scenario's `[[links]]`), read exactly as `links.csv`
/// rows; problems are reported at the table's own file and line.
pub(crate) fn read_links_into(
    rows: &[(Location, Vec<(String, String)>)],
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let kind = RowKind {
        table: "links",
        item: "link",
        columns: &LINK_COLUMNS,
        read: read_links,
        items: |ds| &mut ds.links,
        id: |l| &l.id,
        location: |l| &mut l.location,
        help:
            "give the new link an id of its own, or change the existing one with [[link_changes]]",
    };
    append_rows(&kind, rows, dataset, diags);
}

/// What differs between appending nodes and appending links.
struct RowKind<T: 'static> {
    table: &'static str,
    item: &'static str,
    columns: &'static [&'static str],
    read: fn(&str, &str, &mut Dataset, &mut Vec<Diagnostic>),
    items: fn(&mut Dataset) -> &mut Vec<T>,
    id: fn(&T) -> &String,
    location: fn(&mut T) -> &mut Location,
    help: &'static str,
}

/// Reads each table as a one-row CSV against a copy of the dataset (so it can name existing nodes) and
/// appends the item when it reads cleanly and its id is new.
fn append_rows<T>(
    kind: &RowKind<T>,
    rows: &[(Location, Vec<(String, String)>)],
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    for (loc, cells) in rows {
        let mut scratch = dataset.clone();
        let mut found = Vec::new();
        (kind.read)(
            &loc.file,
            &csv_row(kind.columns, cells),
            &mut scratch,
            &mut found,
        );
        relocate(&mut found, loc, kind.table);
        let ok = !found.iter().any(Diagnostic::is_error);
        diags.extend(found);
        let Some(mut item) = (kind.items)(&mut scratch).pop().filter(|_| ok) else {
            continue;
        };
        let id = (kind.id)(&item).clone();
        if (kind.items)(dataset)
            .iter()
            .any(|old| *(kind.id)(old) == id)
        {
            diags.push(Diagnostic::error(
                loc,
                format!("{}.id", kind.table),
                format!("{} `{id}` exists in the dataset", kind.item),
                kind.help,
            ));
            continue;
        }
        *(kind.location)(&mut item) = loc.clone();
        (kind.items)(dataset).push(item);
        dataset.reindex();
    }
}

/// Diagnostics of a one-row CSV made from a table: at the table's line, the field under the table's name.
fn relocate(diags: &mut [Diagnostic], loc: &Location, table: &str) {
    for d in diags {
        d.location = loc.clone();
        if !d.field.starts_with(table) {
            d.field = format!("{table}.{}", d.field);
        }
    }
}
