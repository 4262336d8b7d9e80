//! Test helper: starts or reuses the local cluster (`cargo xtask cluster up`) and hands out clients.
