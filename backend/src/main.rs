//! `autoscaling-insights`: the aggregated API server.

fn main() {}
