//! Sparse LU factorisation of a simplex basis with product-form (eta) updates.
//!
//! The basis `B` (m × m, columns indexed by *basis position*) is factorised by Gaussian
//! elimination with Markowitz pivot choice and threshold partial pivoting:
//!
//! 1. column singletons, then row singletons, are pivoted first (a network basis is mostly
//!    triangular, so this usually leaves a small "nucleus");
//! 2. the nucleus is eliminated by choosing, among the few columns with the fewest entries, the
//!    entry of least Markowitz cost `(r - 1)(c - 1)` whose magnitude is at least
//!    [`THRESHOLD`] times the largest in its column.
//!
//! The result is a pivot sequence `(row_k, position_k)`, row operations `L_k` and upper-triangular
//! rows `U_k`, so that `L⁻¹ B` is a permuted upper-triangular matrix. A column that has no usable
//! pivot (the basis is singular) is replaced by the logical (slack) column of an unpivoted row; the
//! caller is told which, so it can update its basis.
//!
//! After a basis change the new column's FTRAN result is stored as an eta vector, so that
//! `B_new⁻¹ = E⁻¹ B⁻¹`; the caller refactorises after a bounded number of updates.
//!
//! Complexity: the solves cost O(m + nonzeros touched); factorising a near-triangular basis costs
//! O(nonzeros of B) plus the nucleus work.

/// Relative threshold for pivots in the nucleus: `|pivot| >= THRESHOLD * max |column entry|`.
const THRESHOLD: f64 = 0.1;
/// Entries smaller than this are not accepted as pivots (the basis is treated as singular there).
const ABS_PIVOT_TOL: f64 = 1e-11;
/// Eta entries below this magnitude are dropped.
const DROP_TOL: f64 = 1e-14;
/// How many of the sparsest columns the Markowitz search examines per pivot.
const SEARCH_COLUMNS: usize = 4;

/// Factors of the current basis plus the eta file of updates since the last factorisation.
#[derive(Debug, Default, Clone)]
pub(crate) struct Factor {
    m: usize,
    /// Row pivoted at step k.
    prow: Vec<usize>,
    /// Basis position pivoted at step k.
    pcol: Vec<usize>,
    diag: Vec<f64>,
    /// Row operations of step k: `b[i] -= l * b[prow[k]]` for `(i, l)` in the slice.
    l_start: Vec<usize>,
    l_index: Vec<usize>,
    l_value: Vec<f64>,
    /// Off-diagonal entries of U row k as (basis position, value).
    ur_start: Vec<usize>,
    ur_index: Vec<usize>,
    ur_value: Vec<f64>,
    /// Off-diagonal entries of U column k (the column pivoted at step k) as (row, value).
    uc_start: Vec<usize>,
    uc_index: Vec<usize>,
    uc_value: Vec<f64>,
    /// Eta file: update t replaced position `eta_pos[t]`; its pivot is `eta_pivot[t]` and the other
    /// entries of the FTRAN'd column are in `eta_start[t]..eta_start[t + 1]`.
    eta_pos: Vec<usize>,
    eta_pivot: Vec<f64>,
    eta_start: Vec<usize>,
    eta_index: Vec<usize>,
    eta_value: Vec<f64>,
}

/// A basis column, given as sparse (row, value) entries.
pub(crate) struct BasisColumns<'a> {
    pub start: &'a [usize],
    pub index: &'a [usize],
    pub value: &'a [f64],
}

impl Factor {
    /// Number of updates in the eta file.
    pub(crate) fn n_updates(&self) -> usize {
        self.eta_pos.len()
    }

    /// Nonzeros in L and U (a measure of the cost of one solve).
    pub(crate) fn factor_nnz(&self) -> usize {
        self.l_index.len() + self.ur_index.len() + self.m
    }

    /// Nonzeros in the eta file.
    pub(crate) fn eta_nnz(&self) -> usize {
        self.eta_index.len() + self.eta_pos.len()
    }

