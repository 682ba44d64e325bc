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
/// End of a linked list.
const NIL: usize = usize::MAX;
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
    /// The steps whose row operations are not empty, ascending. Most steps of a near-triangular
    /// basis (every singleton) have none, so the solves walk this list instead of all `m` steps.
    l_steps: Vec<usize>,
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
    /// The eta file by position, as linked lists through the entries: `eta_head[i]` is the
    /// newest entry at position `i`, `eta_link[k]` the next older one, `eta_owner[k]` its update.
    /// Lets BTRAN skip the updates that a sparse right-hand side does not reach.
    eta_head: Vec<usize>,
    eta_link: Vec<usize>,
    eta_owner: Vec<usize>,
    ws: Workspace,
}

/// Scratch storage of [`Factor::factorize`], kept between factorisations to avoid reallocation.
#[derive(Debug, Default, Clone)]
struct Workspace {
    /// Active submatrix by rows: (position, value).
    rows: Vec<Vec<(usize, f64)>>,
    /// Row pattern of each column (may list rows that have since been pivoted).
    col_rows: Vec<Vec<usize>>,
    /// Number of active rows with an entry in each column.
    col_count: Vec<usize>,
    row_done: Vec<bool>,
    col_done: Vec<bool>,
    mark: Vec<usize>,
    seen: Vec<usize>,
    work: Vec<f64>,
    stack: Vec<usize>,
    buckets: Buckets,
    cand: Vec<usize>,
}

/// Columns grouped by entry count in doubly linked lists, for the Markowitz search.
#[derive(Debug, Default, Clone)]
struct Buckets {
    /// First column with each count.
    head: Vec<usize>,
    next: Vec<usize>,
    prev: Vec<usize>,
}

impl Buckets {
    fn reset(&mut self, m: usize) {
        for v in [&mut self.head, &mut self.next, &mut self.prev] {
            v.clear();
        }
        self.head.resize(m + 1, NIL);
        self.next.resize(m, NIL);
        self.prev.resize(m, NIL);
    }

    fn insert(&mut self, c: usize, count: usize) {
        let Some(&first) = self.head.get(count) else {
            return;
        };
        self.next[c] = first;
        self.prev[c] = NIL;
        if first != NIL {
            self.prev[first] = c;
        }
        self.head[count] = c;
    }

    fn remove(&mut self, c: usize, count: usize) {
        let (p, n) = (self.prev[c], self.next[c]);
        if p != NIL {
            self.next[p] = n;
        } else if self.head.get(count) == Some(&c) {
            self.head[count] = n;
        } else {
            // Not in a list (already removed).
            return;
        }
        if n != NIL {
            self.prev[n] = p;
        }
        self.prev[c] = NIL;
        self.next[c] = NIL;
    }
}

impl Workspace {
    fn reset(&mut self, m: usize) {
        self.rows.resize_with(m, Vec::new);
        self.rows.truncate(m);
        self.rows.iter_mut().for_each(Vec::clear);
        self.col_rows.resize_with(m, Vec::new);
        self.col_rows.truncate(m);
        self.col_rows.iter_mut().for_each(Vec::clear);
        for v in [&mut self.col_count, &mut self.mark, &mut self.seen] {
            v.clear();
            v.resize(m, 0);
        }
        for v in [&mut self.row_done, &mut self.col_done] {
            v.clear();
            v.resize(m, false);
        }
        self.work.clear();
        self.work.resize(m, 0.0);
    }
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
        let mut ws = std::mem::take(&mut self.ws);
        ws.reset(m);
        let Workspace {
            rows,
            col_rows,
            col_count,
            row_done,
            col_done,
            mark,
            seen,
            work,
            stack,
            buckets,
            cand,
        } = &mut ws;
        for p in 0..m {
            for k in cols.start[p]..cols.start[p + 1] {
                let (i, a) = (cols.index[k], cols.value[k]);
                if a != 0.0 && i < m {
                    rows[i].push((p, a));
                    col_rows[p].push(i);
                }
            }
        }
        for p in 0..m {
            col_count[p] = col_rows[p].len();
        }
        self.prow.clear();
        self.pcol.clear();
        self.diag.clear();
        self.l_start.clear();
        self.l_index.clear();
        self.l_value.clear();
        self.ur_start.clear();
        self.ur_index.clear();
        self.ur_value.clear();
        self.l_start.push(0);
        self.ur_start.push(0);

