//! Shared building blocks of every view. They render what they are given; none fetches or joins.

pub mod bar;
pub mod chart;
pub mod chip;
pub mod link;
pub mod panel;
pub mod section;
pub mod table;
pub mod threshold_bar;

pub use bar::Bar;
pub use chip::{Chip, Tone};
pub use link::Link;
pub use panel::{EmptyPanel, ErrorPanel, LoadingPanel};
pub use section::{NameValue, SearchBox, SectionBox};
pub use table::{Column, Table};
