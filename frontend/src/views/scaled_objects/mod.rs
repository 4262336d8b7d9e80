//! KEDA ScaledObjects: the list of all of them and the page of one. `sections` holds what the
//! ScaledObject and ScaledJob pages share.

pub mod detail;
pub mod list;
pub mod sections;
