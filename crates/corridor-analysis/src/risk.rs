//! Monte Carlo risk: many possible years, each with its own outages, each solved as an allocation.
//!
//! # The outage model
//! An *outage source* is a link with an outage rate (its own or its mode's default) or a named event of
//! the dataset (which hits all its links at once). In each sampled year every source fails with its
//! annual probability; a failure lasts `mean_days` (fixed durations) or a duration drawn from an
//! exponential distribution with that mean (the default), capped at 365 days, and starts on a uniformly
//! drawn day (a year is a circle: an outage running past 31 December continues from 1 January).
//!
//! [`Timing::Periods`] (the default) splits the year at every outage's start and end and solves the
//! allocation of each period with the links that are out in it (derated by the outage's derate): volume
//! that cannot move during an outage is lost, as for crude that has no storage to wait in. The year's
//! unmet volume and costs are the periods' weighted by their length. [`Timing::Annual`] solves the year
//! once with every link keeping `1 − days/365 × derate` of its capacity per outage: volume may catch up
//! later in the year on spare capacity, an optimistic bound.
//!
//! # Determinism
//! Sample `i` draws from a ChaCha8 generator seeded with `seed` on stream `i`, and is solved from the
//! base case's basis, so its result depends on `(seed, i)` only. Statistics are computed from the samples
//! in index order. The same seed therefore gives bit-identical results for any thread count and any
//! split into shards ([`risk_shard`] + [`risk_merge`]).

use crate::cases::{CaseEngine, CaseOutcome};
use crate::reporter::{with_threads, Reporter};
use crate::AnalysisError;
use corridor_lp::LpSolver;
use corridor_model::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// The format tag of a shard file.
pub const SHARD_FORMAT: &str = "corridor-risk-shard/1";

/// How long an outage lasts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationModel {
    /// Exponentially distributed with the source's mean, capped at 365 days.
    #[default]
    Exponential,
    /// Always the source's mean.
    Fixed,
}

/// How outages enter a sampled year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// The year is split into periods at every outage's start and end; each period is solved with the
    /// links out in it. Nothing lost during an outage is made up later.
    #[default]
    Periods,
    /// One solve with each link's capacity reduced by its outage days: lost volume may be made up on
    /// spare capacity later in the year.
    Annual,
}

impl Timing {
    /// The name results and options use: `periods` or `annual`.
    pub fn as_str(self) -> &'static str {
        match self {
            Timing::Periods => "periods",
            Timing::Annual => "annual",
        }
    }
}

impl DurationModel {
    /// The name results and options use: `exponential` or `fixed`.
    pub fn as_str(self) -> &'static str {
        match self {
            DurationModel::Exponential => "exponential",
            DurationModel::Fixed => "fixed",
        }
    }
}

/// What a risk analysis does.
#[derive(Clone, Debug)]
pub struct RiskConfig {
    /// How many years to sample.
    pub samples: u64,
    /// The seed of every sample's generator: the same seed gives the same results.
    pub seed: u64,
    /// Worker threads; `None` uses one per core. Results do not depend on it.
    pub threads: Option<usize>,
    /// How outage durations are drawn.
    pub durations: DurationModel,
    /// How outages enter a sampled year.
    pub timing: Timing,
    /// The share of worst samples whose outages are examined (default 0.05: the worst 5 %).
    pub tail_share: f64,
}

impl Default for RiskConfig {
    fn default() -> Self {
        RiskConfig {
            samples: 1000,
            seed: 1,
            threads: None,
            durations: DurationModel::Exponential,
            timing: Timing::Periods,
            tail_share: 0.05,
        }
    }
}

