//! A temp dir of real servers and daemons (the reference OVN's), each a
//! child process, and commands run to completion in it, timed and measured.

use std::fs::{self, File};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use northflow_ovsdb::reference;

use super::report::vm_hwm_kb;
use super::R;

const TIME: &str = "/usr/bin/time";
pub const SHORT: Duration = Duration::from_secs(60);

/// What one measured command did.
pub struct Run {
    pub status: Option<ExitStatus>,
    pub elapsed: Duration,
    pub stdout: String,
    pub stderr: String,
    /// Peak RSS: from `/usr/bin/time -v` when wrapped, else polled.
    pub hwm_kb: Option<u64>,
}

/// A temp dir with the servers and daemons started in it, all children of
/// this process; dropping it kills them (by handle) and removes the dir.
pub struct Sandbox {
    pub dir: PathBuf,
    children: Vec<(String, Child)>,
    keep: bool,
}

impl Sandbox {
    pub fn new() -> R<Sandbox> {
        let dir = reference::scratch_dir().join(format!("nf-bench-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| e.to_string())?;
        }
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Sandbox {
            dir,
            children: Vec::new(),
            keep: std::env::var_os("NORTHFLOW_KEEP_BENCH").is_some_and(|v| v == "1"),
        })
    }

    /// `program` run in the sandbox; names resolve to the reference OVN/OVS
    /// programs first (`Command` searches the `PATH` it is given).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.dir)
            .stdin(Stdio::null())
            .env("PATH", reference::path_env())
            .env("OVS_RUNDIR", &self.dir)
            .env("OVN_RUNDIR", &self.dir)
            .env("OVS_LOGDIR", &self.dir)
            .env("OVN_LOGDIR", &self.dir)
            .env("OVS_DBDIR", &self.dir)
            .env("OVN_DBDIR", &self.dir);
        c
    }

    pub fn spawn_daemon(&mut self, name: &str, mut c: Command) -> R<()> {
        let file = |ext: &str| {
            File::create(self.dir.join(format!("{name}.{ext}"))).map_err(|e| e.to_string())
        };
        c.stdout(file("stdout")?).stderr(file("stderr")?);
        let child = c
            .spawn()
            .map_err(|e| format!("cannot start {:?}: {e}", c.get_program()))?;
        self.children.push((name.to_owned(), child));
        Ok(())
    }

    /// Creates `<name>.db` and serves it on `<name>.sock`; returns the
    /// remote once the socket accepts connections.
    pub fn start_db(&mut self, name: &str, schema: &str) -> R<String> {
        let path = |ext: &str| self.dir.join(format!("{name}.{ext}"));
        let (db, sock) = (path("db"), path("sock"));
        let mut c = self.command("ovsdb-tool");
        c.arg("create").arg(&db).arg(reference::schema(schema));
        let r = self.run_measured(&format!("{name}-create"), c, SHORT)?;
        if !r.status.is_some_and(|s| s.success()) {
            return Err(format!("ovsdb-tool create {name}: {}", r.stderr));
        }
        let mut c = self.command("ovsdb-server");
        c.arg("--no-chdir")
            .arg(format!("--pidfile={}", path("pid").display()))
            .arg(format!("--log-file={}", path("log").display()))
            .arg(format!("--unixctl={}", path("ctl").display()))
            .arg(format!("--remote=punix:{}", sock.display()))
            .arg(&db);
        self.spawn_daemon(name, c)?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while UnixStream::connect(&sock).is_err() {
            if Instant::now() > deadline {
                return Err(format!("ovsdb-server {name} did not listen"));
            }
            thread::sleep(Duration::from_millis(5));
        }
        Ok(format!("unix:{}", sock.display()))
    }

    fn pid(&self, name: &str) -> Option<u32> {
        self.children
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.id())
    }

    /// VmHWM of a running daemon.
    pub fn server_hwm(&self, name: &str) -> Option<u64> {
        vm_hwm_kb(&PathBuf::from(format!("/proc/{}/status", self.pid(name)?)))
    }

    pub fn stop(&mut self, name: &str) {
        if let Some(i) = self.children.iter().position(|(n, _)| n == name) {
            let (_, mut child) = self.children.remove(i);
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Runs `cmd` to completion (killed after `timeout`), timing it and
    /// measuring its peak RSS; output goes through files in the sandbox.
    pub fn run_measured(&self, label: &str, cmd: Command, timeout: Duration) -> R<Run> {
        let out = self.dir.join(format!("{label}.out"));
        let err = self.dir.join(format!("{label}.err"));
        let rusage = self.dir.join(format!("{label}.time"));
        let timed = Path::new(TIME).is_file();
        let mut c = if timed {
            let mut c = self.command(TIME);
            c.arg("-v").arg("-o").arg(&rusage).arg(cmd.get_program());
            c.args(cmd.get_args());
            for (k, v) in cmd.get_envs() {
                match v {
                    Some(v) => c.env(k, v),
                    None => c.env_remove(k),
                };
            }
            c
        } else {
            cmd
        };
        let create = |p: &Path| File::create(p).map_err(|e| format!("{}: {e}", p.display()));
        c.stdout(create(&out)?).stderr(create(&err)?);
        let start = Instant::now();
        let mut child = c
            .spawn()
            .map_err(|e| format!("cannot start {:?}: {e}", c.get_program()))?;
        let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
        let mut polled = None;
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) => {}
                Err(e) => return Err(e.to_string()),
            }
            if start.elapsed() > timeout {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            if !timed {
                polled = vm_hwm_kb(&status_path).or(polled);
            }
            thread::sleep(Duration::from_millis(1));
        };
        let elapsed = start.elapsed();
        let hwm_kb = if timed {
            fs::read_to_string(&rusage).ok().and_then(|t| {
                t.lines()
                    .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
                    .and_then(|v| v.trim().parse().ok())
            })
        } else {
            polled
        };
        Ok(Run {
            status,
            elapsed,
            stdout: fs::read_to_string(&out).unwrap_or_default(),
            stderr: fs::read_to_string(&err).unwrap_or_default(),
            hwm_kb,
        })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        if self.keep {
            let exe = std::env::current_exe().unwrap_or_default();
            let name = exe.file_stem().unwrap_or_default().to_string_lossy();
            eprintln!("{name}: kept {}", self.dir.display());
        } else {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
