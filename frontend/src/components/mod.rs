//! Shared building blocks of every view. They render what they are given; none fetches or joins.

pub mod bar;
pub mod chart;
pub mod chip;
pub mod conditions;
pub mod events;
pub mod gaps;
pub mod link;
pub mod panel;
pub mod quantity;
pub mod requirements;
pub mod section;
pub mod source;
pub mod steps;
pub mod table;
pub mod threshold_bar;
pub mod usage;

pub use bar::Bar;
pub use chip::{Chip, Tone};
pub use gaps::GapNotes;
pub use link::Link;
pub use panel::{EmptyPanel, ErrorPanel, LoadingPanel};
pub use section::{NameValue, SearchBox, SectionBox};
pub use table::{Column, Table};
