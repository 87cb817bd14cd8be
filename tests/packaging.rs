//! The Debian package's generated files: the man page and the shell completions in packaging/ are
//! exactly what `spets man` and `spets completions SHELL` print (run with SPETS_UPDATE_ASSETS=1 to
//! write them again after changing the command line), and the package lists only real files and
//! never the tests' helper binary. (`.ci/deb.sh` builds, installs and removes the package itself.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn spets(args: &[&str]) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_spets"))
        .args(args)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("SPETS_SYSTEM_CONFIG", "/nonexistent")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn packaging_assets_match_the_command_line() {
    let assets: [(&[&str], &str); 4] = [
        (&["man"], "packaging/spets.1"),
        (&["completions", "bash"], "packaging/completions/spets.bash"),
        (&["completions", "zsh"], "packaging/completions/_spets"),
        (&["completions", "fish"], "packaging/completions/spets.fish"),
    ];
    let update = std::env::var_os("SPETS_UPDATE_ASSETS").is_some();
    for (args, file) in assets {
        let now = spets(args);
        let path = root().join(file);
        if update {
            std::fs::write(&path, &now).unwrap();
        }
        let kept = std::fs::read(&path).unwrap_or_default();
        assert!(
            kept == now,
            "{file} differs from `spets {}`: run SPETS_UPDATE_ASSETS=1 cargo test --test packaging",
            args.join(" ")
        );
    }
}

#[test]
fn the_man_page_and_completions_cover_every_command() {
    let man = String::from_utf8(spets(&["man"])).unwrap();
    let bash = String::from_utf8(spets(&["completions", "bash"])).unwrap();
    for cmd in [
        "serve",
        "demo",
        "check",
        "backup",
        "restore",
        "export",
        "import",
        "report",
        "keymap",
        "completions",
        "man",
    ] {
        assert!(man.contains(cmd), "man page lacks {cmd}");
        assert!(bash.contains(cmd), "bash completion lacks {cmd}");
    }
    assert!(
        man.starts_with(".ie") || man.contains(".TH spets"),
        "{}",
        &man[..80]
    );
    // The same in a Swedish session (the files are English; the command works either way).
    let o = Command::new(env!("CARGO_BIN_EXE_spets"))
        .args(["--lang", "sv", "completions", "fish"])
        .output()
        .unwrap();
    assert!(o.status.success());
}

#[test]
fn the_package_ships_real_files_and_not_the_test_helper() {
    let toml: toml::Table = std::fs::read_to_string(root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let deb = &toml["package"]["metadata"]["deb"];
    let assets = deb["assets"].as_array().unwrap();
    let mut dests = Vec::new();
    for a in assets {
        let a = a.as_array().unwrap();
        let (src, dest) = (a[0].as_str().unwrap(), a[1].as_str().unwrap());
        assert!(!src.contains("test-child"), "{src}");
        if !src.starts_with("target/") {
            assert!(root().join(src).is_file(), "{src} is missing");
        }
        dests.push(dest.to_string());
    }
    for want in [
        "usr/bin/",
        "usr/lib/systemd/system/spets.service",
        "usr/share/man/man1/spets.1",
        "usr/share/bash-completion/completions/spets",
        "usr/share/zsh/vendor-completions/_spets",
        "usr/share/fish/vendor_completions.d/spets.fish",
        "usr/share/spets/keymaps/default.toml",
    ] {
        assert!(dests.iter().any(|d| d == want), "no asset goes to {want}");
    }
    // The maintainer scripts create the group and the user, and never start or enable a daemon.
    let dir = root().join(deb["maintainer-scripts"].as_str().unwrap());
    let postinst = std::fs::read_to_string(dir.join("postinst")).unwrap();
    assert!(postinst.contains("groupadd --system spets"));
    assert!(postinst.contains("useradd --system --gid spets"));
    for script in ["postinst", "prerm", "postrm"] {
        let text = std::fs::read_to_string(dir.join(script)).unwrap();
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        for never in ["systemctl start", "systemctl enable", "systemctl restart"] {
            assert!(!code.contains(never), "{script} runs {never}");
        }
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(script))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "{script} is not executable");
    }
    let unit = std::fs::read_to_string(root().join("packaging/spets.service")).unwrap();
    assert!(unit.contains("ExecStart=/usr/bin/spets serve"));
    assert!(unit.contains("User=spetsd") && unit.contains("Group=spets"));
}
