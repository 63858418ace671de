//! A per-test directory with its own ovsdb-servers and daemons.
//!
//! Every process is a direct child of the test (no `--detach`), so it is
//! stopped through its `Child` handle and reaped with `wait()`: no pidfile
//! games, no zombies, and nothing is ever killed by name. Every external
//! command runs with a timeout, its stdout/stderr go to files in the sandbox
//! (no pipes that a stray grandchild could hold open), and the directory is
//! removed when the test passes and kept (its path printed) when it fails.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use northflow_ovsdb::reference;
use serde_json::{json, Value};

use super::normalize::Dump;

/// Timeout for short commands (ovn-nbctl, ovsdb-client, ovsdb-tool).
pub const CMD_TIMEOUT: Duration = Duration::from_secs(30);
/// Timeout for a whole case script.
pub const CASE_TIMEOUT: Duration = Duration::from_secs(60);
/// Timeout for `northflow --once`.
pub const NORTHFLOW_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a server may take to create its socket.
const START_TIMEOUT: Duration = Duration::from_secs(10);

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Outcome of one external command.
#[derive(Debug)]
pub struct CmdOutput {
    /// What was run (for messages).
    pub cmdline: String,
    /// `None` when the command timed out and was killed.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl CmdOutput {
    pub fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    pub fn status_text(&self) -> String {
        match self.status {
            None => format!("timed out after {:?}", self.elapsed),
            Some(s) => s.to_string(),
        }
    }

    /// Panics with everything known about the command unless it succeeded.
    pub fn check(self) -> Self {
        if !self.success() {
            panic!(
                "command failed ({}): {}\nstdout:\n{}\nstderr:\n{}",
                self.status_text(),
                self.cmdline,
                self.stdout,
                self.stderr
            );
        }
        self
    }
}

/// One ovsdb-server in the sandbox.
#[derive(Clone, Debug)]
pub struct Db {
    /// Short name, used for file names (`nb`, `sbref`, …).
    pub name: String,
    /// The database name inside the server (`OVN_Northbound`, …).
    pub db_name: String,
    pub sock: PathBuf,
}

impl Db {
    /// The OVSDB remote, `unix:<sock>`.
    pub fn remote(&self) -> String {
        format!("unix:{}", self.sock.display())
    }
}

struct Proc {
    name: String,
    child: Child,
}

/// A temp directory plus the daemons started in it.
pub struct Sandbox {
    dir: PathBuf,
    servers: Vec<Proc>,
    northd: Option<Proc>,
    /// Keep the directory even on success (`NORTHFLOW_KEEP_SANDBOX=1`).
    keep: bool,
}

impl Sandbox {
    /// A fresh, empty directory under `/tmp` (where the chroot sees it).
    /// `label` names it
    /// (shortened: unix socket paths are limited to ~107 bytes).
    pub fn new(label: &str) -> Sandbox {
        let short: String = label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(32)
            .collect();
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = reference::scratch_dir().join(format!("nf-{short}-{}-{n}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).expect("remove stale sandbox");
        }
        fs::create_dir_all(&dir).expect("create sandbox dir");
        Sandbox {
            dir,
            servers: Vec::new(),
            northd: None,
            keep: std::env::var_os("NORTHFLOW_KEEP_SANDBOX").is_some_and(|v| v == "1"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A `Command` running reference OVN/OVS program `name`, with the
    /// sandbox as cwd and run directories.
    pub fn command(&self, name: &str) -> Command {
        self.command_of(reference::program(name))
    }

    /// A `Command` running `program` (a path, or a name looked up in `PATH`
    /// with the reference programs first), in the sandbox.
    fn command_of(&self, program: impl AsRef<OsStr>) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.dir)
            .env("PATH", reference::path_env())
            .env("OVS_RUNDIR", &self.dir)
            .env("OVN_RUNDIR", &self.dir)
            .env("OVS_LOGDIR", &self.dir)
            .env("OVN_LOGDIR", &self.dir)
            .env("OVS_DBDIR", &self.dir)
            .env("OVN_DBDIR", &self.dir)
            .stdin(Stdio::null());
        c
    }

    /// Runs `cmd` to completion (or `timeout`, then kills it). Its output
    /// goes through files in the sandbox, kept there for post-mortems.
    pub fn run(&self, mut cmd: Command, timeout: Duration) -> CmdOutput {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let prog = Path::new(cmd.get_program())
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let out_path = self.dir.join(format!("cmd{n}-{prog}.out"));
        let err_path = self.dir.join(format!("cmd{n}-{prog}.err"));
        let cmdline = describe(&cmd);
        fs::write(self.dir.join(format!("cmd{n}-{prog}.cmd")), &cmdline).ok();
        cmd.stdout(File::create(&out_path).expect("create stdout file"));
        cmd.stderr(File::create(&err_path).expect("create stderr file"));
        let start = Instant::now();
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start {cmdline}: {e}; {}", reference::missing_hint())
        });
        let status = wait_timeout(&mut child, timeout);
        let elapsed = start.elapsed();
        if status.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        CmdOutput {
            cmdline,
            status,
            stdout: fs::read_to_string(&out_path).unwrap_or_default(),
            stderr: fs::read_to_string(&err_path).unwrap_or_default(),
            elapsed,
        }
    }

