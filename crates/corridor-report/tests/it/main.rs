//! corridor-report's integration tests.

mod visual;
