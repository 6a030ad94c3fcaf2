//! Checks over the assembled site and its rendered files. Each check is a function returning
//! findings; the build stops on any of them.

pub mod links;