    /// Creates `<name>.db` from the reference schema file `schema`
    /// (`ovn-nb.ovsschema`, …) and starts an ovsdb-server on `<name>.sock`;
    /// returns once the socket accepts connections.
    pub fn start_db(&mut self, name: &str, schema: &str) -> Db {
        let schema = reference::schema(schema);
        let d = &self.dir;
        let db_file = d.join(format!("{name}.db"));
        let mut c = self.command("ovsdb-tool");
        c.arg("create").arg(&db_file).arg(&schema);
        self.run(c, CMD_TIMEOUT).check();

        let sock = d.join(format!("{name}.sock"));
        let mut c = self.command("ovsdb-server");
        c.arg("--no-chdir")
            .arg(format!(
                "--pidfile={}",
                d.join(format!("{name}.pid")).display()
            ))
            .arg(format!(
                "--log-file={}",
                d.join(format!("{name}.log")).display()
            ))
            .arg(format!(
                "--unixctl={}",
                d.join(format!("{name}.ctl")).display()
            ))
            .arg(format!("--remote=punix:{}", sock.display()))
            .arg(&db_file);
        let child = self.spawn_daemon(name, c);
        self.servers.push(Proc {
            name: name.to_string(),
            child,
        });
        let idx = self.servers.len() - 1;
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if UnixStream::connect(&sock).is_ok() {
                break;
            }
            if let Ok(Some(st)) = self.servers[idx].child.try_wait() {
                panic!(
                    "ovsdb-server {name} exited ({st}) before listening; log:\n{}",
                    self.log_tail(name)
                );
            }
            if Instant::now() > deadline {
                panic!("ovsdb-server {name} did not create {}", sock.display());
            }
            thread::sleep(Duration::from_millis(5));
        }
        let db_name = schema_name(&schema);
        Db {
            name: name.to_string(),
            db_name,
            sock,
        }
    }

    fn spawn_daemon(&self, name: &str, mut c: Command) -> Child {
        let out = File::create(self.dir.join(format!("{name}.stdout"))).expect("stdout file");
        let err = File::create(self.dir.join(format!("{name}.stderr"))).expect("stderr file");
        c.stdout(out).stderr(err);
        let cmdline = describe(&c);
        c.spawn()
            .unwrap_or_else(|e| panic!("cannot start {cmdline}: {e}"))
    }

    /// The end of `<name>.log` and `<name>.stderr`, for failure messages.
    pub fn log_tail(&self, name: &str) -> String {
        let mut s = String::new();
        for ext in ["log", "stderr"] {
            let text =
                fs::read_to_string(self.dir.join(format!("{name}.{ext}"))).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let from = lines.len().saturating_sub(30);
            let _ = writeln!(s, "--- {name}.{ext} ---");
            for l in &lines[from..] {
                let _ = writeln!(s, "{l}");
            }
        }
        s
    }

    /// An `ovn-nbctl --db=<nb>` command (not yet run).
    fn nbctl_cmd(&self, nb: &Db) -> Command {
        let mut c = self.command("ovn-nbctl");
        c.arg(format!("--db={}", nb.remote()));
        c
    }

    /// Runs `ovn-nbctl --db=<nb> <args>`; panics on failure; returns stdout.
    pub fn nbctl<I, S>(&self, nb: &Db, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = self.nbctl_cmd(nb);
        c.args(args);
        self.run(c, CMD_TIMEOUT).check().stdout
    }

    /// Runs a case script with `bash -e`, `$NBCTL` pointing at `nb`.
    pub fn run_case(&self, nb: &Db, script: &Path) {
        let mut c = self.command_of("bash");
        c.arg("-e").arg(script).env(
            "NBCTL",
            format!(
                "{} --db={}",
                reference::program("ovn-nbctl").display(),
                nb.remote()
            ),
        );
        let out = self.run(c, CASE_TIMEOUT);
        if !out.success() {
            panic!(
                "case script {} failed ({}):\nstdout:\n{}\nstderr:\n{}",
                script.display(),
                out.status_text(),
                out.stdout,
                out.stderr
            );
        }
    }

    /// Runs a case's Southbound setup script (`$SBCTL` commands: chassis
    /// and the like, which ovn-controller would create) against `sb`.
    pub fn run_sb_setup(&self, sb: &Db, script: &Path) {
        let mut c = self.command_of("bash");
        c.arg("-e").arg(script).env(
            "SBCTL",
            format!(
                "{} --db={}",
                reference::program("ovn-sbctl").display(),
                sb.remote()
            ),
        );
        let out = self.run(c, CASE_TIMEOUT);
        if !out.success() {
            panic!(
                "SB setup script {} failed ({}):\nstdout:\n{}\nstderr:\n{}",
                script.display(),
                out.status_text(),
                out.stdout,
                out.stderr
            );
        }
    }

    /// Starts the reference `ovn-northd` between `nb` and `sb`.
    pub fn start_northd(&mut self, nb: &Db, sb: &Db) {
        assert!(self.northd.is_none(), "a northd is already running");
        let d = &self.dir;
        let mut c = self.command("ovn-northd");
        c.arg(format!("--ovnnb-db={}", nb.remote()))
            .arg(format!("--ovnsb-db={}", sb.remote()))
            .arg("--no-chdir")
            .arg(format!("--pidfile={}", d.join("northd.pid").display()))
            .arg(format!("--log-file={}", d.join("northd.log").display()))
            .arg(format!("--unixctl={}", d.join("northd.ctl").display()));
        let child = self.spawn_daemon("northd", c);
        self.northd = Some(Proc {
            name: "northd".into(),
            child,
        });
    }

    /// `ovn-nbctl --timeout=30 --wait=sb sync`: bumps `nb_cfg` and returns
    /// once the Southbound writer has caught up.
    pub fn wait_sync(&mut self, nb: &Db) {
        let mut c = self.nbctl_cmd(nb);
        c.args(["--timeout=30", "--wait=sb", "sync"]);
        let out = self.run(c, CMD_TIMEOUT + Duration::from_secs(5));
        if !out.success() {
            let mut msg = format!(
                "`ovn-nbctl --wait=sb sync` failed ({}): {}\n",
                out.status_text(),
                out.stderr
            );
            if let Some(p) = &mut self.northd {
                if let Ok(Some(st)) = p.child.try_wait() {
                    let _ = writeln!(msg, "northd exited: {st}");
                }
                msg.push_str(&self.log_tail("northd"));
            }
            panic!("{msg}");
        }
    }

    /// Stops the reference northd (`exit` over its control socket, then
    /// SIGKILL through the child handle if it lingers) and reaps it.
    pub fn stop_northd(&mut self) {
        let Some(mut p) = self.northd.take() else {
            return;
        };
        if let Ok(Some(st)) = p.child.try_wait() {
            panic!(
                "ovn-northd exited early ({st}):\n{}",
                self.log_tail(&p.name)
            );
        }
        let mut c = self.command("ovn-appctl");
        c.arg("-t").arg(self.dir.join("northd.ctl")).arg("exit");
        let _ = self.run(c, Duration::from_secs(5));
        if wait_timeout(&mut p.child, Duration::from_secs(5)).is_none() {
            let _ = p.child.kill();
            let _ = p.child.wait();
        }
    }

    /// Runs `northflow --ovnnb-db=… --ovnsb-db=… --once`.
    pub fn run_northflow(&self, bin: &Path, nb: &Db, sb: &Db) -> CmdOutput {
        let mut c = self.command_of(bin);
        c.arg(format!("--ovnnb-db={}", nb.remote()))
            .arg(format!("--ovnsb-db={}", sb.remote()))
            .arg("--once")
            .env("RUST_BACKTRACE", "1");
        self.run(c, NORTHFLOW_TIMEOUT)
    }

    /// `ovsdb-client -f json dump` of a whole database (read-only: unlike
    /// ovn-sbctl it never inserts an SB_Global row).
    pub fn dump(&self, db: &Db) -> Dump {
        let mut c = self.command("ovsdb-client");
        c.args(["-f", "json", "dump"])
            .arg(db.remote())
            .arg(&db.db_name);
        let out = self.run(c, CMD_TIMEOUT).check();
        Dump::parse(&out.stdout).unwrap_or_else(|e| panic!("bad dump of {}: {e}", db.name))
    }

    /// `ovsdb-client transact` of `ops` (the operations, without the
    /// database name). Panics if the transaction fails; returns the results.
    pub fn transact(&self, db: &Db, ops: &[Value]) -> Vec<Value> {
        match self.try_transact(db, ops) {
            Ok(r) => r,
            Err(e) => panic!("transaction on {} failed: {e}", db.name),
        }
    }

    /// Like [`Sandbox::transact`] but returns the error text instead of
    /// panicking (ovsdb-client exits 0 even when an operation fails).
    pub fn try_transact(&self, db: &Db, ops: &[Value]) -> Result<Vec<Value>, String> {
        let mut params = vec![json!(db.db_name)];
        params.extend(ops.iter().cloned());
        let mut c = self.command("ovsdb-client");
        c.arg("transact")
            .arg(db.remote())
            .arg(Value::Array(params).to_string());
        let out = self.run(c, CMD_TIMEOUT);
        if !out.success() {
            return Err(format!("{}: {}", out.status_text(), out.stderr));
        }
        let results: Vec<Value> = serde_json::from_str(out.stdout.trim())
            .map_err(|e| format!("unparsable result {:?}: {e}", out.stdout))?;
        if results.iter().any(|r| r.get("error").is_some()) || results.len() < ops.len() {
            return Err(Value::Array(results).to_string());
        }
        Ok(results)
    }

    /// Undoes what a northd run wrote to the NB: every column of every row
    /// that differs between `before` and `after` is set back to its value in
    /// `before`, except NB_Global `options:mac_prefix` / `svc_monitor_mac`
    /// (random, generated once and reused by whoever runs next) and, unless
    /// `reset_nb_cfg`, `NB_Global.nb_cfg` (bumped by `--wait=sb sync`: the
    /// input of the next run). Returns a summary of what was reset.
    /// Panics if northd inserted or deleted NB rows.
    pub fn undo_nb_writeback(
        &self,
        nb: &Db,
        before: &Dump,
        after: &Dump,
        reset_nb_cfg: bool,
    ) -> String {
        let (ops, summary) = writeback_undo_ops(before, after, reset_nb_cfg);
        if !ops.is_empty() {
            self.transact(nb, &ops);
        }
        summary
    }
}

