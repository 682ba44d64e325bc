//! Integration tests of corridor-flow: hand-checked classics rendered through `expect!`, and
//! property tests against the simple reference implementations of corridor-fixtures' `flow`.

// Index loops read more plainly than zipped iterators in node-by-node checks.
#![allow(clippy::needless_range_loop)]

mod classic;
mod common;
mod decompose;
mod max_flow;
mod min_cost_flow;
mod paths;
mod warm_start;
