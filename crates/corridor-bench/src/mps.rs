//! A small LP model and its free-format MPS text, written by the allocation-LP generator
//! ([`crate::gen::alloclp`]) and read back by our driver (`corridor-alloc-lp`); HiGHS reads the
//! same file with `Highs::readModel`.
//!
//! Only what the generator needs is supported: one `N` (objective) row, `E`/`L`/`G` rows,
//! `RANGES`, and the bound types `UP`, `LO`, `FX`, `FR`, `MI` and `PL`. Names may not contain
//! blanks (free format). Lines starting with `*` are comments. The objective is minimised.
//!
//! ```
//! use corridor_bench::mps::{parse_mps, LpModel};
//!
//! let mut m = LpModel::new("tiny");
//! let x = m.add_col("x", 1.0, 0.0, 4.0);
//! let y = m.add_col("y", 2.0, 0.0, f64::INFINITY);
//! m.add_row("need", 3.0, f64::INFINITY, &[(x, 1.0), (y, 1.0)]);
//! let text = m.to_mps()?;
//! assert_eq!(parse_mps(&text)?, m);
//! # Ok::<(), anyhow::Error>(())
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;

use anyhow::{anyhow, bail, Context as _};

/// A linear program `min cost·x  s.t.  row_lower <= A x <= row_upper,  col_lower <= x <=
/// col_upper`, stored by columns, with names for MPS.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LpModel {
    /// The `NAME` line.
    pub name: String,
    /// Comment lines written after `* ` at the top of the file (not read back).
    pub comments: Vec<String>,
    /// Column names.
    pub col_names: Vec<String>,
    /// Objective coefficients.
    pub cost: Vec<f64>,
    /// Column lower bounds (`-inf` allowed).
    pub col_lower: Vec<f64>,
    /// Column upper bounds (`+inf` allowed).
    pub col_upper: Vec<f64>,
    /// Entries of each column as `(row, value)`, in the order added.
    pub cols: Vec<Vec<(usize, f64)>>,
    /// Row names.
    pub row_names: Vec<String>,
    /// Row lower bounds (`-inf` allowed).
    pub row_lower: Vec<f64>,
    /// Row upper bounds (`+inf` allowed).
    pub row_upper: Vec<f64>,
}

impl LpModel {
    /// An empty model.
    pub fn new(name: &str) -> Self {
        LpModel {
            name: name.to_owned(),
            ..Self::default()
        }
    }

    /// Adds a column; returns its index.
    pub fn add_col(&mut self, name: &str, cost: f64, lower: f64, upper: f64) -> usize {
        self.col_names.push(name.to_owned());
        self.cost.push(cost);
        self.col_lower.push(lower);
        self.col_upper.push(upper);
        self.cols.push(Vec::new());
        self.cols.len() - 1
    }

    /// Adds the row `lower <= Σ value · x_col <= upper`; returns its index.
    pub fn add_row(
        &mut self,
        name: &str,
        lower: f64,
        upper: f64,
        coeffs: &[(usize, f64)],
    ) -> usize {
        let r = self.row_names.len();
        self.row_names.push(name.to_owned());
        self.row_lower.push(lower);
        self.row_upper.push(upper);
        for &(c, v) in coeffs {
            self.cols[c].push((r, v));
        }
        r
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.row_names.len()
    }

    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.col_names.len()
    }

    /// Number of constraint-matrix entries.
    pub fn nnz(&self) -> usize {
        self.cols.iter().map(Vec::len).sum()
    }

    /// The model as a [`corridor_lp::Problem`], rows and columns in the same order.
    pub fn to_problem(&self) -> corridor_lp::Problem {
        let mut p = corridor_lp::Problem::new();
        let vars: Vec<corridor_lp::VarId> = (0..self.n_cols())
            .map(|j| p.add_var(self.col_lower[j], self.col_upper[j], self.cost[j]))
            .collect();
        let mut rows: Vec<Vec<(corridor_lp::VarId, f64)>> = vec![Vec::new(); self.n_rows()];
        for (j, col) in self.cols.iter().enumerate() {
            for &(i, v) in col {
                rows[i].push((vars[j], v));
            }
        }
        for (i, coeffs) in rows.iter().enumerate() {
            p.add_row(self.row_lower[i], self.row_upper[i], coeffs);
        }
        p
    }

    /// The free-format MPS text.
    ///
    /// # Errors
    /// A row free on both sides, or a non-finite cost or coefficient (MPS cannot say them).
    pub fn to_mps(&self) -> anyhow::Result<String> {
        let mut s = String::new();
        for c in &self.comments {
            let _ = writeln!(s, "* {c}");
        }
        let _ = writeln!(s, "NAME {}", self.name);
        s.push_str("ROWS\n N obj\n");
        let mut rhs = Vec::new();
        let mut ranges = Vec::new();
        for (i, name) in self.row_names.iter().enumerate() {
            let (l, u) = (self.row_lower[i], self.row_upper[i]);
            let kind = if l == u {
                rhs.push((i, l));
                'E'
            } else if l.is_finite() {
                rhs.push((i, l));
                if u.is_finite() {
                    ranges.push((i, u - l));
                }
                'G'
            } else if u.is_finite() {
                rhs.push((i, u));
                'L'
            } else {
                bail!("row {name} is free on both sides");
            };
            let _ = writeln!(s, " {kind} {name}");
        }
        s.push_str("COLUMNS\n");
        for (j, name) in self.col_names.iter().enumerate() {
            let c = self.cost[j];
            if !c.is_finite() {
                bail!("column {name} has cost {c}");
            }
            if c != 0.0 {
                let _ = writeln!(s, " {name} obj {c}");
            }
            for &(i, v) in &self.cols[j] {
                if !v.is_finite() {
                    bail!("column {name} has coefficient {v}");
                }
                let _ = writeln!(s, " {name} {} {v}", self.row_names[i]);
            }
        }
        s.push_str("RHS\n");
        for (i, v) in rhs {
            if v != 0.0 {
                let _ = writeln!(s, " rhs {} {v}", self.row_names[i]);
            }
        }
        if !ranges.is_empty() {
            s.push_str("RANGES\n");
            for (i, r) in ranges {
                let _ = writeln!(s, " rng {} {r}", self.row_names[i]);
            }
        }
        s.push_str("BOUNDS\n");
        for (j, name) in self.col_names.iter().enumerate() {
            let (l, u) = (self.col_lower[j], self.col_upper[j]);
            if l == u {
                let _ = writeln!(s, " FX bnd {name} {l}");
                continue;
            }
            match (l.is_finite(), u.is_finite()) {
                (false, false) => {
                    let _ = writeln!(s, " FR bnd {name}");
                }
                (false, true) => {
                    let _ = writeln!(s, " MI bnd {name}");
                    let _ = writeln!(s, " UP bnd {name} {u}");
                }
                (true, up_finite) => {
                    if l != 0.0 {
                        let _ = writeln!(s, " LO bnd {name} {l}");
                    }
                    if up_finite {
                        let _ = writeln!(s, " UP bnd {name} {u}");
                    }
                }
            }
        }
        s.push_str("ENDATA\n");
        Ok(s)
    }
}

