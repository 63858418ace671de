//! Where the reference OVN 26.03.1 / Open vSwitch 4.0.0 programs and schemas
//! live: the oracle `scripts/oracle` installs in a chroot, with one wrapper
//! per program. Tests, examples and the row generator take every OVN/OVS
//! program and schema from here, never from `PATH` or `/usr/share/ovn`, so
//! that another installed version (Debian 12's 23.03) is never picked up.

use std::ffi::OsString;
use std::path::PathBuf;

/// The oracle's directory: `$NORTHFLOW_ORACLE`, else `/opt/northflow-oracle`
/// (the default of `scripts/oracle`).
pub fn dir() -> PathBuf {
    std::env::var_os("NORTHFLOW_ORACLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/northflow-oracle"))
}

/// The wrapper that runs OVN/OVS program `name` (`ovsdb-server`,
/// `ovn-northd`, …) of the reference release.
pub fn program(name: &str) -> PathBuf {
    dir().join("bin").join(name)
}

/// A schema file of the reference release (`ovn-nb.ovsschema`,
/// `ovn-sb.ovsschema`). The same path resolves inside the chroot, so it can
/// be handed to the wrapped `ovsdb-tool`.
pub fn schema(file: &str) -> PathBuf {
    dir().join("share").join(file)
}

/// Where to put the files (databases, sockets, logs) of reference programs:
/// `/tmp`, the only host directory the chroot sees at the same path
/// (whatever `$TMPDIR` says).
pub fn scratch_dir() -> PathBuf {
    PathBuf::from("/tmp")
}

/// `PATH` with the reference programs first, for scripts that call them by
/// name.
pub fn path_env() -> OsString {
    let mut paths = vec![dir().join("bin")];
    if let Some(p) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

/// A one-line hint for when a reference program cannot be started.
pub fn missing_hint() -> String {
    format!(
        "the reference OVN 26.03.1 is not installed in {} (run scripts/oracle)",
        dir().display()
    )
}
