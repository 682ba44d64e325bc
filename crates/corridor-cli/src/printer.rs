//! Where tables go: text, CSV, JSON, GeoJSON, an Excel workbook, or one CSV file per table.

use crate::context::{color, emit};
use crate::context::{Format, GlobalArgs};
use anyhow::{bail, Context, Result};
use corridor_model::{Dataset, SourceId};
use corridor_report::{self as report, sheets, Table};
use std::collections::BTreeSet;

/// The sources behind the tables: those `extra` names and those of every link a cell names.
fn sources(dataset: Option<&Dataset>, tables: &[Table], extra: &[SourceId]) -> Table {
    let Some(dataset) = dataset else {
        return Table::new("Sources", &[("id", report::Align::Left)]);
    };
    let mut links = BTreeSet::new();
    for t in tables {
        for cell in t.rows.iter().flatten() {
            for word in cell.split(|c: char| c.is_whitespace() || ",›+;".contains(c)) {
                if dataset.link_id(word).is_some() {
                    links.insert(word.to_string());
                }
            }
        }
    }
    report::sources_table(dataset, &links, extra)
}

/// Prints `tables` in the chosen format. `json` and `geojson` render the typed result for computers;
/// `--out-dir` writes one CSV file per table.
pub(crate) fn print_tables(
    global: &GlobalArgs,
    dataset: Option<&Dataset>,
    extra_sources: &[SourceId],
    tables: &[Table],
    json: impl FnOnce() -> String,
    geojson: Option<&dyn Fn() -> Result<String>>,
) -> Result<()> {
    if let Some(dir) = &global.out_dir {
        if !matches!(global.format, Format::Csv | Format::Table) {
            bail!("--out-dir writes CSV files; drop --format or use --format csv");
        }
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        let mut written = Vec::new();
        for table in tables
            .iter()
            .chain(std::iter::once(&sources(dataset, tables, extra_sources)))
        {
            let sheet = sheets::typed(table);
            let mut stem = sheet.file_stem();
            let mut n = 2;
            while written.contains(&stem) {
                stem = format!("{}-{n}", sheet.file_stem());
                n += 1;
            }
            let path = dir.join(format!("{stem}.csv"));
            corridor_io::write_atomic(&path, sheet.to_csv().as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(stem);
        }
        if !global.quiet {
            eprintln!(
                "wrote {} CSV files to {}: {}",
                written.len(),
                dir.display(),
                written.join(", ")
            );
        }
        return Ok(());
    }
    let text = match global.format {
        Format::Table => report::tables_to_text(tables, color(global)),
        Format::Csv => report::tables_to_csv(tables),
        Format::Json => json(),
        Format::Geojson => match geojson {
            Some(render) => render()?,
            None => bail!("these results have no geometry to write as GeoJSON; --format geojson works with `network`, `allocate` and `capacity`"),
        },
        Format::Xlsx => {
            return write_xlsx(global, tables, &sources(dataset, tables, extra_sources));
        }
    };
    emit(global, &text)
}

/// Writes `tables` and the `sources` sheet as an Excel workbook to `--out`.
pub(crate) fn write_xlsx(global: &GlobalArgs, tables: &[Table], sources: &Table) -> Result<()> {
    let Some(path) = &global.out else {
        bail!("--format xlsx writes a workbook: give it a file with --out FILE.xlsx");
    };
    let bytes = sheets::tables_to_xlsx(tables, sources).context("cannot build the workbook")?;
    corridor_io::write_atomic(path, &bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The error for a command whose output is not tables.
pub(crate) fn no_workbook(command: &str) -> anyhow::Error {
    anyhow::anyhow!("`{command}` prints no tables to put in a workbook; use --format json or csv")
}
