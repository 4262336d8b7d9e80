//! The data layer: the one interface views read from, with the sources behind it.
//!
//! Views ask [`Data`] for what they show and render the answer; they never fetch or join.
//! Sources: **direct** (raw lists through the bridge, parsed and joined with `model`) today;
//! the server's aggregated API (`insights.autoscaling.dev`) joins it as a second source.

mod direct;
pub mod error;
mod load;

pub use error::DataError;
pub use load::{Load, use_load};

use crate::bridge::Bridge;
use model::keda::ScaledObject;
use model::meta::Rejected;
use std::rc::Rc;

/// Items of a list, and the items that could not be read (shown, not silently dropped).
#[derive(Clone, Debug, PartialEq)]
pub struct Listed<T> {
    /// Objects read (shared: views and tables hold the same slice).
    pub items: Rc<[T]>,
    /// Objects that could not be read, with the reason.
    pub rejected: Vec<Rejected>,
}

/// Where the data of one cluster comes from. Cheap to clone; a Yew context value.
#[derive(Clone, PartialEq)]
pub struct Data {
    cluster: Rc<str>,
    source: Source,
}

#[derive(Clone, PartialEq)]
enum Source {
    Direct(direct::Direct),
}

impl Data {
    /// Reads raw objects of `cluster` through `bridge` and joins them in the browser.
    pub fn direct(bridge: Bridge, cluster: &str) -> Self {
        Data { cluster: cluster.into(), source: Source::Direct(direct::Direct::new(bridge)) }
    }

    /// The cluster this data is about.
    pub fn cluster(&self) -> &str {
        &self.cluster
    }

    /// All ScaledObjects the user may list, sorted by namespace and name.
    pub async fn scaled_objects(&self) -> Result<Listed<ScaledObject>, DataError> {
        match &self.source {
            Source::Direct(d) => d.list_all::<ScaledObject>(&self.cluster).await,
        }
    }

    /// One ScaledObject.
    pub async fn scaled_object(&self, namespace: &str, name: &str) -> Result<ScaledObject, DataError> {
        match &self.source {
            Source::Direct(d) => d.get::<ScaledObject>(&self.cluster, namespace, name).await,
        }
    }
}
