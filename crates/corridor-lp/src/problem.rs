//! The LP model: variables with bounds and costs, rows with bounds and sparse coefficients.

use crate::LpError;

/// Identifies a variable (column) of a [`Problem`]; the index is the order of [`Problem::add_var`] calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarId(pub usize);

/// Identifies a row (constraint) of a [`Problem`]; the index is the order of [`Problem::add_row`] calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowId(pub usize);

/// A linear program, always in *minimisation* form:
///
/// ```text
/// minimise    sum_j cost_j * x_j
/// subject to  row_lower_i <= sum_j a_ij * x_j <= row_upper_i   for every row i
///             var_lower_j <= x_j <= var_upper_j                 for every variable j
/// ```
///
/// Any bound may be infinite on its own side (`f64::NEG_INFINITY` for a lower bound,
/// `f64::INFINITY` for an upper bound); a row or variable with equal bounds is fixed.
///
/// The builder never panics and never rejects input on the spot: bad values (NaN, a lower bound of
/// `+inf`, inverted bounds, unknown ids) are recorded and reported as an [`LpError`] by
/// [`Problem::validate`], which every solver calls first.
#[derive(Clone, Debug, Default)]
pub struct Problem {
    var_lower: Vec<f64>,
    var_upper: Vec<f64>,
    cost: Vec<f64>,
    row_lower: Vec<f64>,
    row_upper: Vec<f64>,
    rows: Vec<Vec<(VarId, f64)>>,
    /// The first call that referred to a variable or row that did not exist.
    misuse: Option<LpError>,
}

/// A sparse matrix in compressed-column form, as most LP backends (HiGHS included) take it.
///
/// Column `j` holds the entries `index[start[j]..start[j + 1]]` (row indices, strictly increasing)
/// with values `value[start[j]..start[j + 1]]`. Duplicate coefficients of one variable in one row
/// are summed; explicit zeros are dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CscMatrix {
    /// Number of rows.
    pub n_rows: usize,
    /// Number of columns.
    pub n_cols: usize,
    /// Column start offsets, `n_cols + 1` entries.
    pub start: Vec<usize>,
    /// Row index of each entry.
    pub index: Vec<usize>,
    /// Value of each entry.
    pub value: Vec<f64>,
}

impl CscMatrix {
    /// Entries of column `j` as `(row, value)` pairs; empty for an out-of-range column.
    pub fn column(&self, j: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (lo, hi) = match (self.start.get(j), self.start.get(j + 1)) {
            (Some(&lo), Some(&hi)) => (lo, hi),
            _ => (0, 0),
        };
        let index = self.index.get(lo..hi).unwrap_or(&[]);
        let value = self.value.get(lo..hi).unwrap_or(&[]);
        index.iter().copied().zip(value.iter().copied())
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.index.len()
    }
}

impl Problem {
    /// An empty problem: no variables, no rows, objective 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a variable `lower <= x <= upper` with objective coefficient `cost`.
    ///
    /// `lower` may be `f64::NEG_INFINITY` and `upper` may be `f64::INFINITY`.
    pub fn add_var(&mut self, lower: f64, upper: f64, cost: f64) -> VarId {
        self.var_lower.push(lower);
        self.var_upper.push(upper);
        self.cost.push(cost);
        VarId(self.cost.len() - 1)
    }

    /// Adds the row `lower <= sum coeff * x <= upper`.
    ///
    /// It is an equality when `lower == upper`; either side may be infinite. A variable listed
    /// twice has its coefficients summed. Unknown variables are reported by [`Problem::validate`].
    pub fn add_row(&mut self, lower: f64, upper: f64, coeffs: &[(VarId, f64)]) -> RowId {
        self.row_lower.push(lower);
        self.row_upper.push(upper);
        self.rows.push(coeffs.to_vec());
        RowId(self.rows.len() - 1)
    }

