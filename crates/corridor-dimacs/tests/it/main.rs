//! Integration tests of corridor-dimacs: the folder of external cases, located errors
//! rendered through `expect!`, round trips, a cross-check of `solve` against a simple
//! successive-shortest-path solver, and random input that must never panic.

// Node-by-node loops over small vectors read more plainly with indices.
#![allow(clippy::needless_range_loop)]

mod cases;
mod common;
mod cross_check;
mod errors;
mod fuzz;
mod round_trip;
mod solution;
