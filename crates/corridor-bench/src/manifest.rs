//! `bench/instances.toml`: which instances each tier generates, how, and the SHA-256 each
//! generated file must have.
//!
//! ```toml
//! [tier.smoke]
//! rounds = 1
//! timeout_seconds = 20
//! networkx_max_arcs = 20000
//! slow_solver_rounds = 1
//!
//! [[instance]]
//! name = "netgen8-10"
//! family = "NETGEN-8"
//! tiers = ["smoke"]
//! generator = "netgen"
//! seed = 1001
//! params = { nodes = 1024, sources = 32, sinks = 32, density = 8192, mincost = 1,
//!            maxcost = 10000, supply = 32000, tsources = 0, tsinks = 0, hicost_pct = 30,
//!            capacitated_pct = 100, mincap = 1, maxcap = 1000 }
//! sha256 = "…"
//!
//! [n1.smoke]
//! instance = "pg-activsg200"
//! max_branches = 0
//! cold_sample = 20
//! lemon_sample = 3
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context as _};
use toml_edit::{DocumentMut, TableLike};

use crate::gen::alloclp::AllocLpParams;
use crate::gen::grid::GridParams;
use crate::gen::powergrid::PowerGridParams;
use crate::gen::rmf::RmfParams;

/// Whether an instance is a min-cost flow (`p min`) or a max-flow (`p max`) problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Minimum-cost flow.
    Min,
    /// Maximum flow.
    Max,
    /// A linear program (the allocation LP), written as MPS.
    Lp,
}

impl Kind {
    /// `"min"`, `"max"` or `"lp"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Min => "min",
            Kind::Max => "max",
            Kind::Lp => "lp",
        }
    }

    /// The file extension: `min` and `max` (DIMACS), `mps` for an LP (HiGHS picks its reader
    /// by the extension, and `.lp` would mean CPLEX LP format).
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Min => "min",
            Kind::Max => "max",
            Kind::Lp => "mps",
        }
    }
}

/// How one instance is generated.
#[derive(Clone, Debug, PartialEq)]
pub enum GeneratorSpec {
    /// NETGEN (crate `netgen_rs`): the seed and the 13 classic parameters in NETGEN's order.
    Netgen {
        /// NETGEN's random seed.
        seed: i64,
        /// nodes, sources, sinks, density, mincost, maxcost, supply, tsources, tsinks,
        /// hicost_pct, capacitated_pct, mincap, maxcap.
        params: [i64; 13],
    },
    /// GRIDGRAPH (crate `gridgraph_rs`).
    Grid(GridParams),
    /// Goldfarb and Grigoriadis's RMF max-flow generator (our port).
    Rmf(RmfParams),
    /// A min-cost-flow proxy of a MATPOWER case.
    PowerGrid(PowerGridParams),
    /// A synthetic multi-commodity allocation LP (MPS).
    AllocLp(AllocLpParams),
}

/// One `[[instance]]` of the manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceSpec {
    /// Unique name, also the file stem.
    pub name: String,
    /// Family for the summary tables, e.g. `NETGEN-8`.
    pub family: String,
    /// Tiers that include the instance.
    pub tiers: Vec<String>,
    /// The generator and its parameters.
    pub generator: GeneratorSpec,
    /// Expected SHA-256 of the generated file, lower-case hex; `None` until recorded.
    pub sha256: Option<String>,
}

impl InstanceSpec {
    /// Min-cost or max-flow, as decided by the generator (NETGEN makes a max-flow problem
    /// when `mincost == maxcost == 1`).
    pub fn kind(&self) -> Kind {
        match &self.generator {
            GeneratorSpec::Netgen { params, .. } if params[4] == 1 && params[5] == 1 => Kind::Max,
            GeneratorSpec::Rmf(_) => Kind::Max,
            GeneratorSpec::AllocLp(_) => Kind::Lp,
            _ => Kind::Min,
        }
    }

