//! Synthetic multi-commodity corridor networks, written as the allocation LP that
//! `corridor_analysis::allocate` builds (see `crates/corridor-analysis/src/allocate.rs`), in
//! MPS ([`crate::mps`]) so that our simplex and HiGHS read the same model.
//!
//! # Network
//!
//! `nodes = round(links / 1.4)` nodes on a jittered square grid, 100 km apart; the links are a
//! random spanning tree of the grid's edges (right, down and diagonal neighbours) plus random
//! further edges up to `links`, so the network is connected, sparse and corridor-like (mean
//! degree 2.8). A link is two-way with probability 0.7 (two arcs) and one-way otherwise. Each
//! commodity has a connected network: a ball of the spanning tree around a random node covering
//! `2 / commodities` of the nodes, plus each other link inside the ball with probability 1/2
//! (so a link carries about two commodities); a link in no ball carries one random commodity.
//! One carried commodity, at random, uses the link's capacity at weight 1, the others at a
//! weight drawn from {0.5, 0.75, 1.25, 1.5, 2}. Capacity per arc: 200..2000 (multiples of 10). Tariff per unit:
//! `length_km * rate_k / 10` rounded, with `rate_k` 1..3 per commodity, ±25 % per link.
//!
//! # The LP
//!
//! * one flow column per (arc, carried commodity), cost the tariff;
//! * per commodity, `max(2, nodes / 40)` supplies (volume 200..2000, an unmet column up to the
//!   volume at a penalty of 200..800 per unit) and `max(2, nodes / 30)` markets (a delivered
//!   column at minus the netback, 1000..3000 per unit, up to a limit; the limits add up to about
//!   0.8 of the supply), placed on nodes of the commodity's network;
//! * conservation per (node, commodity): `inflow - outflow - delivered - unmet = -supply`;
//! * capacity per arc: `Σ_k weight_k · flow_k <= capacity`;
//! * `groups` capacity groups of 3..10 links around a random node (links that share a
//!   right-of-way or a border point): `Σ weight · flow <= half the members' capacities`;
//! * `contracts` contract minimums on distinct links, each for one commodity the link carries:
//!   `Σ flow of that commodity over the link's arcs >= minimum` (5..30 % of the capacity). 70 %
//!   are soft (a shortfall column up to the minimum at 50..500 per unit); 30 % of the contracts
//!   also have a maximum of three times the minimum (a ranged row). A hard contract only sits on
//!   a two-way link outside every group, with a minimum that a flow around the link's two arcs
//!   can meet, so every instance is feasible.
//!
//! All data are integers or binary fractions, written exactly; the same parameters always give
//! the same bytes.

use std::collections::BTreeMap;

use super::SplitMix64;
use crate::mps::LpModel;

/// Parameters of one allocation-LP instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocLpParams {
    /// Links of the network.
    pub links: usize,
    /// Commodities (3..8 in the manifest).
    pub commodities: usize,
    /// Capacity groups.
    pub groups: usize,
    /// Contract minimums.
    pub contracts: usize,
    /// Random seed.
    pub seed: u64,
}

/// Sizes of a generated instance, also written as the file's first comment line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocLpSize {
    /// Nodes of the network.
    pub nodes: usize,
    /// Links of the network.
    pub links: usize,
    /// Commodities.
    pub commodities: usize,
    /// LP rows.
    pub rows: usize,
    /// LP columns.
    pub cols: usize,
    /// Constraint-matrix entries.
    pub nnz: usize,
}

/// The prefix of the size comment (`* corridor-bench alloc-lp nodes N links L commodities K
/// rows R cols C nnz Z`).
pub const SIZE_PREFIX: &str = "corridor-bench alloc-lp";

impl AllocLpSize {
    fn comment(&self) -> String {
        format!(
            "{SIZE_PREFIX} nodes {} links {} commodities {} rows {} cols {} nnz {}",
            self.nodes, self.links, self.commodities, self.rows, self.cols, self.nnz
        )
    }

    /// Reads the size comment from the head of an MPS file's text.
    pub fn from_mps_head(text: &str) -> Option<Self> {
        let line = text
            .lines()
            .take_while(|l| l.starts_with('*'))
            .find_map(|l| l.strip_prefix("* ")?.strip_prefix(SIZE_PREFIX))?;
        let f: Vec<&str> = line.split_whitespace().collect();
        let get = |key: &str| -> Option<usize> {
            let k = f.iter().position(|x| *x == key)?;
            f.get(k + 1)?.parse().ok()
        };
        Some(AllocLpSize {
            nodes: get("nodes")?,
            links: get("links")?,
            commodities: get("commodities")?,
            rows: get("rows")?,
            cols: get("cols")?,
            nnz: get("nnz")?,
        })
    }
}