    /// Factorises the m × m basis whose column at position p is `cols` entry p.
    ///
    /// Returns the `(position, row)` pairs where a column was dependent on the others and has been
    /// replaced by the logical column `-e_row`; empty when the basis is nonsingular.
    pub(crate) fn factorize(&mut self, m: usize, cols: &BasisColumns<'_>) -> Vec<(usize, usize)> {
        self.m = m;
        self.clear_etas();
        let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); m];
        let mut col_rows: Vec<Vec<usize>> = vec![Vec::new(); m];
        for p in 0..m {
            let (lo, hi) = (cols.start[p], cols.start[p + 1]);
            for k in lo..hi {
                let (i, a) = (cols.index[k], cols.value[k]);
                if a != 0.0 && i < m {
                    rows[i].push((p, a));
                    col_rows[p].push(i);
                }
            }
        }
        let mut col_count: Vec<usize> = col_rows.iter().map(Vec::len).collect();
        let mut row_done = vec![false; m];
        let mut col_done = vec![false; m];
        // Per step: (row, position, diagonal), U row entries and L entries.
        let mut steps: Vec<(usize, usize, f64)> = Vec::with_capacity(m);
        let mut urows: Vec<Vec<(usize, f64)>> = Vec::with_capacity(m);
        let mut lcols: Vec<Vec<(usize, f64)>> = Vec::with_capacity(m);

        // Column singletons: no elimination needed, the pivot row becomes a U row as it is.
        let mut stack: Vec<usize> = (0..m).filter(|&p| col_count[p] == 1).collect();
        while let Some(c) = stack.pop() {
            if col_done[c] || col_count[c] != 1 {
                continue;
            }
            let Some(i) = col_rows[c].iter().copied().find(|&i| !row_done[i]) else {
                continue;
            };
            let Some(a) = find(&rows[i], c) else { continue };
            if a.abs() < ABS_PIVOT_TOL {
                continue;
            }
            let mut urow = Vec::with_capacity(rows[i].len().saturating_sub(1));
            for &(j, v) in &rows[i] {
                if j != c {
                    urow.push((j, v));
                    col_count[j] -= 1;
                    if col_count[j] == 1 && !col_done[j] {
                        stack.push(j);
                    }
                }
            }
            row_done[i] = true;
            col_done[c] = true;
            col_count[c] = 0;
            steps.push((i, c, a));
            urows.push(urow);
            lcols.push(Vec::new());
        }

        // Row singletons: eliminate the pivot's column from the other rows, no fill-in.
        let mut stack: Vec<usize> = (0..m)
            .filter(|&i| !row_done[i] && rows[i].len() == 1)
            .collect();
        while let Some(i) = stack.pop() {
            if row_done[i] || rows[i].len() != 1 {
                continue;
            }
            let (c, a) = rows[i][0];
            if col_done[c] {
                continue;
            }
            let mut col_max = 0.0f64;
            for &k in &col_rows[c] {
                if !row_done[k] {
                    if let Some(v) = find(&rows[k], c) {
                        col_max = col_max.max(v.abs());
                    }
                }
            }
            if a.abs() < ABS_PIVOT_TOL || a.abs() < THRESHOLD * col_max {
                continue;
            }
            let mut lcol = Vec::new();
            for idx in 0..col_rows[c].len() {
                let k = col_rows[c][idx];
                if k == i || row_done[k] {
                    continue;
                }
                if let Some(pos) = rows[k].iter().position(|&(j, _)| j == c) {
                    let v = rows[k][pos].1;
                    rows[k].swap_remove(pos);
                    lcol.push((k, v / a));
                    if rows[k].len() == 1 {
                        stack.push(k);
                    }
                }
            }
            row_done[i] = true;
            col_done[c] = true;
            col_count[c] = 0;
            steps.push((i, c, a));
            urows.push(Vec::new());
            lcols.push(lcol);
        }

        // Markowitz elimination of the nucleus.
        let mut active: Vec<usize> = (0..m).filter(|&p| !col_done[p]).collect();
        let mut mark = vec![usize::MAX; m];
        let mut seen = vec![usize::MAX; m];
        let mut work = vec![0.0f64; m];
        let mut stamp = 0usize;
        let mut singular_cols: Vec<usize> = Vec::new();
        loop {
            active.retain(|&p| !col_done[p]);
            if active.is_empty() {
                break;
            }
            // The few sparsest active columns, fewest entries first.
            let mut cand: Vec<usize> = Vec::with_capacity(SEARCH_COLUMNS + 1);
            for &p in &active {
                let pos = cand
                    .iter()
                    .position(|&q| col_count[q] > col_count[p])
                    .unwrap_or(cand.len());
                if pos < SEARCH_COLUMNS {
                    cand.insert(pos, p);
                    cand.truncate(SEARCH_COLUMNS);
                }
            }
            // (cost, -|a|, row, col, a)
            let mut best: Option<(usize, f64, usize, usize, f64)> = None;
            for &c in &cand {
                let mut col_max = 0.0f64;
                for &k in &col_rows[c] {
                    if !row_done[k] {
                        if let Some(v) = find(&rows[k], c) {
                            col_max = col_max.max(v.abs());
                        }
                    }
                }
                if col_max < ABS_PIVOT_TOL {
                    // Numerically empty column: the basis is singular here.
                    col_done[c] = true;
                    singular_cols.push(c);
                    continue;
                }
                let cc = col_count[c].saturating_sub(1);
                for &k in &col_rows[c] {
                    if row_done[k] {
                        continue;
                    }
                    let Some(v) = find(&rows[k], c) else { continue };
                    if v.abs() < THRESHOLD * col_max {
                        continue;
                    }
                    let cost = (rows[k].len().saturating_sub(1)) * cc;
                    let better = match best {
                        None => true,
                        Some((bc, ba, ..)) => cost < bc || (cost == bc && v.abs() > ba),
                    };
                    if better {
                        best = Some((cost, v.abs(), k, c, v));
                    }
                }
            }
            let Some((_, _, r, c, piv)) = best else {
                continue;
            };
            // Eliminate column c from every other active row using pivot row r.
            let prow = std::mem::take(&mut rows[r]);
            stamp += 1;
            let row_stamp = stamp;
            for &(j, v) in &prow {
                if j != c {
                    work[j] = v;
                    mark[j] = row_stamp;
                }
            }
            let mut lcol = Vec::new();
            for idx in 0..col_rows[c].len() {
                let k = col_rows[c][idx];
                if k == r || row_done[k] {
                    continue;
                }
                let Some(pos) = rows[k].iter().position(|&(j, _)| j == c) else {
                    continue;
                };
                let v = rows[k][pos].1;
                rows[k].swap_remove(pos);
                let l = v / piv;
                lcol.push((k, l));
                if l == 0.0 {
                    continue;
                }
                stamp += 1;
                let row_k_stamp = stamp;
                for e in rows[k].iter_mut() {
                    if mark[e.0] == row_stamp {
                        e.1 -= l * work[e.0];
                        seen[e.0] = row_k_stamp;
                    }
                }
                for &(j, w) in &prow {
                    if j != c && seen[j] != row_k_stamp {
                        rows[k].push((j, -l * w));
                        col_rows[j].push(k);
                        col_count[j] += 1;
                    }
                }
            }
            let mut urow = Vec::with_capacity(prow.len().saturating_sub(1));
            for &(j, v) in &prow {
                if j != c {
                    urow.push((j, v));
                    col_count[j] = col_count[j].saturating_sub(1);
                }
            }
            row_done[r] = true;
            col_done[c] = true;
            col_count[c] = 0;
            steps.push((r, c, piv));
            urows.push(urow);
            lcols.push(lcol);
        }

        // Replace the columns without a pivot by logicals of the rows without one.
        let mut replaced = Vec::new();
        if steps.len() < m {
            let mut pivoted_col = vec![false; m];
            for &(_, c, _) in &steps {
                pivoted_col[c] = true;
            }
            let free_rows: Vec<usize> = (0..m).filter(|&i| !row_done[i]).collect();
            let free_cols: Vec<usize> = (0..m).filter(|&p| !pivoted_col[p]).collect();
            let is_replaced: Vec<bool> = {
                let mut v = vec![false; m];
                for &p in &free_cols {
                    v[p] = true;
                }
                v
            };
            for urow in urows.iter_mut() {
                urow.retain(|&(j, _)| !is_replaced[j]);
            }
            for (&i, &p) in free_rows.iter().zip(&free_cols) {
                steps.push((i, p, -1.0));
                urows.push(Vec::new());
                lcols.push(Vec::new());
                replaced.push((p, i));
            }
        }
        drop(singular_cols);
        self.store(steps, urows, lcols);
        replaced
    }

    fn store(
        &mut self,
        steps: Vec<(usize, usize, f64)>,
        urows: Vec<Vec<(usize, f64)>>,
        lcols: Vec<Vec<(usize, f64)>>,
    ) {
        let m = self.m;
        self.prow.clear();
        self.pcol.clear();
        self.diag.clear();
        for &(r, c, d) in &steps {
            self.prow.push(r);
            self.pcol.push(c);
            self.diag.push(d);
        }
        self.l_start.clear();
        self.l_index.clear();
        self.l_value.clear();
        self.l_start.push(0);
        for lcol in &lcols {
            for &(i, l) in lcol {
                self.l_index.push(i);
                self.l_value.push(l);
            }
            self.l_start.push(self.l_index.len());
        }
        self.ur_start.clear();
        self.ur_index.clear();
        self.ur_value.clear();
        self.ur_start.push(0);
        let mut step_of_pos = vec![0usize; m];
        for (k, &c) in self.pcol.iter().enumerate() {
            step_of_pos[c] = k;
        }
        let mut col_len = vec![0usize; m + 1];
        for urow in &urows {
            for &(j, v) in urow {
                self.ur_index.push(j);
                self.ur_value.push(v);
                col_len[step_of_pos[j] + 1] += 1;
            }
            self.ur_start.push(self.ur_index.len());
        }
        for k in 0..m {
            col_len[k + 1] += col_len[k];
        }
        let nnz = col_len[m];
        let mut next = col_len.clone();
        self.uc_index = vec![0; nnz];
        self.uc_value = vec![0.0; nnz];
        for (k, urow) in urows.iter().enumerate() {
            let r = self.prow[k];
            for &(j, v) in urow {
                let s = step_of_pos[j];
                self.uc_index[next[s]] = r;
                self.uc_value[next[s]] = v;
                next[s] += 1;
            }
        }
        self.uc_start = col_len;
    }

    fn clear_etas(&mut self) {
        self.eta_pos.clear();
        self.eta_pivot.clear();
        self.eta_start.clear();
        self.eta_start.push(0);
        self.eta_index.clear();
        self.eta_value.clear();
    }

    /// Records that position `p` of the basis was replaced by a column whose FTRAN result (with
    /// the factors before this update) is `alpha` (indexed by position).
    pub(crate) fn push_eta(&mut self, p: usize, alpha: &[f64]) {
        for (i, &a) in alpha.iter().enumerate() {
            if i != p && a.abs() > DROP_TOL {
                self.eta_index.push(i);
                self.eta_value.push(a);
            }
        }
        self.eta_pos.push(p);
        self.eta_pivot.push(alpha.get(p).copied().unwrap_or(1.0));
        self.eta_start.push(self.eta_index.len());
    }

    /// Solves `B x = b`. `b` is indexed by row and is overwritten with scratch values; `x` is
    /// indexed by basis position.
    pub(crate) fn ftran(&self, b: &mut [f64], x: &mut [f64]) {
        let m = self.m;
        for k in 0..m {
            let v = b[self.prow[k]];
            if v != 0.0 {
                for t in self.l_start[k]..self.l_start[k + 1] {
                    b[self.l_index[t]] -= self.l_value[t] * v;
                }
            }
        }
        for k in (0..m).rev() {
            let mut v = b[self.prow[k]];
            if v != 0.0 {
                v /= self.diag[k];
                for t in self.uc_start[k]..self.uc_start[k + 1] {
                    b[self.uc_index[t]] -= self.uc_value[t] * v;
                }
            }
            x[self.pcol[k]] = v;
        }
        for e in 0..self.eta_pos.len() {
            let p = self.eta_pos[e];
            let xp = x[p] / self.eta_pivot[e];
            x[p] = xp;
            if xp != 0.0 {
                for t in self.eta_start[e]..self.eta_start[e + 1] {
                    x[self.eta_index[t]] -= self.eta_value[t] * xp;
                }
            }
        }
    }

    /// Solves `Bᵀ y = d`. `d` is indexed by basis position and is overwritten with scratch values;
    /// `y` is indexed by row.
    pub(crate) fn btran(&self, d: &mut [f64], y: &mut [f64]) {
        let m = self.m;
        for e in (0..self.eta_pos.len()).rev() {
            let p = self.eta_pos[e];
            let mut v = d[p];
            for t in self.eta_start[e]..self.eta_start[e + 1] {
                v -= self.eta_value[t] * d[self.eta_index[t]];
            }
            d[p] = v / self.eta_pivot[e];
        }
        for k in 0..m {
            let mut v = d[self.pcol[k]];
            if v != 0.0 {
                v /= self.diag[k];
                for t in self.ur_start[k]..self.ur_start[k + 1] {
                    d[self.ur_index[t]] -= self.ur_value[t] * v;
                }
            }
            y[self.prow[k]] = v;
        }
        for k in (0..m).rev() {
            let mut v = y[self.prow[k]];
            for t in self.l_start[k]..self.l_start[k + 1] {
                v -= self.l_value[t] * y[self.l_index[t]];
            }
            y[self.prow[k]] = v;
        }
    }
}