/// The operations for [`Sandbox::undo_nb_writeback`] and their summary.
pub fn writeback_undo_ops(before: &Dump, after: &Dump, reset_nb_cfg: bool) -> (Vec<Value>, String) {
    const KEEP_OPTIONS: [&str; 3] = ["mac_prefix", "svc_monitor_mac", "svc_monitor_mac_dst"];
    let mut ops = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (tname, t_after) in &after.tables {
        let empty = Default::default();
        let t_before = before.tables.get(tname).unwrap_or(&empty);
        let before_rows = t_before.rows_by_uuid();
        let after_rows = t_after.rows_by_uuid();
        for uuid in before_rows.keys() {
            assert!(
                after_rows.contains_key(uuid),
                "northd deleted NB row {tname} {uuid}"
            );
        }
        for (uuid, row_a) in &after_rows {
            let Some(row_b) = before_rows.get(uuid) else {
                panic!("northd inserted NB row {tname} {uuid}");
            };
            let mut set = serde_json::Map::new();
            for (col, va) in row_a.iter() {
                if col == "_uuid" || col == "_version" {
                    continue;
                }
                if tname == "NB_Global" && col == "nb_cfg" && !reset_nb_cfg {
                    continue;
                }
                let vb = row_b.get(col).cloned().unwrap_or(Value::Null);
                if *va == vb {
                    continue;
                }
                let restored = if tname == "NB_Global" && col == "options" {
                    let mut m = map_entries(&vb);
                    for (k, v) in map_entries(va) {
                        if KEEP_OPTIONS.contains(&k.as_str().unwrap_or("")) {
                            m.retain(|(k2, _)| *k2 != k);
                            m.push((k, v));
                        }
                    }
                    let restored = json!([
                        "map",
                        m.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>()
                    ]);
                    if map_entries(&restored) == map_entries(va) {
                        continue;
                    }
                    restored
                } else {
                    vb
                };
                *counts.entry(format!("{tname}.{col}")).or_default() += 1;
                set.insert(col.clone(), restored);
            }
            if !set.is_empty() {
                ops.push(json!({
                    "op": "update",
                    "table": tname,
                    "where": [["_uuid", "==", ["uuid", uuid]]],
                    "row": set,
                }));
            }
        }
    }
    let summary = if counts.is_empty() {
        "nothing".to_string()
    } else {
        counts
            .iter()
            .map(|(k, n)| format!("{k} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    (ops, summary)
}

/// The `[key, value]` pairs of an OVSDB JSON map datum (empty otherwise).
fn map_entries(v: &Value) -> Vec<(Value, Value)> {
    match v.as_array().map(|a| a.as_slice()) {
        Some([tag, Value::Array(pairs)]) if tag == "map" => pairs
            .iter()
            .filter_map(|p| match p.as_array().map(|a| a.as_slice()) {
                Some([k, v]) => Some((k.clone(), v.clone())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let procs = self.northd.take().into_iter().chain(self.servers.drain(..));
        for mut p in procs {
            let _ = p.child.kill();
            let _ = p.child.wait();
        }
        if thread::panicking() || self.keep {
            eprintln!("sandbox kept at {}", self.dir.display());
        } else {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Polls `child` until it exits or `timeout` passes (`None`).
fn wait_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(st)) => return Some(st),
            Ok(None) => {}
            Err(e) => panic!("waiting for child: {e}"),
        }
        if Instant::now() >= deadline {
            return None;
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// A shell-like rendering of a command, for messages.
fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        let a = a.to_string_lossy();
        if a.chars()
            .any(|ch| ch.is_whitespace() || "\"'$\\".contains(ch))
            || a.is_empty()
        {
            s.push('\'');
            s.push_str(&a.replace('\'', "'\\''"));
            s.push('\'');
        } else {
            s.push_str(&a);
        }
    }
    s
}

/// The database name declared in an `.ovsschema` file.
fn schema_name(schema: &Path) -> String {
    let shown = schema.display();
    let text = fs::read_to_string(schema)
        .unwrap_or_else(|e| panic!("read {shown}: {e}; {}", reference::missing_hint()));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {shown}: {e}"));
    v["name"]
        .as_str()
        .unwrap_or_else(|| panic!("{shown} has no name"))
        .to_string()
}
