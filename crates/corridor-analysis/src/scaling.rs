//! One scaling rule for every integer network the analyses build — the allocation's network simplex,
//! the case engine behind contingency, risk and indices, and the push-relabel capacity — so that
//! `allocate` and a contingency base case round every figure the same way and agree exactly.
//!
//! Flow is counted in thousandths of a base unit and costs in millionths of a USD per base unit: gas
//! tariffs of a few thousandths of a dollar per m³ keep their digits, and the largest products (tens of
//! billions of m³ a year at the unmet penalty) stay far inside `i128` totals and `i64` potentials.

/// Flow units per base unit (t, m³, TEU) per year.
pub(crate) const FLOW_SCALE: f64 = 1000.0;

/// Cost units per USD per base unit.
pub(crate) const COST_SCALE: f64 = 1e6;

/// `value × scale` as an integer, or `None` when it does not fit (`corridor_flow::scale_to_i64`).
pub(crate) fn to_int(value: f64, scale: f64) -> Option<i64> {
    corridor_flow::scale_to_i64(value, scale).ok()
}