fn find(row: &[(usize, f64)], c: usize) -> Option<f64> {
    row.iter().find(|&&(j, _)| j == c).map(|&(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense_to_cols(a: &[Vec<f64>]) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
        let m = a.len();
        let mut start = vec![0];
        let mut index = Vec::new();
        let mut value = Vec::new();
        for p in 0..m {
            for (i, row) in a.iter().enumerate() {
                if row[p] != 0.0 {
                    index.push(i);
                    value.push(row[p]);
                }
            }
            start.push(index.len());
        }
        (start, index, value)
    }

    fn mat_vec(a: &[Vec<f64>], x: &[f64]) -> Vec<f64> {
        a.iter()
            .map(|row| row.iter().zip(x).map(|(a, b)| a * b).sum())
            .collect()
    }

    fn mat_t_vec(a: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
        let m = a.len();
        (0..m).map(|p| (0..m).map(|i| a[i][p] * y[i]).sum()).collect()
    }

    #[test]
    fn solves_with_factor_and_etas() {
        let mut a = vec![
            vec![2.0, 0.0, 1.0, 0.0, 3.0],
            vec![1.0, 4.0, 0.0, 0.0, 0.0],
            vec![0.0, 1.0, 5.0, 2.0, 0.0],
            vec![0.0, 0.0, 1.0, 3.0, 1.0],
            vec![1.0, 0.0, 0.0, 1.0, 6.0],
        ];
        let m = a.len();
        let (start, index, value) = dense_to_cols(&a);
        let mut f = Factor::default();
        let replaced = f.factorize(
            m,
            &BasisColumns {
                start: &start,
                index: &index,
                value: &value,
            },
        );
        assert!(replaced.is_empty());
        for round in 0..3 {
            let b: Vec<f64> = (0..m).map(|i| (i + round) as f64 - 1.5).collect();
            let mut rhs = b.clone();
            let mut x = vec![0.0; m];
            f.ftran(&mut rhs, &mut x);
            let back = mat_vec(&a, &x);
            for i in 0..m {
                assert!((back[i] - b[i]).abs() < 1e-12, "ftran round {round}");
            }
            let mut d = b.clone();
            let mut y = vec![0.0; m];
            f.btran(&mut d, &mut y);
            let back = mat_t_vec(&a, &y);
            for i in 0..m {
                assert!((back[i] - b[i]).abs() < 1e-12, "btran round {round}");
            }
            // Replace column `round` by a new column and record the update.
            let newcol: Vec<f64> = (0..m).map(|i| ((i * 7 + round * 3) % 5) as f64 + 0.5).collect();
            let mut rhs = newcol.clone();
            let mut alpha = vec![0.0; m];
            f.ftran(&mut rhs, &mut alpha);
            f.push_eta(round, &alpha);
            for i in 0..m {
                a[i][round] = newcol[i];
            }
        }
    }

    #[test]
    fn singular_basis_is_repaired_with_logicals() {
        // Column 2 = column 0 + column 1.
        let a = vec![
            vec![1.0, 0.0, 1.0],
            vec![0.0, 1.0, 1.0],
            vec![1.0, 1.0, 2.0],
        ];
        let (start, index, value) = dense_to_cols(&a);
        let mut f = Factor::default();
        let replaced = f.factorize(
            3,
            &BasisColumns {
                start: &start,
                index: &index,
                value: &value,
            },
        );
        assert_eq!(replaced.len(), 1);
        let (p, r) = replaced[0];
        let mut fixed = a.clone();
        for (i, row) in fixed.iter_mut().enumerate() {
            row[p] = if i == r { -1.0 } else { 0.0 };
        }
        let b = vec![1.0, 2.0, 3.0];
        let mut rhs = b.clone();
        let mut x = vec![0.0; 3];
        f.ftran(&mut rhs, &mut x);
        let back = mat_vec(&fixed, &x);
        for i in 0..3 {
            assert!((back[i] - b[i]).abs() < 1e-12);
        }
    }
}
