//! The Unix user behind this process (embedded mode) or behind a socket peer (the daemon).

/// The name of the Unix user with `uid`, from /etc/passwd; `uid:N` when it has no entry.
pub fn user_name(uid: u32) -> String {
    if let Ok(passwd) = std::fs::read_to_string("/etc/passwd") {
        for line in passwd.lines() {
            let mut f = line.split(':');
            if let (Some(name), Some(_), Some(id)) = (f.next(), f.next(), f.next())
                && id.parse::<u32>().ok() == Some(uid)
            {
                return name.to_string();
            }
        }
    }
    format!("uid:{uid}")
}

/// The user running this process.
pub fn current_user() -> String {
    user_name(rustix::process::getuid().as_raw())
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_is_uid_zero() {
        assert_eq!(super::user_name(0), "root");
        assert_eq!(super::user_name(4_000_000_000), "uid:4000000000");
    }
}