/// One thing that can fail.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OutageSource {
    /// `link` or `event`.
    pub kind: String,
    /// The link's or event's id in the dataset.
    pub id: String,
    /// The link's or event's name.
    pub name: String,
    /// Probability of failing in a year, 0–1.
    pub annual_prob: f64,
    /// Mean outage duration, days.
    pub mean_days: f64,
    /// Capacity lost while out, % (100 for a link's own outage).
    pub derate_pct: f64,
    /// The links it hits (those in the scenario's network).
    pub links: Vec<String>,
    /// How well sourced the rate is (the dataset's confidence label).
    pub confidence: String,
    /// The ids of the dataset sources the rate comes from.
    pub sources: Vec<String>,
}

/// An origin as the statistics need it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RiskOrigin {
    /// The supply node's id.
    pub origin: String,
    /// The commodity's id.
    pub commodity: String,
    /// The commodity's display unit, which the statistics use.
    pub unit: String,
    /// Display units per base unit.
    pub display_per_base: f64,
    /// Base units per year.
    pub supplied: f64,
    /// USD per base unit left unserved.
    pub penalty_usd: f64,
    /// Unmet in the base case, base units per year.
    pub base_unmet: f64,
}

/// Everything needed to turn sample records into statistics, so that shards merge without the data.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RiskContext {
    /// The name of the scenario.
    pub scenario: String,
    /// The scenario year sampled.
    pub year: i32,
    /// The dataset's id.
    pub dataset: String,
    /// The allocation method label (`network-simplex` or `lp`).
    pub method: String,
    /// Samples in the whole run (all shards).
    pub samples: u64,
    /// The run's seed.
    pub seed: u64,
    /// How outage durations were drawn.
    pub durations: DurationModel,
    /// How outages entered a sampled year.
    pub timing: Timing,
    /// The share of worst samples examined.
    pub tail_share: f64,
    /// The base case's tariffs + unmet penalties − netback revenue, USD per year.
    pub base_objective_usd: f64,
    /// The base case's tariffs, USD per year.
    pub base_transport_usd: f64,
    /// Every origin, in the order of [`SampleRecord::unmet`].
    pub origins: Vec<RiskOrigin>,
    /// Every outage source, indexed by [`SampleRecord::outages`].
    pub sources: Vec<OutageSource>,
    /// A hash of the dataset's and the scenario's whole content (every capacity, tariff, supply,
    /// contract, premium): shards computed on different figures never merge.
    #[serde(default)]
    pub content: String,
    /// A hash of all of the above: shards merge only when it matches.
    pub fingerprint: String,
}

/// The result of one sampled year. Volumes are base units per year.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SampleRecord {
    /// The sample's index, which alone (with the seed) decides its draws.
    pub index: u64,
    /// Unmet volume per origin (context order).
    pub unmet: Vec<f64>,
    /// Tariffs paid, USD per year.
    pub transport_usd: f64,
    /// Unmet volume times its penalty, USD per year.
    pub penalty_usd: f64,
    /// Delivered volume times market netbacks, USD per year.
    pub revenue_usd: f64,
    /// `(outage source index, days)` for every source that failed.
    pub outages: Vec<(u32, f64)>,
    /// Contract minimums had to be dropped to solve this year (in some period of it).
    #[serde(default)]
    pub contracts_relaxed: bool,
    /// Allocations solved for this year (one per period with an outage).
    #[serde(default)]
    pub solves: u32,
}

/// The samples `[first, end)` of a run, with their context.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RiskShard {
    /// [`SHARD_FORMAT`], checked on merge.
    pub format: String,
    /// Which shard this is, from 0.
    pub shard_index: u64,
    /// How many shards the run is split into.
    pub shard_count: u64,
    /// The first sample index, included.
    pub first_sample: u64,
    /// The last sample index, excluded.
    pub end_sample: u64,
    /// What the records need to become statistics; equal in every shard of a run.
    pub context: RiskContext,
    /// One record per sample, in index order.
    pub records: Vec<SampleRecord>,
}

