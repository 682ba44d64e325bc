//! Reading a dataset folder (`dataset.toml`, `nodes.csv`, `links.csv`) into a resolved [`Dataset`].

use crate::resolve::{
    check_at_most, check_duplicate, check_id_syntax, check_non_negative, check_positive,
    max_volume_base, resolve, written, MAX_UNIT_USD,
};
use crate::toml_reader::{parse_document, SourceText, TableReader};
use corridor_model::units::{
    closest, convert_amount, convert_rate, AmountUnit, Dimension, RateUnit,
};
use corridor_model::*;
use std::collections::{HashMap, HashSet};

use crate::cite::{provenance, read_rate_unit, source_ids};
use crate::csv_table::read_csv;

/// The texts of a dataset, with the file names to show in messages.
#[derive(Clone, Debug, Default)]
pub struct DatasetFiles {
    pub dataset_toml: (String, String),
    pub nodes_csv: (String, String),
    pub links_csv: (String, String),
    /// Optional `status.csv`: the status of links in particular years.
    pub status_csv: Option<(String, String)>,
    /// Optional `observed.csv`: published volumes that actually moved.
    pub observed_csv: Option<(String, String)>,
}

/// Parses and resolves a dataset. Returns the dataset when no *error* was found, and every diagnostic
/// (errors and warnings) either way.
pub fn parse_dataset(files: &DatasetFiles) -> (Option<Dataset>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut dataset = Dataset::default();
    read_dataset_toml(
        &files.dataset_toml.0,
        &files.dataset_toml.1,
        &mut dataset,
        &mut diags,
    );
    dataset.reindex();
    let toml_failed = diags.iter().any(Diagnostic::is_error);
    let unreadable_nodes = read_nodes(
        &files.nodes_csv.0,
        &files.nodes_csv.1,
        &mut dataset,
        &mut diags,
    );
    dataset.reindex();
    let no_nodes = dataset.nodes.is_empty();
    read_links(
        &files.links_csv.0,
        &files.links_csv.1,
        &mut dataset,
        &mut diags,
    );
    let links_file = &files.links_csv.0;
    if no_nodes {
        // Every link names an unknown node: report the cause once instead of that cascade, and keep the
        // links file's own problems.
        diags
            .retain(|d| !(d.location.file == *links_file && d.message.starts_with("unknown node")));
        // An unreadable header has said it already.
        if !diags.iter().any(|d| d.location.file == files.nodes_csv.0) {
            diags.push(Diagnostic::error(
                &Location::new(&files.nodes_csv.0, 1),
                "nodes",
                "the file declares no nodes",
                "list the nodes (id,name,kind,country,lat,lon) under the header line",
            ));
        }
    } else if !unreadable_nodes.is_empty() {
        // A node whose row could not be read is not unknown: its row's error is the one to fix.
        let cascades: HashSet<String> = unreadable_nodes
            .iter()
            .map(|id| format!("unknown node `{id}`"))
            .collect();
        diags.retain(|d| !(d.location.file == *links_file && cascades.contains(&d.message)));
    }
    if toml_failed {
        // dataset.toml did not read: the commodities, countries, sources and groups it should have
        // declared are missing, and every row naming one would repeat that.
        let empty_tables = [
            ("commodity", dataset.commodities.is_empty()),
            ("country", dataset.countries.is_empty()),
            ("source", dataset.sources.is_empty()),
            ("capacity group", dataset.capacity_groups.is_empty()),
        ];
        let no_commodities = dataset.commodities.is_empty();
        diags.retain(|d| {
            d.location.file == files.dataset_toml.0
                || !(empty_tables.iter().any(|(kind, empty)| {
                    *empty && d.message.starts_with(&format!("unknown {kind} `"))
                }) || (no_commodities
                    && (d.message.ends_with(" values for 0 commodities")
                        || d.message.ends_with(
                            "no carried commodity has a grade to turn barrels into tonnes",
                        ))))
        });
    }
    dataset.reindex();
    // The tables of dataset.toml that name links, read once more now that the links exist (a syntax
    // error was reported on the first reading). Chokepoints first: outage selectors see their countries.
    let (file, text) = &files.dataset_toml;
    let source = SourceText::new(file, text);
    if let Some(doc) = parse_document(&source, text, &mut Vec::new()) {
        let root = TableReader::new(&source, doc.as_table(), "");
        crate::chokepoints::read_chokepoints(&root, &mut dataset, &mut diags);
        // Outage selectors walk the network (links' end nodes and countries): not without nodes, so that
        // an empty nodes.csv is reported as itself rather than as a crash.
        if !no_nodes {
            crate::resilience::read_outage_tables(&root, &mut dataset, &mut diags);
        }
    }
    if let Some((file, text)) = &files.status_csv {
        crate::observed::read_status(file, text, &mut dataset, &mut diags);
    }
    if let Some((file, text)) = &files.observed_csv {
        crate::observed::read_observed(file, text, &mut dataset, &mut diags);
    }
    // Root causes first: the files in the order they are read (dataset.toml declares what the CSV files
    // name; nodes.csv declares what links.csv names), each by line.
    let rank = |file: &str| {
        [
            Some(&files.dataset_toml),
            Some(&files.nodes_csv),
            Some(&files.links_csv),
            files.status_csv.as_ref(),
            files.observed_csv.as_ref(),
        ]
        .iter()
        .position(|f| f.is_some_and(|(name, _)| name == file))
        .unwrap_or(usize::MAX)
    };
    diags.sort_by(|a, b| {
        (rank(&a.location.file), &a.location).cmp(&(rank(&b.location.file), &b.location))
    });
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(dataset), diags)
}

