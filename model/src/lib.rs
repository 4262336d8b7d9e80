//! Pure core shared by the server and the UI: the objects we read, exact quantities,
//! every join, and the view models the API serves. No IO, no async, no clock reads.
//!
//! Module map: see `/work/notes/model.md` (copied in ARCHITECTURE.md once stable).

pub mod k8s;
pub mod karpenter;
pub mod keda;
pub mod meta;
pub mod nodeclass;
pub mod quantity;
pub mod time;
pub mod tolerant;

pub use meta::{Condition, ObjectList, ObjectMeta, ObjectRef, Rejected, Resource, parse_list};
pub use quantity::{Quantity, ResourceList};
pub use time::Time;
