//! The single integration-test binary of corridor-lp.

// Index loops mirror the linear algebra (and often walk several arrays at once).
#![allow(clippy::needless_range_loop)]

mod network;
mod random;
mod shadow;
mod tiny;
mod transport;
