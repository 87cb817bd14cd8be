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

/// A user's name and primary group id, from /etc/passwd.
pub fn passwd_entry(uid: u32) -> Option<(String, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() >= 4 && f[2].parse::<u32>().ok() == Some(uid))
            .then(|| (f[0].to_string(), f[3].parse().unwrap_or(u32::MAX)))
    })
}

/// The name of group `gid`, from /etc/group.
pub fn group_name(gid: u32) -> Option<String> {
    let group = std::fs::read_to_string("/etc/group").ok()?;
    group.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() >= 3 && f[2].parse::<u32>().ok() == Some(gid)).then(|| f[0].to_string())
    })
}

/// The id of the group called `name`, from /etc/group.
pub fn group_id(name: &str) -> Option<u32> {
    let group = std::fs::read_to_string("/etc/group").ok()?;
    group.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() >= 3 && f[0] == name)
            .then(|| f[2].parse().ok())
            .flatten()
    })
}

/// Every group `user` belongs to: the primary group `gid` and the supplementary groups that list
/// the user in /etc/group.
pub fn groups_of(user: &str, gid: u32) -> Vec<String> {
    let mut out: Vec<String> = group_name(gid).into_iter().collect();
    if let Ok(group) = std::fs::read_to_string("/etc/group") {
        for line in group.lines() {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() >= 4 && f[3].split(',').any(|m| m == user) && !out.iter().any(|g| g == f[0])
            {
                out.push(f[0].to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_is_uid_zero() {
        assert_eq!(super::user_name(0), "root");
        assert_eq!(super::user_name(4_000_000_000), "uid:4000000000");
    }
}