    /// The file name the instance is written to.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.name, self.kind().extension())
    }
}

/// Settings of one tier (`[tier.NAME]`).
#[derive(Clone, Debug, PartialEq)]
pub struct TierConfig {
    /// Interleaved rounds; the summary reports the median over them.
    pub rounds: usize,
    /// Wall-clock limit of one solver process, after which it is killed and recorded as
    /// `timeout`.
    pub timeout_seconds: f64,
    /// NetworkX's network simplex is pure Python: it only runs on instances with at most this
    /// many arcs.
    pub networkx_max_arcs: usize,
    /// The slow peers (HiGHS on the LP, NetworkX, petgraph) run in the first this many rounds
    /// only:
    /// they are 10 to 1000 times slower, so more rounds would lengthen the run without
    /// changing a verdict.
    pub slow_solver_rounds: usize,
}

/// The N-1 sweep of one tier (`[n1.NAME]`).
#[derive(Clone, Debug, PartialEq)]
pub struct N1Config {
    /// Instance swept: a power-grid proxy (branches are arc pairs) or any min-cost instance
    /// (each arc a branch).
    pub instance: String,
    /// Sweep only the first this many branches; 0 sweeps all of them.
    pub max_branches: usize,
    /// Branches, evenly spaced, also solved cold by our solver.
    pub cold_sample: usize,
    /// Branches, evenly spaced, solved cold by LEMON's network simplex (one process each).
    pub lemon_sample: usize,
}

/// The whole manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// Tier settings by name.
    pub tiers: BTreeMap<String, TierConfig>,
    /// Every instance, in file order.
    pub instances: Vec<InstanceSpec>,
    /// N-1 sweep per tier.
    pub n1: BTreeMap<String, N1Config>,
}

impl Manifest {
    /// Reads and checks a manifest file.
    ///
    /// # Errors
    /// If the file cannot be read or any entry is malformed; every problem is listed.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    /// Parses manifest text.
    ///
    /// # Errors
    /// Lists every malformed entry.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let doc: DocumentMut = text.parse().context("not valid TOML")?;
        let mut problems = Vec::new();

        let mut tiers = BTreeMap::new();
        if let Some(t) = doc.get("tier").and_then(|t| t.as_table_like()) {
            for (name, item) in t.iter() {
                let Some(tt) = item.as_table_like() else {
                    problems.push(format!("[tier.{name}] is not a table"));
                    continue;
                };
                let get = |key: &str| int(tt, key).map_err(|e| format!("[tier.{name}]: {e}"));
                match (
                    get("rounds"),
                    get("timeout_seconds"),
                    get("networkx_max_arcs"),
                    get("slow_solver_rounds"),
                ) {
                    (Ok(r), Ok(ts), Ok(nx), Ok(slow)) => {
                        tiers.insert(
                            name.to_owned(),
                            TierConfig {
                                rounds: r.max(1) as usize,
                                timeout_seconds: ts as f64,
                                networkx_max_arcs: nx.max(0) as usize,
                                slow_solver_rounds: slow.max(1) as usize,
                            },
                        );
                    }
                    (a, b, c, d) => {
                        problems.extend([a.err(), b.err(), c.err(), d.err()].into_iter().flatten())
                    }
                }
            }
        }

        let mut instances: Vec<InstanceSpec> = Vec::new();
        if let Some(arr) = doc.get("instance").and_then(|i| i.as_array_of_tables()) {
            for (i, t) in arr.iter().enumerate() {
                match parse_instance(t) {
                    Ok(spec) => {
                        if instances.iter().any(|s| s.name == spec.name) {
                            problems.push(format!("instance `{}` is listed twice", spec.name));
                        }
                        instances.push(spec);
                    }
                    Err(e) => problems.push(format!("[[instance]] #{}: {e}", i + 1)),
                }
            }
        }

