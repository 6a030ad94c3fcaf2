//! Content: front matter, the page kinds, and loading content/ into typed pages.

pub mod date;
pub mod frontmatter;
pub mod load;
pub mod page;

pub use date::PageDate;
pub use load::{Asset, Content, Layout, LoadHint, PageCache, Section, load};
pub use page::{Kind, Page, PageContext, Term};