/// Mean and percentiles of a quantity over the samples (nearest-rank percentiles).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Distribution {
    /// Mean over the samples.
    pub mean: f64,
    /// Median (50th percentile).
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// The largest sample.
    pub max: f64,
    /// Share of samples where the quantity is above zero.
    pub prob_positive: f64,
}

/// Unmet volume of one origin and commodity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OriginRisk {
    /// The origin's index in the run's [`RiskContext::origins`] (its ids, units and supply).
    pub slot: usize,
    /// Unmet volume, base units per year.
    pub unmet: Distribution,
    /// Unmet volume × the unmet penalty, MUSD per year: the value of the exports lost.
    pub unmet_cost_musd: Distribution,
}

/// Unmet volume of one commodity, all origins together.
#[derive(Clone, Debug, PartialEq)]
pub struct CommodityRisk {
    /// Its origins' indices in [`RiskContext::origins`] (the first names the commodity and its unit).
    pub slots: Vec<usize>,
    /// Base units per year.
    pub supplied: f64,
    /// Unmet volume, base units per year.
    pub unmet: Distribution,
    /// Unmet volume × the unmet penalty, MUSD per year.
    pub unmet_cost_musd: Distribution,
}

/// How often an outage source is behind the worst samples; sources are ranked by
/// `tail_frequency − frequency`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TailContributor {
    /// The source's index in [`RiskContext::sources`].
    pub source: usize,
    /// Share of tail samples in which it failed.
    pub tail_frequency: f64,
    /// Share of all samples in which it failed.
    pub frequency: f64,
    /// `tail_frequency / frequency`: how much more often it fails in the bad years.
    pub lift: f64,
    /// Mean outage days in the tail samples where it failed.
    pub mean_days_in_tail: f64,
}

/// The answer of [`risk`] / [`risk_merge`]: statistics in base units, pointing into the run's context
/// (a shard's header: what was asked, and the ids, names and units it needs to be shown without the
/// dataset).
#[derive(Clone, Debug, PartialEq)]
pub struct RiskResult {
    /// What was asked, and the labels the statistics point into.
    pub context: RiskContext,
    /// Allocations solved over all samples.
    pub solves: u64,
    /// Unmet volume per origin and commodity.
    pub origins: Vec<OriginRisk>,
    /// Unmet volume per commodity, all origins together.
    pub commodities: Vec<CommodityRisk>,
    /// Tariffs paid, MUSD per year.
    pub transport_cost_musd: Distribution,
    /// Rise of the objective over the base case (lost export value + extra tariffs), MUSD per year.
    pub loss_musd: Distribution,
    /// How many samples the tail holds (the worst `tail_share`, only those with a loss).
    pub tail_samples: u64,
    /// The outage sources behind the tail, most over-represented first.
    pub tail: Vec<TailContributor>,
    /// Samples where contract minimums had to be dropped.
    pub contracts_relaxed_samples: u64,
}

impl Distribution {
    /// The distribution of `k` times the quantity (`k` ≥ 0): a change of unit.
    pub fn scaled(self, k: f64) -> Distribution {
        Distribution {
            mean: self.mean * k,
            p50: self.p50 * k,
            p90: self.p90 * k,
            p95: self.p95 * k,
            p99: self.p99 * k,
            max: self.max * k,
            prob_positive: self.prob_positive,
        }
    }
}

