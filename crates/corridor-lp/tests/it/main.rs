//! The single integration-test binary of corridor-lp.

mod random;
mod shadow;
mod support;
mod tiny;
mod transport;
