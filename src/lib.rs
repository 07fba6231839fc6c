//! Hattama's domain: recording, storage, configuration and everything a court session
//! produces. No UI code lives here (the window is in the binary's `app` and `screen`).

pub mod act;
pub mod check;
pub mod config;
pub mod delivery;
pub mod digest;
pub mod disc;
pub mod i18n;
pub mod incident;
pub mod lock;
pub mod output;
pub mod page;
pub mod part;
pub mod paths;
pub mod periodic;
pub mod problem;
pub mod protocol;
pub mod recorder;
pub mod recording;
pub mod review;
pub mod seal;
pub mod session;
pub mod store;
pub mod wake;
