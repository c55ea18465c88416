//! Work that staff start from the console or the API and that runs on the blocking pool, so that
//! the request starting it answers at once: bulk issue, bulk delivery, and a design's preview.
//! Both doors call these; the pages and the JSON only show what they report. Before this module
//! the API reached into the console's page handlers for them.

pub mod delivery;
pub mod issue;
pub mod preview;
