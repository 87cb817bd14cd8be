//! The wire protocol between `spets serve` and its clients, on a Unix socket.
//!
//! * Every message is a frame: a 4-byte big-endian length, then that many bytes.
//! * The first frame each way is the handshake, in a layout that never changes so that any two
//!   versions of spets understand each other well enough to say what to upgrade:
//!   `SPETS-HELLO` / `SPETS-WELCOME` / `SPETS-REFUSED`, a big-endian u32 protocol version, then
//!   the payload (the client's version text; the [`Welcome`]; a refusal: the code line of a
//!   [`crate::service::Refusal`], which every version can read and the client words).
//! * After the handshake, frames hold [`ClientMsg`] / [`ServerMsg`] values in the wire codec
//!   ([`encode_msg`], [`decode_msg`]): bincode with the wire's own limits, separate from the
//!   store's. Neither side decodes a frame over its declared limit ([`MAX_CLIENT_FRAME`] into the
//!   daemon, [`MAX_SERVER_FRAME`] into a client), and the [`Welcome`] states both, so the two
//!   sides agree.
//! * An answer too large for one frame goes as [`ServerMsg::Part`]s of at most [`PART_BYTES`],
//!   written as the client reads them (backpressure), then reassembled; a backup goes as
//!   [`ServerMsg::BackupPart`]s that the client writes to its file as they come.
//! * A connection that is quiet costs nothing and stays open: there is no heartbeat. A half-sent
//!   frame times out ([`FRAME_TIMEOUT`]).

use crate::domain::limits::CLAIM_FACTOR;
use crate::service::{ChangeEvent, Request, Response, Role};
use crate::store::codec::CodecError;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::io::{self, Read, Write};
use std::time::Duration;

/// Bumped whenever a message changes shape.
pub const PROTOCOL_VERSION: u32 = 5;
/// The largest frame a client may send: a request with a record at the record limit, twice over.
pub const MAX_CLIENT_FRAME: usize = 4 << 20;
/// The largest frame the daemon sends; longer answers go in parts.
pub const MAX_SERVER_FRAME: usize = 4 << 20;
/// The bytes of one part of a large answer (or of a backup).
pub const PART_BYTES: usize = 1 << 20;
/// The most a client reassembles of one answer in parts; anything longer is refused.
pub const MAX_ANSWER_BYTES: usize = 512 << 20;
/// The decoder's limit for one frame: bincode counts at most [`CLAIM_FACTOR`] bytes per byte.
const FRAME_DECODE_LIMIT: usize = (4 << 20) * CLAIM_FACTOR;
/// The decoder's limit for an answer reassembled from parts.
const ANSWER_DECODE_LIMIT: usize = (512 << 20) * CLAIM_FACTOR;
/// A frame that has begun must be complete within this time (a slow sender holds nothing long).
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest handshake frame.
pub const MAX_HANDSHAKE: usize = 64 << 10;

pub const HELLO: &[u8] = b"SPETS-HELLO";
pub const WELCOME: &[u8] = b"SPETS-WELCOME";
pub const REFUSED: &[u8] = b"SPETS-REFUSED";

const _: () = assert!(MAX_CLIENT_FRAME <= 4 << 20 && MAX_SERVER_FRAME <= 4 << 20);

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
    Response {
        id: u64,
        response: Response,
    },
    Event(ChangeEvent),
    Pong,
    /// Part of the encoded [`Response`] to request `id`; the parts in order, up to the one with
    /// `last`, are the whole encoding.
    Part {
        id: u64,
        bytes: Vec<u8>,
        last: bool,
    },
    /// Part of a backup's bytes for request `id`; the answer ([`Response::BackupDone`]) follows
    /// the last part.
    BackupPart {
        id: u64,
        bytes: Vec<u8>,
    },
    /// The user's role on this connection changed (the access file was edited): from now on it is
    /// this one.
    Role(Role),
}

/// What the daemon tells a client it accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub user: String,
    pub role: Role,
    pub workspace: String,
    pub server_version: String,
    pub capabilities: Vec<String>,
    /// The largest frame the daemon accepts from this client.
    pub max_client_frame: u32,
    /// The largest frame the daemon sends to this client.
    pub max_server_frame: u32,
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
    Decode(#[from] CodecError),
}

fn frame_config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<FRAME_DECODE_LIMIT>()
}

/// Encode a message for the wire.
pub fn encode_msg<T: Serialize>(m: &T) -> Result<Vec<u8>, CodecError> {
    Ok(bincode::serde::encode_to_vec(m, frame_config())?)
}

/// Decode one frame's message, within the wire's limit; every byte must be used.
pub fn decode_msg<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (v, used): (T, usize) = bincode::serde::decode_from_slice(bytes, frame_config())?;
    if used != bytes.len() {
        return Err(CodecError::Trailing {
            extra: bytes.len() - used,
            total: bytes.len(),
        });
    }
    Ok(v)
}

/// Decode an answer reassembled from [`ServerMsg::Part`]s (at most [`MAX_ANSWER_BYTES`]).
pub fn decode_answer(bytes: &[u8]) -> Result<Response, CodecError> {
    let config = bincode::config::standard().with_limit::<ANSWER_DECODE_LIMIT>();
    let (v, used): (Response, usize) = bincode::serde::decode_from_slice(bytes, config)?;
    if used != bytes.len() {
        return Err(CodecError::Trailing {
            extra: bytes.len() - used,
            total: bytes.len(),
        });
    }
    Ok(v)
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

    #[test]
    fn the_wire_codec_refuses_claims_over_its_own_limit() {
        // A string claiming more than a frame may decode to.
        let mut evil = vec![253u8];
        evil.extend_from_slice(&((FRAME_DECODE_LIMIT as u64) + 1).to_le_bytes());
        assert!(decode_msg::<String>(&evil).is_err());
        let ok = encode_msg(&"x".repeat(1000)).unwrap();
        assert_eq!(decode_msg::<String>(&ok).unwrap().len(), 1000);
    }
}