fn read_dataset_toml(file: &str, text: &str, dataset: &mut Dataset, diags: &mut Vec<Diagnostic>) {
    let source = SourceText::new(file, text);
    let Some(doc) = parse_document(&source, text, diags) else {
        return;
    };
    let root = TableReader::new(&source, doc.as_table(), "");

    if let Some(meta) = root.table("dataset", diags) {
        dataset.meta = DatasetMeta {
            id: meta.str("id", diags).unwrap_or_default(),
            name: meta.str("name", diags).unwrap_or_default(),
            description: meta.opt_str("description", diags).unwrap_or_default(),
            version: meta.opt_str("version", diags).unwrap_or_default(),
            default_year: meta.i32("default_year", diags).unwrap_or(2024),
        };
        if !(1900..=2200).contains(&dataset.meta.default_year) {
            diags.push(Diagnostic::error(
                &meta.key_location("default_year"),
                meta.field("default_year"),
                format!("{} is not a plausible year", dataset.meta.default_year),
                "write the year the figures describe, between 1900 and 2200, e.g. 2024",
            ));
        }
        meta.finish(
            &["id", "name", "description", "version", "default_year"],
            diags,
        );
    } else {
        diags.push(Diagnostic::error(
            &Location::new(file, 1),
            "dataset",
            "missing [dataset] table",
            "add [dataset] with id, name and default_year",
        ));
    }

    let mut seen = HashMap::new();
    let sources = read_sources(&root, &mut seen, diags);
    dataset.sources.extend(sources);
    dataset.reindex();

    let mut seen = HashMap::new();
    for t in root.tables("countries", diags) {
        let loc = t.location();
        let text = t.str("code", diags).unwrap_or_default();
        let Some(code) = CountryCode::parse(&text)
            .filter(|_| text.trim().chars().all(|c| c.is_ascii_uppercase()))
        else {
            diags.push(Diagnostic::error(
                &t.key_location("code"),
                t.field("code"),
                format!("`{text}` is not an ISO 3166-1 alpha-2 code"),
                "write two upper-case letters, e.g. KZ",
            ));
            continue;
        };
        check_duplicate(
            &mut seen,
            "country",
            code.as_str(),
            &loc,
            &t.field("code"),
            diags,
        );
        let name = t.str("name", diags).unwrap_or_default();
        t.finish(&["code", "name"], diags);
        dataset.countries.push(Country {
            code,
            name,
            location: loc,
        });
    }

    let mut seen = HashMap::new();
    for t in root.tables("grades", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_id_syntax(&id, &loc, &t.field("id"), diags);
        check_duplicate(&mut seen, "grade", &id, &loc, &t.field("id"), diags);
        let bbl_per_t = t.f64("bbl_per_t", diags).unwrap_or(f64::NAN);
        if check_positive(
            bbl_per_t,
            "barrels per tonne",
            &t.key_location("bbl_per_t"),
            &t.field("bbl_per_t"),
            diags,
        ) && !(5.0..=9.5).contains(&bbl_per_t)
        {
            diags.push(Diagnostic::error(
                &t.key_location("bbl_per_t"),
                t.field("bbl_per_t"),
                format!(
                    "{bbl_per_t} barrels per tonne is outside the range of real crudes (5–9.5)"
                ),
                "check the figure: light crudes are about 7.5–8, heavy ones about 6.5–7",
            ));
        }
        let (sources, confidence) = provenance(&t, dataset, diags);
        let name = t.opt_str("name", diags).unwrap_or_else(|| id.clone());
        t.opt_str("notes", diags);
        t.finish(
            &["id", "name", "bbl_per_t", "sources", "confidence", "notes"],
            diags,
        );
        dataset.grades.push(Grade {
            name,
            id,
            bbl_per_t,
            sources,
            confidence,
            location: loc,
        });
    }
    dataset.reindex();

    let mut seen = HashMap::new();
    for t in root.tables("commodities", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_id_syntax(&id, &loc, &t.field("id"), diags);
        check_duplicate(&mut seen, "commodity", &id, &loc, &t.field("id"), diags);
        let dimension = match t.str("dimension", diags).map(|d| d.parse::<Dimension>()) {
            Some(Ok(d)) => d,
            Some(Err(e)) => {
                diags.push(Diagnostic::error(
                    &t.key_location("dimension"),
                    t.field("dimension"),
                    "invalid dimension",
                    e,
                ));
                Dimension::Mass
            }
            None => Dimension::Mass,
        };
        let default_grade = t.opt_str("default_grade", diags).and_then(|g| {
            resolve(
                "grade",
                &g,
                |s| dataset.grade_id(s),
                dataset.grades.iter().map(|g| g.id.as_str()),
                &t.key_location("default_grade"),
                &t.field("default_grade"),
                diags,
            )
        });
        let tonnes_per_unit = t.table("tonnes_per_unit", diags).and_then(|tpu| {
            let value = tpu.f64("value", diags)?;
            check_positive(
                value,
                "tonnes per unit",
                &tpu.key_location("value"),
                &tpu.field("value"),
                diags,
            );
            let (sources, confidence) = provenance(&tpu, dataset, diags);
            tpu.opt_str("notes", diags);
            tpu.finish(&["value", "sources", "confidence", "notes"], diags);
            Some(Sourced {
                value,
                sources,
                confidence,
            })
        });
        if tonnes_per_unit.is_none() {
            // A `tonnes_per_unit = 14.0` written as a bare number is also accepted, but then it has no
            // source, which is an error of its own.
            if let Some(item) = t.raw("tonnes_per_unit") {
                if item.as_table().is_none() {
                    diags.push(Diagnostic::error(
                        &t.key_location("tonnes_per_unit"),
                        t.field("tonnes_per_unit"),
                        "figure without a source",
                        "write it as { value = …, sources = [\"…\"], confidence = \"estimate\" }",
                    ));
                }
            }
        }
        let name = t.opt_str("name", diags).unwrap_or_else(|| id.clone());
        t.opt_str("notes", diags);
        t.finish(
            &[
                "id",
                "name",
                "dimension",
                "default_grade",
                "tonnes_per_unit",
                "notes",
            ],
            diags,
        );
        dataset.commodities.push(Commodity {
            name,
            id,
            dimension,
            default_grade,
            tonnes_per_unit,
            location: loc,
        });
    }
    dataset.reindex();

    let mut seen = HashMap::new();
    for t in root.tables("blocs", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_duplicate(&mut seen, "bloc", &id, &loc, &t.field("id"), diags);
        let members = read_memberships(&t, "members", dataset, diags);
        let observers = read_memberships(&t, "observers", dataset, diags);
        let sources = source_ids(
            dataset,
            &t.str_list("sources", diags),
            &t.key_location("sources"),
            &t.field("sources"),
            true,
            diags,
        );
        let name = t.opt_str("name", diags).unwrap_or_else(|| id.clone());
        t.opt_str("notes", diags);
        t.finish(
            &["id", "name", "members", "observers", "sources", "notes"],
            diags,
        );
        dataset.blocs.push(Bloc {
            name,
            id,
            members,
            observers,
            sources,
            location: loc,
        });
    }

    let mut seen = HashMap::new();
    for t in root.tables("capacity_groups", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_id_syntax(&id, &loc, &t.field("id"), diags);
        check_duplicate(
            &mut seen,
            "capacity group",
            &id,
            &loc,
            &t.field("id"),
            diags,
        );
        let capacity = t.f64("capacity", diags).unwrap_or(f64::NAN);
        check_positive(
            capacity,
            "capacity",
            &t.key_location("capacity"),
            &t.field("capacity"),
            diags,
        );
        let unit = read_rate_unit(
            t.str("unit", diags),
            &t.key_location("unit"),
            &t.field("unit"),
            diags,
        );
        let capacity_base = unit
            .and_then(|u| convert_rate(capacity, u, RateUnit::base(u.dimension()), None).ok())
            .unwrap_or(f64::NAN);
        if matches!(unit, Some(u) if u.dimension() == Dimension::OilVolume) {
            diags.push(Diagnostic::error(
                &t.key_location("unit"),
                t.field("unit"),
                "a capacity group cannot be measured in barrels",
                "give the group capacity in tonnes (e.g. Mt/y), converted with the grade it refers to",
            ));
        }
        let (sources, confidence) = provenance(&t, dataset, diags);
        let year = t.i32("year", diags).unwrap_or(0);
        let expansions = crate::resilience::read_expansions(&t, unit, dataset, diags);
        let name = t.opt_str("name", diags).unwrap_or_else(|| id.clone());
        t.opt_str("notes", diags);
        t.finish(
            &[
                "id",
                "name",
                "capacity",
                "unit",
                "sources",
                "confidence",
                "year",
                "expansions",
                "notes",
            ],
            diags,
        );
        dataset.capacity_groups.push(CapacityGroup {
            name,
            id,
            capacity_base,
            capacity,
            unit: unit.unwrap_or(RateUnit::base(Dimension::Mass)),
            sources,
            confidence,
            year,
            expansions,
            location: loc,
        });
    }

    // Read after the links (they name links, nodes and countries) by `resilience::read_outage_tables`
    // and `chokepoints::read_chokepoints`.
    root.raw("outage_defaults");
    root.raw("outage_events");
    root.raw("chokepoints");
    root.finish(
        &[
            "dataset",
            "sources",
            "countries",
            "blocs",
            "commodities",
            "grades",
            "capacity_groups",
            "outage_defaults",
            "outage_events",
            "chokepoints",
        ],
        diags,
    );
}

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