        // Column singletons: no elimination needed, the pivot row becomes a U row as it is.
        stack.clear();
        stack.extend((0..m).filter(|&p| col_count[p] == 1));
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
            for &(j, v) in &rows[i] {
                if j != c {
                    self.ur_index.push(j);
                    self.ur_value.push(v);
                    col_count[j] -= 1;
                    if col_count[j] == 1 && !col_done[j] {
                        stack.push(j);
                    }
                }
            }
            row_done[i] = true;
            col_done[c] = true;
            col_count[c] = 0;
            self.push_step(i, c, a);
        }

        // Row singletons: eliminate the pivot's column from the other rows, no fill-in.
        stack.clear();
        stack.extend((0..m).filter(|&i| !row_done[i] && rows[i].len() == 1));
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
            for idx in 0..col_rows[c].len() {
                let k = col_rows[c][idx];
                if k == i || row_done[k] {
                    continue;
                }
                if let Some(pos) = rows[k].iter().position(|&(j, _)| j == c) {
                    let v = rows[k][pos].1;
                    rows[k].swap_remove(pos);
                    self.l_index.push(k);
                    self.l_value.push(v / a);
                    if rows[k].len() == 1 {
                        stack.push(k);
                    }
                }
            }
            row_done[i] = true;
            col_done[c] = true;
            col_count[c] = 0;
            self.push_step(i, c, a);
        }

        // Markowitz elimination of the nucleus. Active columns sit in buckets by entry count.
        buckets.reset(m);
        for p in 0..m {
            if !col_done[p] {
                buckets.insert(p, col_count[p]);
            }
        }
        let mut stamp = 0usize;
        loop {
            // The few sparsest active columns, fewest entries first; empty ones are singular.
            cand.clear();
            let mut count = 0;
            while cand.len() < SEARCH_COLUMNS && count <= m {
                let mut c = buckets.head[count];
                while c != NIL && cand.len() < SEARCH_COLUMNS {
                    let next = buckets.next[c];
                    if col_done[c] {
                        buckets.remove(c, count);
                    } else if count == 0 {
                        buckets.remove(c, 0);
                        col_done[c] = true;
                    } else {
                        cand.push(c);
                    }
                    c = next;
                }
                count += 1;
            }
            if cand.is_empty() {
                break;
            }
            // (Markowitz cost, |a|, row, col, a)
            let mut best: Option<(usize, f64, usize, usize, f64)> = None;
            for &c in cand.iter() {
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
                    buckets.remove(c, col_count[c]);
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
                self.l_index.push(k);
                self.l_value.push(l);
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
                        // Columns found singular stay out of the buckets.
                        if !col_done[j] {
                            buckets.remove(j, col_count[j]);
                            col_count[j] += 1;
                            buckets.insert(j, col_count[j]);
                        }
                    }
                }
            }
            for &(j, v) in &prow {
                if j != c {
                    self.ur_index.push(j);
                    self.ur_value.push(v);
                    if !col_done[j] {
                        buckets.remove(j, col_count[j]);
                        col_count[j] = col_count[j].saturating_sub(1);
                        buckets.insert(j, col_count[j]);
                    }
                }
            }
            buckets.remove(c, col_count[c]);
            rows[r] = prow;
            row_done[r] = true;
            col_done[c] = true;
            col_count[c] = 0;
            self.push_step(r, c, piv);
        }

        // Replace the columns without a pivot by logicals of the rows without one.
        let mut replaced = Vec::new();
        if self.prow.len() < m {
            let mut is_replaced = vec![true; m];
            for &c in &self.pcol {
                is_replaced[c] = false;
            }
            let free_rows: Vec<usize> = (0..m).filter(|&i| !row_done[i]).collect();
            let free_cols: Vec<usize> = (0..m).filter(|&p| is_replaced[p]).collect();
            // Their U entries vanish: L⁻¹(-e_row) = -e_row has nothing in the pivoted rows.
            let mut kept = 0;
            let mut start = 0;
            for k in 0..self.prow.len() {
                let end = self.ur_start[k + 1];
                for t in start..end {
                    if !is_replaced[self.ur_index[t]] {
                        self.ur_index[kept] = self.ur_index[t];
                        self.ur_value[kept] = self.ur_value[t];
                        kept += 1;
                    }
                }
                start = end;
                self.ur_start[k + 1] = kept;
            }
            self.ur_index.truncate(kept);
            self.ur_value.truncate(kept);
            for (&i, &p) in free_rows.iter().zip(&free_cols) {
                self.push_step(i, p, -1.0);
                replaced.push((p, i));
            }
        }
        self.ws = ws;
        self.l_steps.clear();
        for k in 0..self.prow.len() {
            if self.l_start[k + 1] > self.l_start[k] {
                self.l_steps.push(k);
            }
        }
        self.build_u_columns();
        replaced
    }

    /// Closes pivot step `(row, position, diagonal)`: its L and U entries are those pushed since
    /// the previous step.
    fn push_step(&mut self, row: usize, col: usize, diag: f64) {
        self.prow.push(row);
        self.pcol.push(col);
        self.diag.push(diag);
        self.l_start.push(self.l_index.len());
        self.ur_start.push(self.ur_index.len());
    }

    /// Builds the column-wise copy of U used by FTRAN.
    fn build_u_columns(&mut self) {
        let m = self.m;
        let mut step_of_pos = vec![0usize; m];
        for (k, &c) in self.pcol.iter().enumerate() {
            step_of_pos[c] = k;
        }
        let mut col_len = vec![0usize; m + 1];
        for &j in &self.ur_index {
            col_len[step_of_pos[j] + 1] += 1;
        }
        for k in 0..m {
            col_len[k + 1] += col_len[k];
        }
        let nnz = col_len[m];
        let mut next = col_len.clone();
        self.uc_index.clear();
        self.uc_index.resize(nnz, 0);
        self.uc_value.clear();
        self.uc_value.resize(nnz, 0.0);
        for k in 0..self.prow.len() {
            let r = self.prow[k];
            for t in self.ur_start[k]..self.ur_start[k + 1] {
                let s = step_of_pos[self.ur_index[t]];
                self.uc_index[next[s]] = r;
                self.uc_value[next[s]] = self.ur_value[t];
                next[s] += 1;
            }
        }
        self.uc_start = col_len;
    }

    fn clear_etas(&mut self) {
        self.eta_head.clear();
        self.eta_head.resize(self.m, NIL);
        self.eta_link.clear();
        self.eta_owner.clear();
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
        let t = self.eta_pos.len();
        for (i, &a) in alpha.iter().enumerate() {
            if i != p && a.abs() > DROP_TOL {
                let k = self.eta_index.len();
                self.eta_index.push(i);
                self.eta_value.push(a);
                self.eta_owner.push(t);
                self.eta_link.push(self.eta_head[i]);
                self.eta_head[i] = k;
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
        for &k in &self.l_steps {
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
        let n_eta = self.eta_pos.len();
        let sparse = n_eta > 0 && d.iter().filter(|&&v| v != 0.0).count() * 10 < m;
        if sparse {
            // Update t sets d[p_t] = (d[p_t] - Σ_i α_ti d_i) / α_tp, applied for t descending.
            // Accumulate the sums from the nonzeros only, pushing every change of d[p_t] to the
            // earlier updates that read position p_t.
            let mut acc = vec![0.0f64; n_eta];
            for (i, &v) in d.iter().enumerate() {
                if v != 0.0 {
                    let mut k = self.eta_head[i];
                    while k != NIL {
                        acc[self.eta_owner[k]] += self.eta_value[k] * v;
                        k = self.eta_link[k];
                    }
                }
            }
            for e in (0..n_eta).rev() {
                let p = self.eta_pos[e];
                let old = d[p];
                let new = (old - acc[e]) / self.eta_pivot[e];
                if new != old {
                    d[p] = new;
                    let delta = new - old;
                    let mut k = self.eta_head[p];
                    while k != NIL {
                        let t = self.eta_owner[k];
                        if t < e {
                            acc[t] += self.eta_value[k] * delta;
                        }
                        k = self.eta_link[k];
                    }
                }
            }
        } else {
            for e in (0..n_eta).rev() {
                let p = self.eta_pos[e];
                let mut v = d[p];
                for t in self.eta_start[e]..self.eta_start[e + 1] {
                    v -= self.eta_value[t] * d[self.eta_index[t]];
                }
                d[p] = v / self.eta_pivot[e];
            }
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
        for &k in self.l_steps.iter().rev() {
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
        (0..m)
            .map(|p| (0..m).map(|i| a[i][p] * y[i]).sum())
            .collect()
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
            let newcol: Vec<f64> = (0..m)
                .map(|i| ((i * 7 + round * 3) % 5) as f64 + 0.5)
                .collect();
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

    /// Random sparse bases, some made singular (a zero column, a repeated column, a column that
    /// is a sum of two others): after repair, FTRAN and BTRAN must solve the repaired basis, also
    /// after a few eta updates.
    #[test]
    fn random_bases_solve_after_repair_and_updates() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for case in 0..300 {
            let m = rng.gen_range(1..25);
            let mut a = vec![vec![0.0; m]; m];
            for (i, row) in a.iter_mut().enumerate() {
                row[i] = rng.gen_range(0.5..2.0);
                for v in row.iter_mut() {
                    if rng.gen_bool(0.2) {
                        *v = rng.gen_range(-3.0..3.0);
                    }
                }
            }
            if m >= 3 {
                let (p, q, r) = (
                    rng.gen_range(0..m),
                    rng.gen_range(0..m),
                    rng.gen_range(0..m),
                );
                match case % 4 {
                    0 => (0..m).for_each(|i| a[i][p] = 0.0),
                    1 if p != q => (0..m).for_each(|i| a[i][p] = a[i][q]),
                    2 if p != q && p != r && q != r => {
                        (0..m).for_each(|i| a[i][p] = a[i][q] + a[i][r])
                    }
                    _ => {}
                }
            }
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
            for &(p, r) in &replaced {
                for (i, row) in a.iter_mut().enumerate() {
                    row[p] = if i == r { -1.0 } else { 0.0 };
                }
            }
            for update in 0..3 {
                let b: Vec<f64> = (0..m).map(|_| rng.gen_range(-1.0..1.0)).collect();
                let mut rhs = b.clone();
                let mut x = vec![0.0; m];
                f.ftran(&mut rhs, &mut x);
                let back = mat_vec(&a, &x);
                let scale = 1.0 + x.iter().fold(0.0f64, |s, v| s.max(v.abs()));
                for i in 0..m {
                    assert!(
                        (back[i] - b[i]).abs() < 1e-9 * scale,
                        "case {case} update {update}: ftran residual"
                    );
                }
                let mut d = b.clone();
                let mut y = vec![0.0; m];
                f.btran(&mut d, &mut y);
                let back = mat_t_vec(&a, &y);
                let scale = 1.0 + y.iter().fold(0.0f64, |s, v| s.max(v.abs()));
                for i in 0..m {
                    assert!(
                        (back[i] - b[i]).abs() < 1e-9 * scale,
                        "case {case} update {update}: btran residual"
                    );
                }
                // A sparse right-hand side takes the other BTRAN path.
                let r = rng.gen_range(0..m);
                let mut e = vec![0.0; m];
                e[r] = 1.0;
                let mut y = vec![0.0; m];
                f.btran(&mut e, &mut y);
                let back = mat_t_vec(&a, &y);
                let scale = 1.0 + y.iter().fold(0.0f64, |s, v| s.max(v.abs()));
                for i in 0..m {
                    let want = if i == r { 1.0 } else { 0.0 };
                    assert!(
                        (back[i] - want).abs() < 1e-9 * scale,
                        "case {case} update {update}: sparse btran residual"
                    );
                }
                // Replace a column whose pivot keeps the basis well conditioned.
                let newcol: Vec<f64> = (0..m).map(|_| rng.gen_range(-2.0..2.0)).collect();
                let mut rhs = newcol.clone();
                let mut alpha = vec![0.0; m];
                f.ftran(&mut rhs, &mut alpha);
                let Some((p, _)) = alpha
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
                else {
                    break;
                };
                if alpha[p].abs() < 0.1 {
                    break;
                }
                f.push_eta(p, &alpha);
                for i in 0..m {
                    a[i][p] = newcol[i];
                }
            }
        }
    }
}