    /// Replaces the bounds of variable `v`. An unknown `v` is reported by [`Problem::validate`].
    pub fn set_var_bounds(&mut self, v: VarId, lower: f64, upper: f64) {
        match (self.var_lower.get_mut(v.0), self.var_upper.get_mut(v.0)) {
            (Some(l), Some(u)) => {
                *l = lower;
                *u = upper;
            }
            _ => self.record_unknown_var(v, "set_var_bounds"),
        }
    }

    /// Replaces the objective coefficient of variable `v`. An unknown `v` is reported by
    /// [`Problem::validate`].
    pub fn set_cost(&mut self, v: VarId, cost: f64) {
        match self.cost.get_mut(v.0) {
            Some(c) => *c = cost,
            None => self.record_unknown_var(v, "set_cost"),
        }
    }

    /// Replaces the bounds of row `r`. An unknown `r` is reported by [`Problem::validate`].
    pub fn set_row_bounds(&mut self, r: RowId, lower: f64, upper: f64) {
        match (self.row_lower.get_mut(r.0), self.row_upper.get_mut(r.0)) {
            (Some(l), Some(u)) => {
                *l = lower;
                *u = upper;
            }
            _ => {
                if self.misuse.is_none() {
                    self.misuse = Some(LpError::UnknownRow {
                        row: r.0,
                        n_rows: self.rows.len(),
                        context: "set_row_bounds".to_string(),
                    });
                }
            }
        }
    }

    fn record_unknown_var(&mut self, v: VarId, context: &str) {
        if self.misuse.is_none() {
            self.misuse = Some(LpError::UnknownVar {
                var: v.0,
                n_vars: self.cost.len(),
                context: context.to_string(),
            });
        }
    }

