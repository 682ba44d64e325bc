//! GRID-SQUARE instances through the crate `gridgraph_rs` (Resende's GRIDGRAPH).

use anyhow::anyhow;

/// GRIDGRAPH parameters: an `height x width` grid with arcs right and down, a source feeding
/// the first column and a sink fed by the last; capacities in `1..=max_capacity`, costs in
/// `1..=max_cost`; the supply is the maximum s-t flow, so the problem is a min-cost max-flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GridParams {
    /// Rows.
    pub height: i64,
    /// Columns (at least 2).
    pub width: i64,
    /// Largest arc capacity.
    pub max_capacity: i64,
    /// Largest arc cost.
    pub max_cost: i64,
    /// Positive seed.
    pub seed: i64,
}

/// The DIMACS text of a GRIDGRAPH instance.
///
/// # Errors
/// If a parameter is out of GRIDGRAPH's range.
pub fn gridgraph(p: &GridParams) -> anyhow::Result<String> {
    let as_i32 = |v: i64, what: &str| {
        i32::try_from(v).map_err(|_| anyhow!("GRIDGRAPH {what} {v} does not fit in 32 bits"))
    };
    let params = gridgraph_rs::GridGraphParams::new(
        as_i32(p.height, "height")?,
        as_i32(p.width, "width")?,
        as_i32(p.max_capacity, "max_capacity")?,
        as_i32(p.max_cost, "max_cost")?,
        as_i32(p.seed, "seed")?,
    )
    .map_err(|e| anyhow!("GRIDGRAPH parameters {p:?}: {e:?}"))?;
    Ok(gridgraph_rs::generate_instance(params).to_dimacs_string())
}