fn read_memberships(
    t: &TableReader<'_, '_>,
    key: &str,
    dataset: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Membership> {
    let Some(item) = t.raw(key) else {
        return Vec::new();
    };
    let loc = t.key_location(key);
    let field = t.field(key);
    let Some(array) = item.as_array() else {
        diags.push(Diagnostic::error(
            &loc,
            &field,
            "expected a list",
            "write [{ country = \"AZ\", since = 2009 }, …]",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for value in array.iter() {
        let entry = value.as_inline_table();
        let country = entry
            .and_then(|e| e.get("country"))
            .and_then(|v| v.as_str());
        let since = entry
            .and_then(|e| e.get("since"))
            .and_then(|v| v.as_integer());
        match (country, since) {
            (Some(_), Some(since)) if !(1800..=2200).contains(&since) => {
                diags.push(Diagnostic::error(
                    &loc,
                    &field,
                    format!("`since = {since}` is not a plausible year"),
                    "write the year the country joined, between 1800 and 2200, e.g. 2009",
                ))
            }
            (Some(c), Some(since)) => {
                let code = CountryCode::parse(c);
                match code.filter(|code| dataset.country(*code).is_some()) {
                    Some(code) => out.push(Membership {
                        country: code,
                        since: since as i32,
                    }),
                    None => diags.push(Diagnostic::error(
                        &loc,
                        &field,
                        format!("unknown country `{c}`"),
                        "declare it under [[countries]] first",
                    )),
                }
            }
            _ => diags.push(Diagnostic::error(
                &loc,
                &field,
                "each entry needs a country and a year",
                "write { country = \"AZ\", since = 2009 }",
            )),
        }
    }
    out
}

/// The longest transit time a link may have, days (docs/data-format.md, "Valid ranges").
const MAX_TRANSIT_DAYS: f64 = 365.0;

const NODE_COLUMNS: [&str; 6] = ["id", "name", "kind", "country", "lat", "lon"];

/// Reads `nodes.csv` into `dataset`; returns the ids of the rows that could not be read.
fn read_nodes(
    file: &str,
    text: &str,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut seen = HashMap::new();
    let mut nodes = Vec::new();
    let unreadable = read_csv(
        file,
        text,
        &NODE_COLUMNS,
        &["place", "notes"],
        diags,
        |r, diags| {
            let id = r.required("id", diags).unwrap_or_default().to_string();
            check_id_syntax(&id, &r.location, "id", diags);
            check_duplicate(&mut seen, "node", &id, &r.location, "id", diags);
            let kind = r
                .parsed::<NodeKind>("kind", diags)
                .unwrap_or(NodeKind::Junction);
            let country_text = r.get("country");
            let country = if country_text.is_empty() {
                None
            } else {
                match CountryCode::parse(country_text).filter(|c| dataset.country(*c).is_some()) {
                    Some(c) => Some(c),
                    None => {
                        let help = match closest(
                            country_text,
                            dataset.countries.iter().map(|c| c.code.as_str()),
                        ) {
                            Some(s) => {
                                format!("did you mean `{s}`? (or declare it under [[countries]])")
                            }
                            None => "declare it under [[countries]] in dataset.toml".into(),
                        };
                        diags.push(Diagnostic::error(
                            &r.location,
                            "country",
                            format!("unknown country `{country_text}`"),
                            help,
                        ));
                        None
                    }
                }
            };
            let lat = r.number("lat", diags).unwrap_or(0.0);
            let lon = r.number("lon", diags).unwrap_or(0.0);
            if !(-90.0..=90.0).contains(&lat) {
                diags.push(Diagnostic::error(
                    &r.location,
                    "lat",
                    format!("latitude {lat} is outside −90…90"),
                    "check the coordinate (lat and lon swapped?)",
                ));
            }
            if !(-180.0..=180.0).contains(&lon) {
                diags.push(Diagnostic::error(
                    &r.location,
                    "lon",
                    format!("longitude {lon} is outside −180…180"),
                    "check the coordinate",
                ));
            }
            nodes.push(Node {
                name: r.required("name", diags).unwrap_or(&id).to_string(),
                id,
                kind,
                country,
                lat,
                lon,
                place: Some(r.get("place").trim())
                    .filter(|p| !p.is_empty())
                    .map(str::to_string),
                notes: r.get("notes").to_string(),
                location: r.location.clone(),
            });
        },
    );
    dataset.nodes = nodes;
    unreadable
}

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

const LINK_COLUMNS: [&str; 20] = [
    "id",
    "name",
    "from",
    "to",
    "mode",
    "direction",
    "commodities",
    "capacity",
    "capacity_unit",
    "capacity_group",
    "tariff_usd",
    "tariff_unit",
    "transit_days",
    "countries",
    "status",
    "start_year",
    "end_year",
    "year",
    "sources",
    "confidence",
];

/// How many base units of `capacity_dim` one base unit of `commodity` uses, or why it cannot share it.
fn capacity_weight(commodity: &Commodity, capacity_dim: Dimension) -> Result<f64, String> {
    if commodity.dimension == capacity_dim {
        return Ok(1.0);
    }
    match (
        commodity.dimension,
        capacity_dim,
        &commodity.tonnes_per_unit,
    ) {
        (_, Dimension::Mass, Some(tpu)) => Ok(tpu.value),
        (_, Dimension::Mass, None) => Err(format!(
            "unit mismatch: the capacity is in tonnes but `{}` is counted in {}",
            commodity.id,
            commodity.dimension.base_unit()
        )),
        _ => Err(format!(
            "unit mismatch: the capacity is in {} but `{}` is counted in {}",
            capacity_dim.base_unit(),
            commodity.id,
            commodity.dimension.base_unit()
        )),
    }
}

fn read_links(file: &str, text: &str, dataset: &mut Dataset, diags: &mut Vec<Diagnostic>) {
    let mut seen = HashMap::new();
    let mut links = Vec::new();
    let ds: &Dataset = dataset;
    // Optional outage columns: (index of the link, annual probability, mean days).
    let mut outages: Vec<(usize, f64, f64)> = Vec::new();
    let optional = ["notes", "outage_prob", "outage_days", "gem_project_id"];
    read_csv(file, text, &LINK_COLUMNS, &optional, diags, |r, diags| {
        let loc = &r.location;
        let id = r.required("id", diags).unwrap_or_default().to_string();
        check_id_syntax(&id, loc, "id", diags);
        check_duplicate(&mut seen, "link", &id, loc, "id", diags);
        let node = |column: &str, diags: &mut Vec<Diagnostic>| {
            let text = r.required(column, diags)?;
            resolve(
                "node",
                text,
                |s| ds.node_id(s),
                ds.nodes.iter().map(|n| n.id.as_str()),
                loc,
                column,
                diags,
            )
        };
        let from = node("from", diags);
        let to = node("to", diags);
        if from.is_some() && from == to {
            diags.push(Diagnostic::error(
                loc,
                "to",
                "a link must join two different nodes",
                "check `from` and `to`",
            ));
        }
        let mode = r.parsed::<Mode>("mode", diags).unwrap_or(Mode::Rail);
        let direction = r
            .parsed::<Direction>("direction", diags)
            .unwrap_or(Direction::OneWay);
        let status = r
            .parsed::<Status>("status", diags)
            .unwrap_or(Status::Operating);
        let confidence = r
            .parsed::<Confidence>("confidence", diags)
            .unwrap_or(Confidence::Estimate);

        let commodity_ids: Vec<CommodityId> = r
            .list("commodities")
            .iter()
            .filter_map(|c| {
                resolve(
                    "commodity",
                    c,
                    |s| ds.commodity_id(s),
                    ds.commodities.iter().map(|c| c.id.as_str()),
                    loc,
                    "commodities",
                    diags,
                )
            })
            .collect();
        if r.list("commodities").is_empty() {
            diags.push(Diagnostic::error(
                loc,
                "commodities",
                "empty",
                "list what the link carries, e.g. crude or crude;cargo",
            ));
        }

        let capacity_read = r.number("capacity", diags);
        let capacity = capacity_read.unwrap_or(f64::NAN);
        // A capacity that did not read has its error already; checking its NaN again would only repeat it.
        let capacity_ok =
            capacity_read.is_some() && check_positive(capacity, "capacity", loc, "capacity", diags);
        let capacity_unit = read_rate_unit(
            r.required("capacity_unit", diags).map(str::to_string),
            loc,
            "capacity_unit",
            diags,
        );
        // A capacity in barrels is turned into tonnes with the grade of the crude the link carries.
        let mut capacity_dim = capacity_unit.map(|u| u.dimension());
        let mut capacity_base = f64::NAN;
        if let Some(unit) = capacity_unit {
            if unit.dimension() == Dimension::OilVolume {
                let grade = commodity_ids.iter().find_map(|&c| ds.bbl_per_t(c));
                match grade {
                    Some(g) => {
                        capacity_base = convert_rate(capacity, unit, RateUnit::base(Dimension::Mass), Some(g)).unwrap_or(f64::NAN);
                        capacity_dim = Some(Dimension::Mass);
                    }
                    None if !capacity_ok => {}
                    None => diags.push(Diagnostic::error(
                        loc,
                        "capacity_unit",
                        format!("unit mismatch: capacity in {unit} but no carried commodity has a grade to turn barrels into tonnes"),
                        "give the commodity a default_grade, or write the capacity in tonnes",
                    )),
                }
            } else {
                capacity_base =
                    convert_rate(capacity, unit, RateUnit::base(unit.dimension()), None)
                        .unwrap_or(f64::NAN);
            }
        }
        // Out of range once is enough: an infinite or negative capacity is not also "above any corridor".
        let capacity_base = if capacity_ok { capacity_base } else { f64::NAN };
        check_at_most(
            capacity_base,
            capacity_dim.map_or(f64::INFINITY, max_volume_base),
            &format!(
                "the capacity {} {}",
                written(capacity),
                r.get("capacity_unit")
            ),
            "any real corridor's (10,000 Mt/y, 10,000 bcm/y or 10 billion TEU/y)",
            loc,
            "capacity",
            diags,
        );

        let capacity_group = match r.get("capacity_group") {
            "" => None,
            text => resolve(
                "capacity group",
                text,
                |s| ds.group_id(s),
                ds.capacity_groups.iter().map(|g| g.id.as_str()),
                loc,
                "capacity_group",
                diags,
            ),
        };

        let tariffs = r.list("tariff_usd");
        let tariff_units = r.list("tariff_unit");
        let n = commodity_ids.len();
        let aligned = |list: &Vec<String>,
                       column: &str,
                       diags: &mut Vec<Diagnostic>|
         -> Vec<String> {
            match list.len() {
                1 => vec![list[0].clone(); n],
                len if len == n => list.clone(),
                0 => {
                    diags.push(Diagnostic::error(loc, column, "empty", "give the cost per unit moved (0 if unknown is not acceptable: estimate it and say so)"));
                    Vec::new()
                }
                len => {
                    diags.push(Diagnostic::error(
                        loc,
                        column,
                        format!("{len} values for {n} commodities"),
                        "give one value, or one per commodity separated by `;`",
                    ));
                    Vec::new()
                }
            }
        };
        let tariffs = aligned(&tariffs, "tariff_usd", diags);
        let tariff_units = aligned(&tariff_units, "tariff_unit", diags);
        let mut carries = Vec::new();
        for (i, &c) in commodity_ids.iter().enumerate() {
            let commodity = ds.commodity(c);
            let (Some(t), Some(u)) = (tariffs.get(i), tariff_units.get(i)) else {
                continue;
            };
            let Ok(tariff) = t.parse::<f64>() else {
                diags.push(Diagnostic::error(
                    loc,
                    "tariff_usd",
                    format!("`{t}` is not a number"),
                    "write USD per unit as a plain number",
                ));
                continue;
            };
            if !check_non_negative(tariff, "tariff", loc, "tariff_usd", diags) {
                continue;
            }
            let unit = match u.parse::<AmountUnit>() {
                Ok(unit) => unit,
                Err(e) => {
                    diags.push(Diagnostic::error(
                        loc,
                        "tariff_unit",
                        format!("invalid unit `{u}`"),
                        format!("{e}; a tariff is per amount, e.g. t, bbl, TEU or mcm"),
                    ));
                    continue;
                }
            };
            // USD per base unit = tariff × (tariff units in one base unit).
            let per_base =
                match convert_amount(1.0, commodity.dimension.base_unit(), unit, ds.bbl_per_t(c)) {
                    Ok(k)
                        if !check_at_most(
                            tariff * k,
                            MAX_UNIT_USD,
                            &format!("the tariff {} USD/{unit}", written(tariff)),
                            "1 million USD per base unit",
                            loc,
                            "tariff_usd",
                            diags,
                        ) =>
                    {
                        continue
                    }
                    Ok(k) => tariff * k,
                    Err(e) => {
                        diags.push(Diagnostic::error(
                            loc,
                            "tariff_unit",
                            format!("unit mismatch for `{}`: {e}", commodity.id),
                            format!("give the tariff per {}", commodity.dimension.base_unit()),
                        ));
                        continue;
                    }
                };
            let capacity_use = match capacity_dim.map(|d| capacity_weight(commodity, d)) {
                Some(Ok(k)) => k,
                Some(Err(message)) => {
                    diags.push(Diagnostic::error(loc, "capacity_unit", message, "use a capacity unit of the commodity's dimension, or give the commodity a sourced tonnes_per_unit"));
                    continue;
                }
                None => f64::NAN,
            };
            let group_use = match capacity_group
                .map(|g| capacity_weight(commodity, ds.group(g).unit.dimension()))
            {
                None => None,
                Some(Ok(k)) => Some(k),
                Some(Err(message)) => {
                    diags.push(Diagnostic::error(
                        loc,
                        "capacity_group",
                        message,
                        "measure the group in a unit every member commodity converts to",
                    ));
                    None
                }
            };
            carries.push(Carriage {
                commodity: c,
                tariff_usd: per_base,
                capacity_use,
                group_use,
            });
        }

        let transit_days = r.number("transit_days", diags).unwrap_or(0.0);
        if check_non_negative(transit_days, "transit time", loc, "transit_days", diags)
            && transit_days > MAX_TRANSIT_DAYS
        {
            diags.push(Diagnostic::error(
                loc,
                "transit_days",
                format!("{} days is longer than any voyage", written(transit_days)),
                format!("write the days one shipment takes, at most {MAX_TRANSIT_DAYS}"),
            ));
        }

        let mut countries = Vec::new();
        for text in r.list("countries") {
            match CountryCode::parse(&text).filter(|c| ds.country(*c).is_some()) {
                Some(c) => countries.push(c),
                None => {
                    let help = match closest(&text, ds.countries.iter().map(|c| c.code.as_str())) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "declare it under [[countries]] in dataset.toml".into(),
                    };
                    diags.push(Diagnostic::error(
                        loc,
                        "countries",
                        format!("unknown country `{text}`"),
                        help,
                    ));
                }
            }
        }
        if matches!(mode, Mode::Sea | Mode::Tanker | Mode::Ferry) && !countries.is_empty() {
            diags.push(Diagnostic::warning(
                loc,
                "countries",
                format!("a {mode} leg lists territory crossed"),
                "sea legs normally cross no country; list only land territory",
            ));
        }

        let start_year = r.opt_year("start_year", diags);
        let end_year = r.opt_year("end_year", diags);
        if let (Some(s), Some(e)) = (start_year, end_year) {
            if e < s {
                diags.push(Diagnostic::error(
                    loc,
                    "end_year",
                    format!("ends ({e}) before it starts ({s})"),
                    "swap or correct the years",
                ));
            }
        }
        if matches!(status, Status::Planned | Status::UnderConstruction) && start_year.is_none() {
            diags.push(Diagnostic::warning(
                loc,
                "start_year",
                format!("a {status} link without a start year is never in service"),
                "add the expected start year",
            ));
        }
        let year = match r.opt_year("year", diags) {
            Some(y) => y,
            None => {
                if r.get("year").is_empty() {
                    diags.push(Diagnostic::error(
                        loc,
                        "year",
                        "empty",
                        "give the year the capacity figure is valid for",
                    ));
                }
                0
            }
        };
        let sources = source_ids(ds, &r.list("sources"), loc, "sources", true, diags);
        let gem_projects = gem_project_ids(&r.list("gem_project_id"), loc, diags);
        if let Some((p, d)) = crate::resilience::link_outage_columns(
            r.get("outage_prob"),
            r.get("outage_days"),
            loc,
            diags,
        ) {
            outages.push((links.len(), p, d));
        }

        links.push(Link {
            name: r.required("name", diags).unwrap_or(&id).to_string(),
            id,
            from: from.unwrap_or(NodeId(0)),
            to: to.unwrap_or(NodeId(0)),
            mode,
            direction,
            carries,
            capacity,
            capacity_unit: capacity_unit.unwrap_or(RateUnit::base(Dimension::Mass)),
            capacity_base,
            capacity_group,
            transit_days,
            countries,
            status,
            start_year,
            end_year,
            year,
            sources,
            confidence,
            notes: r.get("notes").to_string(),
            gem_projects,
            status_history: Vec::new(),
            location: loc.clone(),
        });
    });
    dataset.outages.links = outages
        .into_iter()
        .map(|(i, annual_prob, mean_days)| LinkOutage {
            link: LinkId(i as u32),
            rate: OutageRate {
                annual_prob,
                mean_days,
                sources: links[i].sources.clone(),
                confidence: links[i].confidence,
            },
        })
        .collect();
    dataset.links = links;
}

/// The `gem_project_id` column: Global Energy Monitor project ids (`P` and digits, e.g. `P0644`),
/// `;`-separated when a link runs along consecutive pipelines. Whether each has a course is checked
/// once the routes are read.
fn gem_project_ids(ids: &[String], loc: &Location, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let well_formed =
            id.len() > 1 && id.starts_with('P') && id[1..].bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            diags.push(Diagnostic::error(
                loc,
                "gem_project_id",
                format!("`{id}` is not a GEM project id"),
                "write Global Energy Monitor's ProjectID, such as P0644 (several separated by `;`), or leave the cell empty",
            ));
        } else if out.contains(id) {
            diags.push(Diagnostic::error(
                loc,
                "gem_project_id",
                format!("project `{id}` is named twice"),
                "name each project once",
            ));
        } else {
            out.push(id.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