/// FNV-1a, 64 bits: a stable hash (unlike `std`'s, which may change between releases).
fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A hash of everything in `dataset` and `scenario` that a result can depend on (their serialised form;
/// lookup indices and file locations are not part of it).
fn content_hash(dataset: &Dataset, scenario: &Scenario) -> String {
    let text = serde_json::to_string(&(dataset, scenario)).unwrap_or_default();
    format!("{:016x}", fnv1a(&text))
}

fn fingerprint(c: &RiskContext) -> String {
    let mut text = format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{:x}|{:x}|{:x}",
        c.scenario,
        c.year,
        c.dataset,
        c.method,
        c.samples,
        c.seed,
        c.durations.as_str(),
        c.timing.as_str(),
        c.tail_share.to_bits(),
        c.base_objective_usd.to_bits(),
        c.base_transport_usd.to_bits()
    );
    for o in &c.origins {
        text += &format!(
            "|o:{}:{}:{:x}:{:x}:{:x}",
            o.origin,
            o.commodity,
            o.supplied.to_bits(),
            o.penalty_usd.to_bits(),
            o.base_unmet.to_bits()
        );
    }
    text += &format!("|c:{}", c.content);
    for s in &c.sources {
        text += &format!(
            "|s:{}:{}:{:x}:{:x}:{:x}:{}",
            s.kind,
            s.id,
            s.annual_prob.to_bits(),
            s.mean_days.to_bits(),
            s.derate_pct.to_bits(),
            s.links.join(",")
        );
    }
    format!("{:016x}", fnv1a(&text))
}

/// An outage source resolved to link ids, for sampling.
struct Sampler {
    prob: f64,
    mean_days: f64,
    derate: f64,
    links: Vec<LinkId>,
}

fn outage_sources(engine: &CaseEngine<'_>) -> (Vec<OutageSource>, Vec<Sampler>) {
    let ds = engine.dataset();
    let usable = engine.usable_links();
    let source_ids = |ids: &[SourceId]| ids.iter().map(|&s| ds.source(s).id.clone()).collect();
    let mut shown = Vec::new();
    let mut samplers = Vec::new();
    for &l in usable {
        let Some(rate) = ds.outage_rate(l) else {
            continue;
        };
        if rate.annual_prob <= 0.0 {
            continue;
        }
        let link = ds.link(l);
        shown.push(OutageSource {
            kind: "link".into(),
            id: link.id.clone(),
            name: link.name.clone(),
            annual_prob: rate.annual_prob,
            mean_days: rate.mean_days,
            derate_pct: 100.0,
            links: vec![link.id.clone()],
            confidence: rate.confidence.to_string(),
            sources: source_ids(&rate.sources),
        });
        samplers.push(Sampler {
            prob: rate.annual_prob,
            mean_days: rate.mean_days,
            derate: 1.0,
            links: vec![l],
        });
    }
    for event in &ds.outages.events {
        let links: Vec<LinkId> = event
            .links
            .iter()
            .copied()
            .filter(|l| usable.binary_search(l).is_ok())
            .collect();
        if links.is_empty() || event.rate.annual_prob <= 0.0 {
            continue;
        }
        shown.push(OutageSource {
            kind: "event".into(),
            id: event.id.clone(),
            name: event.name.clone(),
            annual_prob: event.rate.annual_prob,
            mean_days: event.rate.mean_days,
            derate_pct: event.derate_pct,
            links: links.iter().map(|&l| ds.link(l).id.clone()).collect(),
            confidence: event.rate.confidence.to_string(),
            sources: source_ids(&event.rate.sources),
        });
        samplers.push(Sampler {
            prob: event.rate.annual_prob,
            mean_days: event.rate.mean_days,
            derate: event.derate_pct / 100.0,
            links,
        });
    }
    (shown, samplers)
}

/// One failure in a sampled year.
#[derive(Clone, Copy, Debug)]
struct Failure {
    source: u32,
    days: f64,
    /// First day (0–365) of the outage.
    start: f64,
}

/// Draws sample `index`: which sources fail, for how long, from which day.
fn draw(samplers: &[Sampler], seed: u64, index: u64, durations: DurationModel) -> Vec<Failure> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    let mut out = Vec::new();
    for (i, s) in samplers.iter().enumerate() {
        let u: f64 = rng.gen();
        if u >= s.prob {
            continue;
        }
        let days = match durations {
            DurationModel::Fixed => s.mean_days,
            DurationModel::Exponential => {
                let v: f64 = rng.gen();
                -s.mean_days * (1.0 - v).ln()
            }
        }
        .min(365.0);
        let start: f64 = rng.gen::<f64>() * 365.0;
        out.push(Failure {
            source: i as u32,
            days,
            start,
        });
    }
    out
}