/// Reads free-format MPS text (the subset [`LpModel::to_mps`] writes) into a model.
///
/// # Errors
/// Unknown sections, row kinds or bound types, unknown names, malformed numbers; the message
/// names the line.
pub fn parse_mps(text: &str) -> anyhow::Result<LpModel> {
    #[derive(Clone, Copy, PartialEq)]
    enum Section {
        None,
        Rows,
        Columns,
        Rhs,
        Ranges,
        Bounds,
    }
    let mut m = LpModel::default();
    let mut section = Section::None;
    let mut obj_name: Option<String> = None;
    let mut kinds: Vec<char> = Vec::new();
    let mut row_index: HashMap<String, usize> = HashMap::new();
    let mut col_index: HashMap<String, usize> = HashMap::new();
    let mut range: Vec<Option<f64>> = Vec::new();
    let mut rhs: Vec<f64> = Vec::new();
    let num = |s: &str, line: usize| -> anyhow::Result<f64> {
        s.parse::<f64>()
            .map_err(|_| anyhow!("line {line}: `{s}` is not a number"))
    };
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        if raw.starts_with('*') || raw.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = raw.split_whitespace().collect();
        if !raw.starts_with(' ') && !raw.starts_with('\t') {
            section = match f[0] {
                "NAME" => {
                    m.name = f.get(1).copied().unwrap_or_default().to_owned();
                    Section::None
                }
                "ROWS" => Section::Rows,
                "COLUMNS" => Section::Columns,
                "RHS" => Section::Rhs,
                "RANGES" => Section::Ranges,
                "BOUNDS" => Section::Bounds,
                "ENDATA" => break,
                other => bail!("line {line}: unknown section `{other}`"),
            };
            continue;
        }
        match section {
            Section::None => bail!("line {line}: data outside a section"),
            Section::Rows => {
                let [kind, name] = f[..] else {
                    bail!("line {line}: expected `KIND NAME`");
                };
                if kind == "N" {
                    if obj_name.is_some() {
                        bail!("line {line}: a second objective row");
                    }
                    obj_name = Some(name.to_owned());
                    continue;
                }
                let c = match kind {
                    "E" => 'E',
                    "L" => 'L',
                    "G" => 'G',
                    other => bail!("line {line}: unknown row kind `{other}`"),
                };
                row_index.insert(name.to_owned(), kinds.len());
                kinds.push(c);
                m.row_names.push(name.to_owned());
                range.push(None);
                rhs.push(0.0);
            }
            Section::Columns => {
                if f.len() < 3 || f.len() % 2 == 0 {
                    bail!("line {line}: expected `COLUMN ROW VALUE [ROW VALUE]`");
                }
                let j = match col_index.get(f[0]) {
                    Some(&j) => j,
                    None => {
                        let j = m.add_col(f[0], 0.0, 0.0, f64::INFINITY);
                        col_index.insert(f[0].to_owned(), j);
                        j
                    }
                };
                for pair in f[1..].chunks(2) {
                    let v = num(pair[1], line)?;
                    if obj_name.as_deref() == Some(pair[0]) {
                        m.cost[j] += v;
                    } else {
                        let i = *row_index
                            .get(pair[0])
                            .ok_or_else(|| anyhow!("line {line}: unknown row `{}`", pair[0]))?;
                        m.cols[j].push((i, v));
                    }
                }
            }
            Section::Rhs | Section::Ranges => {
                if f.len() < 3 || f.len() % 2 == 0 {
                    bail!("line {line}: expected `SET ROW VALUE [ROW VALUE]`");
                }
                for pair in f[1..].chunks(2) {
                    let v = num(pair[1], line)?;
                    if obj_name.as_deref() == Some(pair[0]) {
                        if v != 0.0 {
                            bail!("line {line}: objective constants are not supported");
                        }
                        continue;
                    }
                    let i = *row_index
                        .get(pair[0])
                        .ok_or_else(|| anyhow!("line {line}: unknown row `{}`", pair[0]))?;
                    if section == Section::Rhs {
                        rhs[i] = v;
                    } else {
                        range[i] = Some(v);
                    }
                }
            }
            Section::Bounds => {
                if f.len() < 3 {
                    bail!("line {line}: expected `TYPE SET COLUMN [VALUE]`");
                }
                let j = *col_index
                    .get(f[2])
                    .ok_or_else(|| anyhow!("line {line}: unknown column `{}`", f[2]))?;
                let value = || -> anyhow::Result<f64> {
                    num(
                        f.get(3)
                            .ok_or_else(|| anyhow!("line {line}: bound without a value"))?,
                        line,
                    )
                };
                match f[0] {
                    "UP" => m.col_upper[j] = value()?,
                    "LO" => m.col_lower[j] = value()?,
                    "FX" => {
                        let v = value()?;
                        m.col_lower[j] = v;
                        m.col_upper[j] = v;
                    }
                    "FR" => {
                        m.col_lower[j] = f64::NEG_INFINITY;
                        m.col_upper[j] = f64::INFINITY;
                    }
                    "MI" => m.col_lower[j] = f64::NEG_INFINITY,
                    "PL" => m.col_upper[j] = f64::INFINITY,
                    other => bail!("line {line}: unsupported bound type `{other}`"),
                }
            }
        }
    }
    obj_name.context("no objective (`N`) row")?;
    for (i, &kind) in kinds.iter().enumerate() {
        let b = rhs[i];
        let (l, u) = match (kind, range[i]) {
            ('E', None) => (b, b),
            ('E', Some(r)) if r >= 0.0 => (b, b + r),
            ('E', Some(r)) => (b + r, b),
            ('G', None) => (b, f64::INFINITY),
            ('G', Some(r)) => (b, b + r.abs()),
            ('L', None) => (f64::NEG_INFINITY, b),
            (_, Some(r)) => (b - r.abs(), b),
            (_, None) => (f64::NEG_INFINITY, b),
        };
        m.row_lower.push(l);
        m.row_upper.push(u);
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_row_and_bound_kind() {
        let mut m = LpModel::new("kinds");
        m.comments.push("a comment".into());
        let a = m.add_col("a", 1.5, 0.0, 10.0);
        let b = m.add_col("b", -2.0, f64::NEG_INFINITY, f64::INFINITY);
        let c = m.add_col("c", 0.0, 3.0, 3.0);
        let d = m.add_col("d", 0.25, -1.0, f64::INFINITY);
        let e = m.add_col("e", 1.0, f64::NEG_INFINITY, 7.0);
        m.add_row("eq", 2.0, 2.0, &[(a, 1.0), (b, -1.0)]);
        m.add_row("le", f64::NEG_INFINITY, 0.0, &[(b, 0.75), (c, 1.0)]);
        m.add_row("ge", -4.0, f64::INFINITY, &[(d, 2.0), (e, 1.0)]);
        m.add_row("rg", 1.0, 6.0, &[(a, 1.0), (e, -1.0)]);
        let text = m.to_mps().expect("writable");
        assert!(text.starts_with("* a comment\nNAME kinds\n"));
        let back = parse_mps(&text).expect("readable");
        assert_eq!(back.comments, Vec::<String>::new());
        m.comments.clear();
        assert_eq!(back, m);
        let p = back.to_problem();
        assert_eq!((p.n_rows(), p.n_vars()), (4, 5));
    }

    #[test]
    fn reports_bad_input_with_its_line() {
        let err = parse_mps("NAME x\nROWS\n N obj\n Q r\n").expect_err("bad kind");
        assert!(format!("{err}").contains("line 4"), "{err}");
        let err = parse_mps("NAME x\nROWS\n L r\nENDATA\n").expect_err("no objective");
        assert!(format!("{err}").contains("objective"), "{err}");
    }
}
