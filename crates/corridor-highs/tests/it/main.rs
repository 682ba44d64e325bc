//! The single integration-test binary of corridor-highs (built only with the `highs` feature).

mod hand;
mod network;
mod random;
mod statuses;
mod support;