        let mut n1 = BTreeMap::new();
        if let Some(t) = doc.get("n1").and_then(|t| t.as_table_like()) {
            for (tier, item) in t.iter() {
                let Some(tt) = item.as_table_like() else {
                    problems.push(format!("[n1.{tier}] is not a table"));
                    continue;
                };
                let cfg = (|| -> Result<N1Config, String> {
                    Ok(N1Config {
                        instance: string(tt, "instance")?,
                        max_branches: int(tt, "max_branches")?.max(0) as usize,
                        cold_sample: int(tt, "cold_sample")?.max(0) as usize,
                        lemon_sample: int(tt, "lemon_sample")?.max(0) as usize,
                    })
                })();
                match cfg {
                    Ok(c) => {
                        if !instances.iter().any(|s| s.name == c.instance) {
                            problems.push(format!(
                                "[n1.{tier}]: instance `{}` is not in the manifest",
                                c.instance
                            ));
                        }
                        n1.insert(tier.to_owned(), c);
                    }
                    Err(e) => problems.push(format!("[n1.{tier}]: {e}")),
                }
            }
        }

        if !problems.is_empty() {
            bail!(
                "{} problem(s):\n  {}",
                problems.len(),
                problems.join("\n  ")
            );
        }
        Ok(Manifest {
            tiers,
            instances,
            n1,
        })
    }

    /// The settings of `tier`.
    ///
    /// # Errors
    /// If the manifest has no such tier.
    pub fn tier(&self, tier: &str) -> anyhow::Result<&TierConfig> {
        self.tiers.get(tier).ok_or_else(|| {
            anyhow!(
                "unknown tier `{tier}`; the manifest defines: {}",
                self.tiers.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        })
    }

    /// The instances of `tier`, in manifest order.
    pub fn instances_of<'a>(&'a self, tier: &'a str) -> impl Iterator<Item = &'a InstanceSpec> {
        self.instances
            .iter()
            .filter(move |s| s.tiers.iter().any(|t| t == tier))
    }
}

/// Writes the given hashes into the `sha256` field of the named instances, keeping the rest
/// of the file (comments, layout) as it is.
///
/// # Errors
/// If the file cannot be read, parsed or written.
pub fn record_hashes(path: &Path, hashes: &[(String, String)]) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut doc: DocumentMut = text.parse().context("not valid TOML")?;
    if let Some(arr) = doc
        .get_mut("instance")
        .and_then(|i| i.as_array_of_tables_mut())
    {
        for t in arr.iter_mut() {
            let name = t.get("name").and_then(|n| n.as_str()).map(str::to_owned);
            if let Some((_, h)) = hashes.iter().find(|(n, _)| Some(n) == name.as_ref()) {
                t["sha256"] = toml_edit::value(h.as_str());
            }
        }
    }
    std::fs::write(path, doc.to_string()).with_context(|| format!("writing {}", path.display()))
}

