//! `[bypass]`: the links the bypass question leaves out, and why.

use crate::resolve::table_links;
use crate::toml_reader::TableReader;
use corridor_model::*;

/// Reads the optional `[bypass]` table into `scenario.bypass`; its `reason` is required.
pub(super) fn read_bypass(
    root: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(b) = root.table("bypass", diags) else {
        return;
    };
    scenario.bypass.leave_out = table_links(&b, "leave_out", ds, diags);
    match b.opt_str("reason", diags) {
        Some(r) if !r.trim().is_empty() => scenario.bypass.reason = r,
        _ => diags.push(Diagnostic::error(
            &b.location(),
            b.field("reason"),
            "missing",
            "say why the bypass question leaves these links out (it is shown beside the answer)",
        )),
    }
    b.finish(&["leave_out", "reason"], diags);
}
