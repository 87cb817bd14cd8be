//! The wire protocol between `spets serve` and its clients, on a Unix socket.
//!
//! * Every message is a frame: a 4-byte big-endian length, then that many bytes.
//! * The first frame each way is the handshake, in a layout that never changes so that any two
//!   versions of spets understand each other well enough to say what to upgrade:
//!   `SPETS-HELLO` / `SPETS-WELCOME`, a big-endian u32 protocol version, then UTF-8 text (the client's
//!   spets version; or the server's answer).
//! * After the handshake, frames hold bincode-encoded [`ClientMsg`] / [`ServerMsg`] values
//!   (the codec module's configuration: byte limit, all bytes consumed).
//! * Frames from clients are limited to [`MAX_CLIENT_FRAME`]; the daemon closes a connection that
//!   sends a larger or undecodable frame, logs it, and carries on with everyone else.

use crate::service::{ChangeEvent, Request, Response, Role};
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// Bumped whenever a message changes shape.
pub const PROTOCOL_VERSION: u32 = 3;
/// The largest frame a client may send (a request with a long note is far below this).
pub const MAX_CLIENT_FRAME: usize = 8 << 20;
/// The largest frame a client accepts from the daemon (a backup of a large workspace).
pub const MAX_SERVER_FRAME: usize = 1 << 30;
/// A client pings after this much silence; the daemon closes a connection silent for 4×.
pub const HEARTBEAT_SECS: u64 = 15;

pub const HELLO: &[u8] = b"SPETS-HELLO";
pub const WELCOME: &[u8] = b"SPETS-WELCOME";
pub const REFUSED: &[u8] = b"SPETS-REFUSED";

/// After the handshake, from client to daemon.
#[allow(clippy::large_enum_variant)] // each message is encoded once and dropped
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ClientMsg {
    Request { id: u64, request: Request },
    Ping,
}

/// After the handshake, from daemon to client.
#[allow(clippy::large_enum_variant)] // each message is encoded once and dropped
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ServerMsg {
    Response { id: u64, response: Response },
    Event(ChangeEvent),
    Pong,
}

/// What the daemon tells a client it accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub user: String,
    pub role: Role,
    pub workspace: String,
    pub server_version: String,
    pub capabilities: Vec<String>,
}

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("the peer closed the connection")]
    Closed,
    #[error("a frame of {len} bytes is over the limit of {max}")]
    TooLarge { len: usize, max: usize },
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error("a frame does not decode: {0}")]
    Decode(#[from] crate::store::codec::CodecError),
}

/// Read one frame of at most `max` bytes.
pub fn read_frame(r: &mut impl Read, max: usize) -> Result<Vec<u8>, FrameError> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(FrameError::Closed),
        Err(e) => return Err(e.into()),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > max {
        return Err(FrameError::TooLarge { len, max });
    }
    let mut buf = vec![0u8; len];
    r.read_exact(&mut buf).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            FrameError::Closed
        } else {
            e.into()
        }
    })?;
    Ok(buf)
}

/// Append one frame (length, then body) to `out`, for writing several frames at once.
pub fn append_frame(out: &mut Vec<u8>, body: &[u8]) -> io::Result<()> {
    let len = u32::try_from(body.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame too large"))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(body);
    Ok(())
}

/// Write one frame (length and body in one write, so frames from several threads never interleave
/// when the caller holds the stream's lock).
pub fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let mut buf = Vec::with_capacity(body.len() + 4);
    append_frame(&mut buf, body)?;
    w.write_all(&buf)?;
    w.flush()
}

/// A handshake frame: tag, protocol version, text.
pub fn handshake(tag: &[u8], version: u32, text: &str) -> Vec<u8> {
    [tag, &version.to_be_bytes(), text.as_bytes()].concat()
}

/// A handshake frame with a binary payload.
pub fn handshake_bytes(tag: &[u8], version: u32, payload: &[u8]) -> Vec<u8> {
    [tag, &version.to_be_bytes(), payload].concat()
}

/// Split a handshake frame into (protocol version, payload) if it carries `tag`.
pub fn parse_handshake<'a>(tag: &[u8], frame: &'a [u8]) -> Option<(u32, &'a [u8])> {
    let rest = frame.strip_prefix(tag)?;
    let v = rest.get(..4)?;
    let version = u32::from_be_bytes([v[0], v[1], v[2], v[3]]);
    Some((version, rest.get(4..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_limits_hold() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"hello").unwrap();
        assert_eq!(read_frame(&mut buf.as_slice(), 10).unwrap(), b"hello");
        assert!(matches!(
            read_frame(&mut buf.as_slice(), 4),
            Err(FrameError::TooLarge { len: 5, max: 4 })
        ));
        assert!(matches!(
            read_frame(&mut &buf[..6], 10),
            Err(FrameError::Closed)
        ));
        let h = handshake(HELLO, 7, "spets 0.1.0");
        assert_eq!(
            parse_handshake(HELLO, &h),
            Some((7, "spets 0.1.0".as_bytes()))
        );
        assert_eq!(parse_handshake(WELCOME, &h), None);
    }
}
