//! Pure core shared by the server and the UI: the objects we read, exact quantities,
//! every join, and the view models the API serves. No IO, no async, no clock reads.
//!
//! Module map: see `/work/notes/model.md` (copied in ARCHITECTURE.md once stable).

pub mod access;
pub mod api;
pub mod chain;
pub mod cold_start;
pub mod cost;
pub mod history;
pub mod journal;
pub mod k8s;
pub mod karpenter;
pub mod keda;
pub mod meta;
pub mod node;
pub mod nodeclaim;
pub mod nodeclass;
pub mod nodepool;
pub mod overview;
pub mod paths;
pub mod pending;
pub mod quantity;
pub mod scaler;
pub mod snapshot;
pub mod thresholds;
pub mod time;
pub mod tolerant;
pub mod usage;

pub use meta::{Condition, ObjectList, ObjectMeta, ObjectRef, Rejected, Resource, parse_list};
pub use overview::Views;
pub use quantity::{Quantity, ResourceList};
pub use snapshot::{Index, OwnedSnapshot, Snapshot};
pub use time::Time;
