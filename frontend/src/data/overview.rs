//! The overview: one object (`overviews/cluster`) the server serves, or `model`'s overview of
//! every view computed in the browser. Never fatal: it shows whatever parts could be read.

use super::{Answer, Data, DataError, Origin};
use model::Time;
use model::overview::{Overview, Views};
use model::snapshot::Index;

/// Name of the one overview object.
pub const OVERVIEW_NAME: &str = "cluster";

fn overview_join(ix: &Index, now: Time) -> Vec<Overview> {
    vec![Views::build(ix.snap, now).overview]
}

impl Data {
    /// Scaler counts, NodePools vs limits, pending pods, blocked scale-outs, recent scaling.
    pub async fn overview(&self) -> Result<Answer<Overview>, DataError> {
        let mut answer = self.view_one::<Overview>(None, OVERVIEW_NAME, overview_join).await?;
        if answer.origin == Origin::Server {
            // The server says which parts it could not read (the browser found out by itself).
            answer.gaps.extend(super::server::gaps_of_sources(&answer.value.sources));
        }
        Ok(answer)
    }
}