/// The year-weighted outcome of one sample.
struct YearOutcome {
    unmet: Vec<f64>,
    transport_usd: f64,
    penalty_usd: f64,
    revenue_usd: f64,
    contracts_relaxed: bool,
    solves: u32,
}

fn solve_year(
    engine: &mut CaseEngine<'_>,
    samplers: &[Sampler],
    failures: &[Failure],
    timing: Timing,
) -> Result<YearOutcome, AnalysisError> {
    let shares_of = |active: &[usize], fraction: &dyn Fn(&Failure) -> f64| {
        let mut shares: Vec<(LinkId, f64)> = Vec::new();
        for &k in active {
            let f = &failures[k];
            let s = &samplers[f.source as usize];
            let keep = 1.0 - fraction(f) * s.derate;
            shares.extend(s.links.iter().map(|&l| (l, keep)));
        }
        shares
    };
    let all: Vec<usize> = (0..failures.len()).collect();
    if failures.is_empty() || timing == Timing::Annual {
        let case = if failures.is_empty() {
            engine.base().clone()
        } else {
            engine.evaluate(&shares_of(&all, &|f| f.days / 365.0), false)?
        };
        return Ok(YearOutcome {
            unmet: case.unmet,
            transport_usd: case.transport_cost_usd,
            penalty_usd: case.penalty_usd,
            revenue_usd: case.revenue_usd,
            contracts_relaxed: case.contracts_relaxed,
            solves: u32::from(!failures.is_empty()),
        });
    }
    // Periods: cut the year at every start and end (an outage past day 365 wraps to the start).
    let mut cuts = vec![0.0, 365.0];
    for f in failures {
        let end = f.start + f.days;
        cuts.push(f.start);
        cuts.push(if end > 365.0 { end - 365.0 } else { end });
    }
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let covers = |f: &Failure, t: f64| {
        let end = f.start + f.days;
        (t >= f.start && t < end) || (end > 365.0 && t < end - 365.0)
    };
    let base = engine.base().clone();
    let mut out = YearOutcome {
        unmet: vec![0.0; base.unmet.len()],
        transport_usd: 0.0,
        penalty_usd: 0.0,
        revenue_usd: 0.0,
        contracts_relaxed: false,
        solves: 0,
    };
    let mut solved: Vec<(Vec<usize>, CaseOutcome)> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b <= a {
            continue;
        }
        let mid = 0.5 * (a + b);
        let active: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&k| covers(&failures[k], mid))
            .collect();
        let weight = (b - a) / 365.0;
        let case = if active.is_empty() {
            &base
        } else if let Some(i) = solved.iter().position(|(set, _)| *set == active) {
            &solved[i].1
        } else {
            let case = engine.evaluate(&shares_of(&active, &|_| 1.0), false)?;
            out.solves += 1;
            solved.push((active, case));
            &solved[solved.len() - 1].1
        };
        for (u, v) in out.unmet.iter_mut().zip(&case.unmet) {
            *u += weight * v;
        }
        out.transport_usd += weight * case.transport_cost_usd;
        out.penalty_usd += weight * case.penalty_usd;
        out.revenue_usd += weight * case.revenue_usd;
        out.contracts_relaxed |= case.contracts_relaxed;
    }
    Ok(out)
}

