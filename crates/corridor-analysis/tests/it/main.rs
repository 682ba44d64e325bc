//! Whole-scenario tests: tiny scenarios in text with the expected rendered result, and property tests
//! on random networks that cross-check the LP allocation, the push-relabel capacity and the network
//! simplex against each other.

mod calibration;
mod certificates;
mod random;
mod resilience;
mod scenarios;
