//! The single integration-test binary of corridor-highs (built only with the `highs` feature).

// The multi-commodity generator, copied from corridor-lp's tests, walks several arrays by index.
#![allow(clippy::needless_range_loop)]

mod hand;
mod network;
mod random;
mod statuses;
mod support;
