//! KEDA ScaledJobs: the list of all of them and the page of one (sections shared with
//! ScaledObjects live in `views::scaled_objects::sections`).

pub mod detail;
pub mod list;
