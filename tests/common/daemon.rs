//! A real `spets serve` on a workspace, for the tests that go through the socket: started, awaited
//! until it accepts connections, and stopped when dropped.

use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The daemon's process; dropping it kills and reaps it.
pub struct Daemon(pub Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `spets serve` on the workspace `ws` at `sock`, and wait until it accepts connections.
pub fn serve(ws: &Path, sock: &Path) -> Daemon {
    let child = Command::new(env!("CARGO_BIN_EXE_spets"))
        .args(["serve", "--db"])
        .arg(ws)
        .arg("--socket")
        .arg(sock)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut daemon = Daemon(child);
    super::wait_for("the daemon", || {
        assert!(daemon.0.try_wait().unwrap().is_none(), "the daemon exited");
        std::os::unix::net::UnixStream::connect(sock).is_ok()
    });
    daemon
}