/// Solves the samples of shard `shard_index` of `shard_count` (contiguous index ranges: shard `i` has
/// samples `[i·N/n, (i+1)·N/n)`).
pub fn risk_shard(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &(dyn LpSolver + Sync),
    config: &RiskConfig,
    shard_index: u64,
    shard_count: u64,
    reporter: &dyn Reporter,
) -> Result<RiskShard, AnalysisError> {
    if config.samples == 0 {
        return Err(AnalysisError::Empty {
            what: "no samples asked for: give at least one".into(),
        });
    }
    if shard_count == 0 || shard_index >= shard_count {
        return Err(AnalysisError::Empty {
            what: format!(
                "shard {shard_index}/{shard_count} does not exist: shards are 0/N … (N-1)/N"
            ),
        });
    }
    if !(config.tail_share > 0.0 && config.tail_share <= 1.0) {
        return Err(AnalysisError::Empty {
            what: format!(
                "tail share {} is outside (0, 1]: use e.g. 0.05 for the worst 5 %",
                config.tail_share
            ),
        });
    }
    let engine = CaseEngine::new(dataset, scenario, solver)?;
    let (sources, samplers) = outage_sources(&engine);
    let base = engine.base();
    let origins = engine
        .origins()
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let c = dataset.commodity(o.commodity);
            RiskOrigin {
                origin: dataset.node(o.node).id.clone(),
                commodity: c.id.clone(),
                unit: c.display_unit().to_string(),
                display_per_base: c.base_to_display(),
                supplied: o.supplied,
                penalty_usd: o.penalty_usd,
                base_unmet: base.unmet[i],
            }
        })
        .collect();
    let mut context = RiskContext {
        scenario: scenario.name.clone(),
        year: scenario.year,
        dataset: dataset.meta.id.clone(),
        method: engine.method().label().to_string(),
        samples: config.samples,
        seed: config.seed,
        durations: config.durations,
        timing: config.timing,
        tail_share: config.tail_share,
        base_objective_usd: base.objective(),
        base_transport_usd: base.transport_cost_usd,
        origins,
        sources,
        content: content_hash(dataset, scenario),
        fingerprint: String::new(),
    };
    context.fingerprint = fingerprint(&context);

    let n = config.samples;
    let first = (u128::from(shard_index) * u128::from(n) / u128::from(shard_count)) as u64;
    let end = (u128::from(shard_index + 1) * u128::from(n) / u128::from(shard_count)) as u64;
    reporter.start("samples", end - first);
    let records: Vec<SampleRecord> = with_threads(config.threads, || {
        (first..end)
            .into_par_iter()
            .map_init(
                || engine.clone(),
                |eng, index| {
                    let failures = draw(&samplers, config.seed, index, config.durations);
                    let out = solve_year(eng, &samplers, &failures, config.timing);
                    reporter.advance(1);
                    out.map(|year| SampleRecord {
                        index,
                        unmet: year.unmet,
                        transport_usd: year.transport_usd,
                        penalty_usd: year.penalty_usd,
                        revenue_usd: year.revenue_usd,
                        outages: failures.iter().map(|f| (f.source, f.days)).collect(),
                        contracts_relaxed: year.contracts_relaxed,
                        solves: year.solves,
                    })
                },
            )
            .collect::<Result<Vec<_>, _>>()
    })??;
    reporter.finish();
    Ok(RiskShard {
        format: SHARD_FORMAT.to_string(),
        shard_index,
        shard_count,
        first_sample: first,
        end_sample: end,
        context,
        records,
    })
}

/// Runs every sample and computes the statistics (one shard of one, merged).
pub fn risk(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &(dyn LpSolver + Sync),
    config: &RiskConfig,
    reporter: &dyn Reporter,
) -> Result<RiskResult, AnalysisError> {
    let shard = risk_shard(dataset, scenario, solver, config, 0, 1, reporter)?;
    risk_merge(vec![shard])
}