struct Link {
    tail: usize,
    head: usize,
    two_way: bool,
    /// (commodity, capacity weight), primary first.
    carries: Vec<(usize, f64)>,
    capacity: f64,
    length_km: i64,
}

/// Picks one of `items` uniformly.
fn pick<T: Copy>(rng: &mut SplitMix64, items: &[T]) -> T {
    items[rng.range(0, items.len() as i64 - 1) as usize]
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Generates the instance: the LP model (with its size comment) and its sizes.
pub fn model(p: &AllocLpParams) -> (LpModel, AllocLpSize) {
    let mut rng = SplitMix64::new(p.seed);
    let n_links = p.links.max(3);
    let kc = p.commodities.max(1);
    let n = ((n_links as f64 / 1.4).round() as usize).max(3);
    let w = (n as f64).sqrt().ceil() as usize;
    // Jittered grid positions, in km.
    let pos: Vec<(i64, i64)> = (0..n)
        .map(|i| {
            let (r, c) = ((i / w) as i64, (i % w) as i64);
            (100 * c + rng.range(-30, 30), 100 * r + rng.range(-30, 30))
        })
        .collect();
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for i in 0..n {
        let c = i % w;
        if c + 1 < w && i + 1 < n {
            edges.push((i, i + 1));
        }
        if i + w < n {
            edges.push((i, i + w));
        }
        if c + 1 < w && i + w + 1 < n {
            edges.push((i, i + w + 1));
        }
    }
    for k in (1..edges.len()).rev() {
        let j = rng.range(0, k as i64) as usize;
        edges.swap(k, j);
    }
    // Spanning tree first (Kruskal over the shuffled edges), then the other edges in order.
    let mut parent: Vec<usize> = (0..n).collect();
    let mut tree = Vec::new();
    let mut rest = Vec::new();
    for &(a, b) in &edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra] = rb;
            tree.push((a, b));
        } else {
            rest.push((a, b));
        }
    }
    let n_tree = tree.len();
    let mut chosen = tree;
    chosen.extend(rest.into_iter().take(n_links.saturating_sub(chosen.len())));
    // Each commodity's network: a ball of the spanning tree around a random node (connected),
    // covering `2 / commodities` of the nodes (at most all), and the other links inside it with
    // probability 1/2.
    let mut tree_adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in &chosen[..n_tree] {
        tree_adj[a].push(b);
        tree_adj[b].push(a);
    }
    let region_size = ((2 * n) / kc).clamp(2, n);
    let mut in_region = vec![false; n * kc];
    for k in 0..kc {
        let root = rng.range(0, n as i64 - 1) as usize;
        let mut queue = std::collections::VecDeque::from([root]);
        in_region[root * kc + k] = true;
        let mut count = 1;
        while let Some(v) = queue.pop_front() {
            for &o in &tree_adj[v] {
                if count < region_size && !in_region[o * kc + k] {
                    in_region[o * kc + k] = true;
                    count += 1;
                    queue.push_back(o);
                }
            }
        }
    }
    let rate: Vec<i64> = (0..kc).map(|_| rng.range(1, 3)).collect();
    const WEIGHTS: [f64; 5] = [0.5, 0.75, 1.25, 1.5, 2.0];
    let links: Vec<Link> = chosen
        .iter()
        .enumerate()
        .map(|(li, &(a, b))| {
            let (tail, head) = if rng.range(0, 1) == 0 { (a, b) } else { (b, a) };
            let two_way = rng.range(0, 9) < 7;
            let mut carries: Vec<(usize, f64)> = (0..kc)
                .filter(|&k| in_region[a * kc + k] && in_region[b * kc + k])
                .filter(|_| li < n_tree || rng.range(0, 1) == 0)
                .map(|k| (k, 0.0))
                .collect();
            if carries.is_empty() {
                // A local line outside every network: one commodity, going nowhere much.
                carries.push((rng.range(0, kc as i64 - 1) as usize, 0.0));
            }
            let primary = rng.range(0, carries.len() as i64 - 1) as usize;
            for (ci, c) in carries.iter_mut().enumerate() {
                c.1 = if ci == primary {
                    1.0
                } else {
                    pick(&mut rng, &WEIGHTS)
                };
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let length_km = (((dx * dx + dy * dy) as f64).sqrt().round() as i64).max(1);
            Link {
                tail,
                head,
                two_way,
                carries,
                capacity: (10 * rng.range(20, 200)) as f64,
                length_km,
            }
        })
        .collect();

    let mut m = LpModel::new("alloclp");
    // Flow columns, arc by arc; `arcs[l]` lists link l's arcs as (tail, head, first column).
    let mut arcs: Vec<Vec<(usize, usize, usize)>> = Vec::with_capacity(links.len());
    for (li, l) in links.iter().enumerate() {
        let markup: Vec<i64> = l.carries.iter().map(|_| rng.range(75, 125)).collect();
        let mut mine = Vec::new();
        let dirs: &[(usize, usize)] = if l.two_way {
            &[(l.tail, l.head), (l.head, l.tail)]
        } else {
            &[(l.tail, l.head)]
        };
        for (d, &(t, h)) in dirs.iter().enumerate() {
            let first = m.n_cols();
            for (ci, &(k, _)) in l.carries.iter().enumerate() {
                let tariff = (l.length_km * rate[k] * markup[ci] + 500) / 1000;
                m.add_col(
                    &format!("f{li}_{d}_{k}"),
                    tariff.max(1) as f64,
                    0.0,
                    f64::INFINITY,
                );
            }
            mine.push((t, h, first));
        }
        arcs.push(mine);
    }
    // Nodes of each commodity's network.
    let mut reach: Vec<Vec<usize>> = vec![Vec::new(); kc];
    let mut seen = vec![false; n * kc];
    for l in &links {
        for &(k, _) in &l.carries {
            for v in [l.tail, l.head] {
                if !seen[v * kc + k] && in_region[v * kc + k] {
                    seen[v * kc + k] = true;
                    reach[k].push(v);
                }
            }
        }
    }
    // Supplies and markets: (node, commodity) -> (supply volume, [unmet columns], [delivered]).
    let mut balance_extra: BTreeMap<(usize, usize), (f64, Vec<usize>)> = BTreeMap::new();
    let (n_sup, n_mkt) = ((n / 40).max(2), (n / 30).max(2));
    for (k, nodes) in reach.iter().enumerate() {
        if nodes.is_empty() {
            continue;
        }
        let mut total = 0i64;
        for s in 0..n_sup {
            let v = pick(&mut rng, nodes);
            let volume = 10 * rng.range(20, 200);
            total += volume;
            let penalty = rng.range(200, 800) as f64;
            let col = m.add_col(&format!("u{k}_{s}"), penalty, 0.0, volume as f64);
            let e = balance_extra.entry((v, k)).or_default();
            e.0 += volume as f64;
            e.1.push(col);
        }
        let mean_limit = (8 * total / (10 * n_mkt as i64)).max(1);
        for s in 0..n_mkt {
            let v = pick(&mut rng, nodes);
            let limit = rng.range(mean_limit / 2, mean_limit * 3 / 2).max(1);
            let netback = rng.range(1000, 3000) as f64;
            let col = m.add_col(&format!("d{k}_{s}"), -netback, 0.0, limit as f64);
            balance_extra.entry((v, k)).or_default().1.push(col);
        }
    }
    // Conservation rows, by (node, commodity).
    let mut balance: BTreeMap<(usize, usize), Vec<(usize, f64)>> = BTreeMap::new();
    for (li, l) in links.iter().enumerate() {
        for &(t, h, first) in &arcs[li] {
            for (ci, &(k, _)) in l.carries.iter().enumerate() {
                balance.entry((h, k)).or_default().push((first + ci, 1.0));
                balance.entry((t, k)).or_default().push((first + ci, -1.0));
            }
        }
    }
    for (&key, (_, cols)) in &balance_extra {
        let e = balance.entry(key).or_default();
        e.extend(cols.iter().map(|&c| (c, -1.0)));
    }
    for (&(v, k), coeffs) in &balance {
        let supply = balance_extra.get(&(v, k)).map_or(0.0, |e| e.0);
        m.add_row(&format!("b{v}_{k}"), -supply, -supply, coeffs);
    }
    // Capacity rows, by arc.
    for (li, l) in links.iter().enumerate() {
        for (d, &(_, _, first)) in arcs[li].iter().enumerate() {
            let coeffs: Vec<(usize, f64)> = l
                .carries
                .iter()
                .enumerate()
                .map(|(ci, &(_, wgt))| (first + ci, wgt))
                .collect();
            m.add_row(
                &format!("c{li}_{d}"),
                f64::NEG_INFINITY,
                l.capacity,
                &coeffs,
            );
        }
    }
    // Capacity groups: links around a random node, breadth first.
    let mut incident: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (li, l) in links.iter().enumerate() {
        incident[l.tail].push(li);
        incident[l.head].push(li);
    }
    let mut grouped = vec![false; links.len()];
    for g in 0..p.groups {
        let size = rng.range(3, 10) as usize;
        let start = rng.range(0, n as i64 - 1) as usize;
        let mut members = Vec::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut visited = vec![start];
        while let Some(v) = queue.pop_front() {
            for &li in &incident[v] {
                if members.len() < size && !grouped[li] {
                    grouped[li] = true;
                    members.push(li);
                }
                let o = if links[li].tail == v {
                    links[li].head
                } else {
                    links[li].tail
                };
                if !visited.contains(&o) && visited.len() < 64 {
                    visited.push(o);
                    queue.push_back(o);
                }
            }
            if members.len() >= size {
                break;
            }
        }
        if members.is_empty() {
            continue;
        }
        let mut coeffs = Vec::new();
        let mut cap = 0.0;
        for &li in &members {
            cap += links[li].capacity;
            for &(_, _, first) in &arcs[li] {
                for (ci, &(_, wgt)) in links[li].carries.iter().enumerate() {
                    coeffs.push((first + ci, wgt));
                }
            }
        }
        m.add_row(
            &format!("g{g}"),
            f64::NEG_INFINITY,
            (cap / 20.0).round() * 10.0,
            &coeffs,
        );
    }
    // Contracts on distinct links.
    let mut contracted = vec![false; links.len()];
    for c in 0..p.contracts.min(links.len()) {
        let mut li = rng.range(0, links.len() as i64 - 1) as usize;
        while contracted[li] {
            li = (li + 1) % links.len();
        }
        contracted[li] = true;
        let l = &links[li];
        let ci = rng.range(0, l.carries.len() as i64 - 1) as usize;
        let wgt = l.carries[ci].1;
        let pct = rng.range(5, 30) as f64;
        let minimum = (l.capacity / wgt * pct / 100.0).round().max(1.0);
        let soft = rng.range(0, 9) < 7 || !l.two_way || grouped[li];
        let maximum = if rng.range(0, 9) < 3 {
            3.0 * minimum
        } else {
            f64::INFINITY
        };
        let mut coeffs: Vec<(usize, f64)> = arcs[li]
            .iter()
            .map(|&(_, _, first)| (first + ci, 1.0))
            .collect();
        if soft {
            let penalty = rng.range(50, 500) as f64;
            coeffs.push((m.add_col(&format!("s{c}"), penalty, 0.0, minimum), 1.0));
        }
        m.add_row(&format!("k{c}"), minimum, maximum, &coeffs);
    }
    let size = AllocLpSize {
        nodes: n,
        links: links.len(),
        commodities: kc,
        rows: m.n_rows(),
        cols: m.n_cols(),
        nnz: m.nnz(),
    };
    m.comments.push(size.comment());
    m.comments.push(format!(
        "allocation LP: {} links, {kc} commodities, {} capacity groups, {} contracts, seed {}",
        size.links, p.groups, p.contracts, p.seed
    ));
    (m, size)
}

