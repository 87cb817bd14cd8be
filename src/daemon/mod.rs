//! `spets serve`: one daemon owns a workspace and serves the service API to every spets on the
//! machine over a Unix socket.
//!
//! * Identity comes from the kernel (SO_PEERCRED via rustix), never from the client.
//! * Roles come from the access file ([`access`]); the service enforces them.
//! * The socket is mode 0660 in a 0750 directory, both in the configured group.
//! * One thread per connection; a bad or oversized frame closes that connection only.
//! * SIGTERM/SIGINT: finish the write in progress, flush, remove the socket, exit 0.

pub mod access;
pub mod protocol;
mod server;

pub use server::{ServeOptions, serve};