/// Combines shards of one run (in any order) into the statistics of the whole run. Fails when the shards
/// come from different runs, overlap, or leave samples out.
pub fn risk_merge(shards: Vec<RiskShard>) -> Result<RiskResult, AnalysisError> {
    let Some(first) = shards.first() else {
        return Err(AnalysisError::Empty {
            what: "no shard to merge".into(),
        });
    };
    let context = first.context.clone();
    for s in &shards {
        if s.format != SHARD_FORMAT {
            return Err(AnalysisError::Empty {
                what: format!(
                    "shard {}/{} has format `{}`, expected `{SHARD_FORMAT}`",
                    s.shard_index, s.shard_count, s.format
                ),
            });
        }
        if s.context.fingerprint != context.fingerprint
            || fingerprint(&s.context) != context.fingerprint
        {
            return Err(AnalysisError::Empty {
                what: format!(
                    "shard {}/{} comes from another run (scenario `{}`, seed {}, {} samples, fingerprint {}) than the first (scenario `{}`, seed {}, {} samples, fingerprint {})",
                    s.shard_index, s.shard_count, s.context.scenario, s.context.seed, s.context.samples, s.context.fingerprint,
                    context.scenario, context.seed, context.samples, context.fingerprint
                ),
            });
        }
    }
    let mut records: Vec<&SampleRecord> = shards.iter().flat_map(|s| &s.records).collect();
    records.sort_by_key(|r| r.index);
    let n = context.samples;
    for (expected, r) in (0..n).zip(&records) {
        if r.index != expected {
            let what = if r.index < expected {
                format!(
                    "sample {} appears twice (are two shards the same?)",
                    r.index
                )
            } else {
                format!(
                    "samples {expected}..{} are missing: merge every shard of the run",
                    r.index
                )
            };
            return Err(AnalysisError::Empty { what });
        }
    }
    if records.len() as u64 != n {
        let what = if (records.len() as u64) < n {
            format!(
                "{} of {n} samples present: merge every shard of the run",
                records.len()
            )
        } else {
            "some samples appear twice (are two shards the same?)".to_string()
        };
        return Err(AnalysisError::Empty { what });
    }
    let n_origins = context.origins.len();
    if records.iter().any(|r| r.unmet.len() != n_origins) {
        return Err(AnalysisError::Empty {
            what: "a sample record does not match its context (wrong number of origins)".into(),
        });
    }
    Ok(aggregate(&context, &records))
}