/// The MPS text of the instance.
///
/// # Errors
/// Never for valid parameters (the writer refuses only free rows and non-finite numbers).
pub fn alloc_lp(p: &AllocLpParams) -> anyhow::Result<String> {
    model(p).0.to_mps()
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_lp::{LpSolver as _, Outcome, Simplex};

    #[test]
    fn small_instance_is_deterministic_feasible_and_sized() {
        let p = AllocLpParams {
            links: 120,
            commodities: 3,
            groups: 3,
            contracts: 6,
            seed: 5,
        };
        let a = alloc_lp(&p).expect("writes");
        assert_eq!(a, alloc_lp(&p).expect("writes"));
        let size = AllocLpSize::from_mps_head(&a).expect("size comment");
        assert_eq!(size.links, 120);
        let m = crate::mps::parse_mps(&a).expect("reads back");
        assert_eq!(
            (m.n_rows(), m.n_cols(), m.nnz()),
            (size.rows, size.cols, size.nnz)
        );
        let outcome = Simplex::default().solve(&m.to_problem()).expect("solves");
        let Outcome::Optimal(s) = outcome else {
            panic!("not optimal: {outcome:?}")
        };
        // Some supply is delivered at a profit.
        assert!(s.objective < 0.0, "objective {}", s.objective);
    }
}
