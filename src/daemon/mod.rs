//! `spets serve`: one daemon owns a workspace and serves the service API to every spets on the
//! machine over a Unix socket.
//!
//! * Identity comes from the kernel (SO_PEERCRED via rustix), never from the client.
//! * Roles come from the access file ([`access`]); the service enforces them.
//! * The socket is mode 0660 in a 0750 directory, both in the configured group.
//! * Two threads per connection (requests, and a writer of its bounded outbox); a bad or
//!   oversized frame closes that connection only; a cap on connections in all and per user.
//! * SIGTERM/SIGINT: finish the write in progress, flush, remove the socket, exit 0.

pub mod access;
mod conn;
mod heavy;
pub mod protocol;
mod server;

pub use server::{DEFAULT_MAX_CLIENTS, DEFAULT_MAX_PER_USER, ServeOptions, serve};
