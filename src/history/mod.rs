//! History of the books in git: reading revisions of a portal and comparing them (`sanwu diff`).

pub mod diff;
pub mod git;
pub mod log;
pub mod seal;
