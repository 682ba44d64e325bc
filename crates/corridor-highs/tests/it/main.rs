//! The single integration-test binary of corridor-highs (built only with the `highs` feature).

// Index loops mirror the linear algebra (and often walk several arrays at once).
#![allow(clippy::needless_range_loop)]

mod hand;
mod network;
mod random;
mod statuses;
mod support;