    /// Number of variables.
    pub fn n_vars(&self) -> usize {
        self.cost.len()
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// `(lower, upper)` bounds of variable `v`, or `None` if it does not exist.
    pub fn var_bounds(&self, v: VarId) -> Option<(f64, f64)> {
        Some((*self.var_lower.get(v.0)?, *self.var_upper.get(v.0)?))
    }

    /// Objective coefficient of variable `v`, or `None` if it does not exist.
    pub fn cost(&self, v: VarId) -> Option<f64> {
        self.cost.get(v.0).copied()
    }

    /// `(lower, upper)` bounds of row `r`, or `None` if it does not exist.
    pub fn row_bounds(&self, r: RowId) -> Option<(f64, f64)> {
        Some((*self.row_lower.get(r.0)?, *self.row_upper.get(r.0)?))
    }

    /// Coefficients of row `r` exactly as given to [`Problem::add_row`] (duplicates not merged);
    /// empty for an unknown row.
    pub fn row_coeffs(&self, r: RowId) -> &[(VarId, f64)] {
        self.rows.get(r.0).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Lower bounds of all variables, indexed by `VarId.0`.
    pub fn var_lowers(&self) -> &[f64] {
        &self.var_lower
    }

    /// Upper bounds of all variables, indexed by `VarId.0`.
    pub fn var_uppers(&self) -> &[f64] {
        &self.var_upper
    }

    /// Objective coefficients of all variables, indexed by `VarId.0`.
    pub fn costs(&self) -> &[f64] {
        &self.cost
    }

    /// Lower bounds of all rows, indexed by `RowId.0`.
    pub fn row_lowers(&self) -> &[f64] {
        &self.row_lower
    }

    /// Upper bounds of all rows, indexed by `RowId.0`.
    pub fn row_uppers(&self) -> &[f64] {
        &self.row_upper
    }

    /// Objective value `sum cost_j * x_j` of a point (missing entries count as 0).
    pub fn objective_of(&self, x: &[f64]) -> f64 {
        self.cost.iter().zip(x).map(|(c, v)| c * v).sum()
    }

    /// Row activities `sum_j a_ij * x_j` of a point (missing entries count as 0).
    pub fn row_activities(&self, x: &[f64]) -> Vec<f64> {
        self.rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|&(v, a)| a * x.get(v.0).copied().unwrap_or(0.0))
                    .sum()
            })
            .collect()
    }

    /// Checks every number and id in the problem.
    ///
    /// # Errors
    /// The first problem found, in this order: a call that referred to an unknown variable or row;
    /// a non-finite cost, a NaN bound, a lower bound of `+inf` or an upper bound of `-inf`
    /// ([`LpError::NonFinite`]); `lower > upper` ([`LpError::InvertedBounds`]); a coefficient that
    /// refers to an unknown variable ([`LpError::UnknownVar`]) or is not finite.
    pub fn validate(&self) -> Result<(), LpError> {
        if let Some(err) = &self.misuse {
            return Err(err.clone());
        }
        for (j, &c) in self.cost.iter().enumerate() {
            if !c.is_finite() {
                return Err(non_finite("cost of variable", j, c));
            }
        }
        check_bounds("variable", &self.var_lower, &self.var_upper)?;
        check_bounds("row", &self.row_lower, &self.row_upper)?;
        let n_vars = self.cost.len();
        for (i, row) in self.rows.iter().enumerate() {
            for &(v, a) in row {
                if v.0 >= n_vars {
                    return Err(LpError::UnknownVar {
                        var: v.0,
                        n_vars,
                        context: format!("row {i}"),
                    });
                }
                if !a.is_finite() {
                    return Err(LpError::NonFinite {
                        what: format!("coefficient of variable {} in row", v.0),
                        index: i,
                        value: a,
                    });
                }
            }
        }
        Ok(())
    }

    /// The constraint matrix in compressed-column form (duplicates summed, zeros dropped).
    ///
    /// # Errors
    /// Whatever [`Problem::validate`] reports.
    pub fn csc(&self) -> Result<CscMatrix, LpError> {
        self.validate()?;
        let n_cols = self.n_vars();
        let mut count = vec![0usize; n_cols + 1];
        for row in &self.rows {
            for &(v, _) in row {
                count[v.0 + 1] += 1;
            }
        }
        for j in 0..n_cols {
            count[j + 1] += count[j];
        }
        let nnz = count[n_cols];
        let mut next = count.clone();
        let mut index = vec![0usize; nnz];
        let mut value = vec![0.0f64; nnz];
        // Rows are visited in increasing order, so each column's row indices come out sorted and
        // duplicates of one (row, column) pair end up adjacent.
        for (i, row) in self.rows.iter().enumerate() {
            for &(v, a) in row {
                let k = next[v.0];
                index[k] = i;
                value[k] = a;
                next[v.0] += 1;
            }
        }
        let mut start = Vec::with_capacity(n_cols + 1);
        let mut out_index = Vec::with_capacity(nnz);
        let mut out_value = Vec::with_capacity(nnz);
        start.push(0);
        for j in 0..n_cols {
            let mut k = count[j];
            while k < count[j + 1] {
                let i = index[k];
                let mut a = 0.0;
                while k < count[j + 1] && index[k] == i {
                    a += value[k];
                    k += 1;
                }
                if a != 0.0 {
                    if !a.is_finite() {
                        return Err(LpError::NonFinite {
                            what: format!("summed coefficient of variable {j} in row"),
                            index: i,
                            value: a,
                        });
                    }
                    out_index.push(i);
                    out_value.push(a);
                }
            }
            start.push(out_index.len());
        }
        Ok(CscMatrix {
            n_rows: self.n_rows(),
            n_cols,
            start,
            index: out_index,
            value: out_value,
        })
    }
}

fn non_finite(what: &str, index: usize, value: f64) -> LpError {
    LpError::NonFinite {
        what: what.to_string(),
        index,
        value,
    }
}

fn check_bounds(kind: &str, lower: &[f64], upper: &[f64]) -> Result<(), LpError> {
    for (index, (&l, &u)) in lower.iter().zip(upper).enumerate() {
        if l.is_nan() || l == f64::INFINITY {
            return Err(non_finite(&format!("lower bound of {kind}"), index, l));
        }
        if u.is_nan() || u == f64::NEG_INFINITY {
            return Err(non_finite(&format!("upper bound of {kind}"), index, u));
        }
        if l > u {
            return Err(LpError::InvertedBounds {
                what: kind.to_string(),
                index,
                lower: l,
                upper: u,
            });
        }
    }
    Ok(())
}