/// Nearest-rank statistics of `values` (in sample order).
fn distribution(values: &[f64]) -> Distribution {
    if values.is_empty() {
        return Distribution::default();
    }
    let n = values.len();
    let mut mean = 0.0;
    for v in values {
        mean += v;
    }
    mean /= n as f64;
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| sorted[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
    Distribution {
        mean,
        p50: q(0.5),
        p90: q(0.9),
        p95: q(0.95),
        p99: q(0.99),
        max: sorted[n - 1],
        prob_positive: values.iter().filter(|&&v| v > 0.0).count() as f64 / n as f64,
    }
}

/// Round-off below a thousandth of a base unit is no loss.
fn tidy(v: f64, eps: f64) -> f64 {
    if v.abs() <= eps {
        0.0
    } else {
        v
    }
}

fn aggregate(c: &RiskContext, records: &[&SampleRecord]) -> RiskResult {
    let eps = 1e-3;
    let origins: Vec<OriginRisk> = c
        .origins
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let unmet: Vec<f64> = records.iter().map(|r| tidy(r.unmet[i], eps)).collect();
            let cost: Vec<f64> = records
                .iter()
                .map(|r| tidy(r.unmet[i], eps) * o.penalty_usd / 1e6)
                .collect();
            OriginRisk {
                slot: i,
                unmet: distribution(&unmet),
                unmet_cost_musd: distribution(&cost),
            }
        })
        .collect();
    let mut commodity_ids: Vec<&str> = Vec::new();
    for o in &c.origins {
        if !commodity_ids.contains(&o.commodity.as_str()) {
            commodity_ids.push(&o.commodity);
        }
    }
    let commodities = commodity_ids
        .iter()
        .map(|&id| {
            let members: Vec<usize> = (0..c.origins.len())
                .filter(|&i| c.origins[i].commodity == id)
                .collect();
            let unmet: Vec<f64> = records
                .iter()
                .map(|r| {
                    let mut total = 0.0;
                    for &i in &members {
                        total += tidy(r.unmet[i], eps);
                    }
                    total
                })
                .collect();
            let cost: Vec<f64> = records
                .iter()
                .map(|r| {
                    let mut total = 0.0;
                    for &i in &members {
                        total += tidy(r.unmet[i], eps) * c.origins[i].penalty_usd;
                    }
                    total / 1e6
                })
                .collect();
            let mut supplied = 0.0;
            for &i in &members {
                supplied += c.origins[i].supplied;
            }
            CommodityRisk {
                slots: members,
                supplied,
                unmet: distribution(&unmet),
                unmet_cost_musd: distribution(&cost),
            }
        })
        .collect();
    let transport: Vec<f64> = records.iter().map(|r| r.transport_usd / 1e6).collect();
    let loss_usd: Vec<f64> = records
        .iter()
        .map(|r| {
            let objective = r.transport_usd + r.penalty_usd - r.revenue_usd;
            tidy(objective - c.base_objective_usd, 1.0)
        })
        .collect();
    let loss_musd: Vec<f64> = loss_usd.iter().map(|v| v / 1e6).collect();

    // The tail: the worst `tail_share` of samples by loss (ties by index), among those with a loss.
    let n = records.len();
    let tail_n = ((c.tail_share * n as f64).ceil() as usize).clamp(1, n);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| loss_usd[b].total_cmp(&loss_usd[a]).then(a.cmp(&b)));
    let tail: Vec<usize> = order
        .into_iter()
        .take(tail_n)
        .filter(|&i| loss_usd[i] > 0.0)
        .collect();
    let mut in_tail = vec![0u64; c.sources.len()];
    let mut days_in_tail = vec![0.0; c.sources.len()];
    let mut overall = vec![0u64; c.sources.len()];
    for r in records {
        for &(s, _) in &r.outages {
            if let Some(x) = overall.get_mut(s as usize) {
                *x += 1;
            }
        }
    }
    for &i in &tail {
        for &(s, days) in &records[i].outages {
            if let Some(x) = in_tail.get_mut(s as usize) {
                *x += 1;
                days_in_tail[s as usize] += days;
            }
        }
    }
    let mut contributors: Vec<TailContributor> = c
        .sources
        .iter()
        .enumerate()
        .filter(|(i, _)| in_tail[*i] > 0)
        .map(|(i, _)| {
            let tail_frequency = in_tail[i] as f64 / tail.len() as f64;
            let frequency = overall[i] as f64 / n as f64;
            TailContributor {
                source: i,
                tail_frequency,
                frequency,
                lift: if frequency > 0.0 {
                    tail_frequency / frequency
                } else {
                    0.0
                },
                mean_days_in_tail: days_in_tail[i] / in_tail[i] as f64,
            }
        })
        .collect();
    // Ranked by how much more often a source fails in the tail than in all years: a source that fails
    // every year is in every tail sample and explains nothing.
    contributors.sort_by(|a, b| {
        (b.tail_frequency - b.frequency)
            .total_cmp(&(a.tail_frequency - a.frequency))
            .then(b.tail_frequency.total_cmp(&a.tail_frequency))
            .then_with(|| c.sources[a.source].id.cmp(&c.sources[b.source].id))
    });
    RiskResult {
        context: c.clone(),
        solves: records.iter().map(|r| u64::from(r.solves)).sum(),
        origins,
        commodities,
        transport_cost_musd: distribution(&transport),
        loss_musd: distribution(&loss_musd),
        tail_samples: tail.len() as u64,
        tail: contributors,
        contracts_relaxed_samples: records.iter().filter(|r| r.contracts_relaxed).count() as u64,
    }
}