fn parse_instance(t: &toml_edit::Table) -> Result<InstanceSpec, String> {
    let name = string(t, "name")?;
    let ctx = |e: String| format!("`{name}`: {e}");
    let family = string(t, "family").map_err(ctx)?;
    let tiers = t
        .get("tiers")
        .and_then(|v| v.as_array())
        .ok_or_else(|| ctx("missing `tiers = [..]`".into()))?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ctx("`tiers` must list strings".into()))?;
    let generator_name = string(t, "generator").map_err(ctx)?;
    let params = t
        .get("params")
        .and_then(|p| p.as_table_like())
        .ok_or_else(|| ctx("missing `params = { .. }`".into()))?;
    let seed = int(t, "seed").map_err(ctx)?;
    let generator = match generator_name.as_str() {
        "netgen" => {
            const KEYS: [&str; 13] = [
                "nodes",
                "sources",
                "sinks",
                "density",
                "mincost",
                "maxcost",
                "supply",
                "tsources",
                "tsinks",
                "hicost_pct",
                "capacitated_pct",
                "mincap",
                "maxcap",
            ];
            let mut p = [0i64; 13];
            for (slot, key) in p.iter_mut().zip(KEYS) {
                *slot = int(params, key).map_err(ctx)?;
            }
            GeneratorSpec::Netgen { seed, params: p }
        }
        "gridgraph" => GeneratorSpec::Grid(GridParams {
            height: int(params, "height").map_err(ctx)?,
            width: int(params, "width").map_err(ctx)?,
            max_capacity: int(params, "max_capacity").map_err(ctx)?,
            max_cost: int(params, "max_cost").map_err(ctx)?,
            seed,
        }),
        "rmf" => GeneratorSpec::Rmf(RmfParams {
            a: int(params, "a").map_err(ctx)? as u32,
            b: int(params, "b").map_err(ctx)? as u32,
            c1: int(params, "c1").map_err(ctx)?,
            c2: int(params, "c2").map_err(ctx)?,
            seed: seed as u64,
        }),
        "matpower" => GeneratorSpec::PowerGrid(PowerGridParams {
            case: string(params, "case").map_err(ctx)?,
            flow_units_per_mw: int(params, "flow_units_per_mw").map_err(ctx)?,
            rate_factor: int(params, "rate_factor").map_err(ctx)?,
            cost_per_reactance_pu: int(params, "cost_per_reactance_pu").map_err(ctx)?,
            gen_cost_per_dollar: int(params, "gen_cost_per_dollar").map_err(ctx)?,
            shed_cost: int(params, "shed_cost").map_err(ctx)?,
        }),
        "alloc-lp" => GeneratorSpec::AllocLp(AllocLpParams {
            links: int(params, "links").map_err(ctx)?.max(0) as usize,
            commodities: int(params, "commodities").map_err(ctx)?.max(0) as usize,
            groups: int(params, "groups").map_err(ctx)?.max(0) as usize,
            contracts: int(params, "contracts").map_err(ctx)?.max(0) as usize,
            seed: seed as u64,
        }),
        other => {
            return Err(ctx(format!(
                "unknown generator `{other}`; expected netgen, gridgraph, rmf, matpower or \
                 alloc-lp"
            )))
        }
    };
    let sha256 = t
        .get("sha256")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase);
    Ok(InstanceSpec {
        name,
        family,
        tiers,
        generator,
        sha256,
    })
}

fn int(t: &dyn TableLike, key: &str) -> Result<i64, String> {
    t.get(key)
        .and_then(|v| v.as_integer())
        .ok_or_else(|| format!("missing integer `{key}`"))
}

fn string(t: &dyn TableLike, key: &str) -> Result<String, String> {
    t.get(key)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("missing string `{key}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_every_problem() {
        let ok = r#"
[tier.smoke]
rounds = 1
timeout_seconds = 20
networkx_max_arcs = 100
slow_solver_rounds = 1

[[instance]]
name = "r"
family = "RMF"
tiers = ["smoke"]
generator = "rmf"
seed = 3
params = { a = 2, b = 2, c1 = 1, c2 = 10 }

[n1.smoke]
instance = "r"
max_branches = 0
cold_sample = 1
lemon_sample = 1
"#;
        let m = Manifest::parse(ok).expect("valid manifest");
        assert_eq!(m.instances_of("smoke").count(), 1);
        assert_eq!(m.instances[0].kind(), Kind::Max);
        assert_eq!(m.instances[0].sha256, None);

        let bad = ok
            .replace("generator = \"rmf\"", "generator = \"rmg\"")
            .replace("instance = \"r\"", "instance = \"q\"");
        let err = format!("{:#}", Manifest::parse(&bad).expect_err("two problems"));
        assert!(err.contains("unknown generator `rmg`"), "{err}");
        assert!(err.contains("instance `q` is not in the manifest"), "{err}");
    }
}
