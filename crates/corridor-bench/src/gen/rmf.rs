//! RMF max-flow instances (Goldfarb and Grigoriadis 1988, as in the DIMACS `genrmf`).
//!
//! The network is `b` frames of `a x a` grid nodes. Inside a frame every node has an arc to
//! each of its (up to four) grid neighbours with the large capacity `c2 * a * a`; between
//! frame `z` and `z + 1` the nodes are joined one-to-one through a random permutation, with
//! capacities uniform in `c1..=c2`. The source is the first node of the first frame and the
//! sink the last node of the last frame. Long instances (`b > a`) have many thin cuts, wide
//! ones (`a > b`) a few fat ones.
//!
//! This is our own port: the topology and capacity laws follow the generator's published
//! description, the random numbers come from [`super::SplitMix64`].

use std::fmt::Write as _;

use super::SplitMix64;

/// RMF parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RmfParams {
    /// Frame side: each frame is an `a x a` grid.
    pub a: u32,
    /// Number of frames.
    pub b: u32,
    /// Smallest capacity between frames.
    pub c1: i64,
    /// Largest capacity between frames; arcs inside a frame get `c2 * a * a`.
    pub c2: i64,
    /// Random seed.
    pub seed: u64,
}

/// The DIMACS `p max` text of an RMF instance with `a * a * b` nodes.
pub fn rmf(p: &RmfParams) -> String {
    let (a, b) = (p.a as usize, p.b as usize);
    let frame = a * a;
    let n = frame * b;
    let id = |x: usize, y: usize, z: usize| z * frame + y * a + x + 1;
    let mut rng = SplitMix64::new(p.seed);
    let inner_cap = p.c2 * frame as i64;

    let mut arcs: Vec<(usize, usize, i64)> = Vec::with_capacity(n * 5);
    for z in 0..b {
        for y in 0..a {
            for x in 0..a {
                let v = id(x, y, z);
                if x + 1 < a {
                    arcs.push((v, id(x + 1, y, z), inner_cap));
                }
                if x > 0 {
                    arcs.push((v, id(x - 1, y, z), inner_cap));
                }
                if y + 1 < a {
                    arcs.push((v, id(x, y + 1, z), inner_cap));
                }
                if y > 0 {
                    arcs.push((v, id(x, y - 1, z), inner_cap));
                }
            }
        }
        if z + 1 < b {
            // Fisher-Yates shuffle of the next frame's nodes.
            let mut perm: Vec<usize> = (0..frame).collect();
            for i in (1..frame).rev() {
                let j = rng.range(0, i as i64) as usize;
                perm.swap(i, j);
            }
            for (i, &j) in perm.iter().enumerate() {
                let cap = rng.range(p.c1, p.c2);
                arcs.push((z * frame + i + 1, (z + 1) * frame + j + 1, cap));
            }
        }
    }

    let mut out = String::with_capacity(24 * arcs.len() + 256);
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "c RMF max-flow instance (Goldfarb-Grigoriadis), corridor-bench port\n\
         c a = {} b = {} c1 = {} c2 = {} seed = {}",
        p.a, p.b, p.c1, p.c2, p.seed
    );
    let _ = writeln!(out, "p max {n} {}", arcs.len());
    let _ = writeln!(out, "n 1 s");
    let _ = writeln!(out, "n {n} t");
    for (u, v, c) in arcs {
        let _ = writeln!(out, "a {u} {v} {c}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_and_max_flow_bounded_by_a_frame_cut() {
        let p = RmfParams {
            a: 3,
            b: 4,
            c1: 1,
            c2: 50,
            seed: 11,
        };
        let text = rmf(&p);
        assert_eq!(text, rmf(&p), "deterministic");
        let problem = corridor_dimacs::parse(&text).expect("valid DIMACS");
        let corridor_dimacs::Problem::MaxFlow { net, source, sink } = problem else {
            panic!("an RMF instance is a max-flow problem");
        };
        // 4 frames of 9 nodes; 24 grid arcs per frame; 9 arcs between consecutive frames.
        assert_eq!(net.n_nodes(), 36);
        assert_eq!(net.n_arcs(), 4 * 24 + 3 * 9);
        let mf = corridor_flow::max_flow(&net, &[source], &[sink]).expect("valid");
        assert!(mf.value > 0 && mf.value <= 9 * 50);
    }
}
