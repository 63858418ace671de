//! A blocking OVSDB client over one JSON-RPC connection.
//!
//! A background thread owns the read side: it hands each response to the
//! caller waiting for its id, answers the server's `echo` probes (or the
//! server drops us after its inactivity timeout), and forwards
//! notifications to a channel. Requests may be issued from several threads
//! at once. When the connection closes, every waiting and later call fails
//! with [`Error::Disconnected`] and the notification channel disconnects.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::datum::Uuid;
use crate::framing::Framer;
use crate::jsonrpc::{Message, Notification, ProtocolError, Request, Response};
use crate::monitor::{requests_to_json, MonitorRequests, MonitorSinceReply};
use crate::replica::{Replica, ReplicaError, RowChange};
use crate::schema::{DatabaseSchema, SchemaError};
use crate::transaction::Operation;

/// Largest message accepted from the server. Initial monitor replies of a
/// big Southbound run to hundreds of megabytes; the bound only stops a
/// broken peer from exhausting memory.
pub const MAX_MESSAGE_SIZE: usize = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("bad remote {0:?}: expected unix:PATH or tcp:HOST:PORT")]
    BadRemote(String),
    #[error("connecting to {remote}: {source}")]
    Connect {
        remote: String,
        #[source]
        source: io::Error,
    },
    #[error("connection to the database server closed")]
    Disconnected,
    /// Nothing came from the server for the inactivity timeout while a
    /// request waited (or a write was blocked): it accepted the connection
    /// but stopped answering.
    #[error("{method}: the database server sent nothing for {} s", .silent.as_secs())]
    Timeout { method: String, silent: Duration },
    /// The server answered the request with a JSON-RPC error.
    #[error("{method} failed: {error}")]
    Rpc { method: String, error: Value },
    /// An operation failed (`index` is its position), or the commit did
    /// (`index` equals the number of operations: the server's trailing error).
    #[error("transaction failed at operation {index}: {error}: {}", .details.as_deref().unwrap_or("no details"))]
    Transaction {
        index: usize,
        error: String,
        details: Option<String>,
    },
    #[error("unexpected reply to {method}: {source}")]
    Protocol {
        method: &'static str,
        #[source]
        source: ProtocolError,
    },
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error(transparent)]
    Replica(#[from] ReplicaError),
}

enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Stream {
    fn connect(remote: &str) -> Result<Stream, Error> {
        let connect_err = |source| Error::Connect {
            remote: remote.to_owned(),
            source,
        };
        if let Some(path) = remote.strip_prefix("unix:") {
            UnixStream::connect(path)
                .map(Stream::Unix)
                .map_err(connect_err)
        } else if let Some(addr) = remote.strip_prefix("tcp:") {
            let addrs: Vec<_> = addr
                .to_socket_addrs()
                .map_err(|_| Error::BadRemote(remote.to_owned()))?
                .collect();
            let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
            let mut stream = None;
            for a in addrs {
                match TcpStream::connect_timeout(&a, CONNECT_TIMEOUT) {
                    Ok(s) => {
                        stream = Some(s);
                        break;
                    }
                    Err(e) => last = e,
                }
            }
            let s = stream.ok_or(last).map_err(connect_err)?;
            // Requests are small and latency-bound.
            s.set_nodelay(true).map_err(connect_err)?;
            Ok(Stream::Tcp(s))
        } else {
            Err(Error::BadRemote(remote.to_owned()))
        }
    }

    fn set_write_timeout(&self, d: Duration) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.set_write_timeout(Some(d)),
            Stream::Tcp(s) => s.set_write_timeout(Some(d)),
        }
    }

    fn try_clone(&self) -> io::Result<Stream> {
        Ok(match self {
            Stream::Unix(s) => Stream::Unix(s.try_clone()?),
            Stream::Tcp(s) => Stream::Tcp(s.try_clone()?),
        })
    }

    /// Unblocks the reader thread and makes later writes fail.
    fn shutdown(&self) {
        // Already shut down or reset: nothing left to do either way.
        let _ = match self {
            Stream::Unix(s) => s.shutdown(Shutdown::Both),
            Stream::Tcp(s) => s.shutdown(Shutdown::Both),
        };
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.read(buf),
            Stream::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.write(buf),
            Stream::Tcp(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.flush(),
            Stream::Tcp(s) => s.flush(),
        }
    }
}

type Reply = Result<Value, Value>;

/// How long establishing a TCP connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default of [`Client::set_inactivity_timeout`]: long enough for a
/// server busy with a large transaction (ovsdb-server answers nothing,
/// not even `echo`, while it works on one), short enough that a hung server
/// is noticed.
pub const DEFAULT_INACTIVITY_TIMEOUT: Duration = Duration::from_secs(120);

/// Callers waiting for a response, by request id. `closed` is set (under
/// the same lock) when the reader stops, so no caller can start waiting
/// after the last wake-up.
#[derive(Default)]
struct Pending {
    waiting: HashMap<u64, Sender<Reply>>,
    closed: bool,
}

struct Shared {
    writer: Mutex<Stream>,
    /// For shutting the socket down without the writer lock, which a write
    /// blocked on a stalled server may hold.
    control: Stream,
    pending: Mutex<Pending>,
    /// When the reader last received bytes.
    last_heard: Mutex<Instant>,
}

/// Locks, ignoring poisoning: the protected state stays consistent because
/// no code panics while holding these locks.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn send(&self, msg: &Message) -> io::Result<()> {
        let bytes = msg.to_json().to_string();
        let mut w = lock(&self.writer);
        w.write_all(bytes.as_bytes())?;
        w.flush()
    }
}

pub struct Client {
    shared: Arc<Shared>,
    next_id: AtomicU64,
    reader: Option<JoinHandle<()>>,
    inactivity: Duration,
}

impl Client {
    /// Connects to `unix:PATH` or `tcp:HOST:PORT`. The receiver yields the
    /// server's notifications (`update`, `update2`, `update3`, `locked`,
    /// `stolen`, …) in arrival order.
    pub fn connect(remote: &str) -> Result<(Client, Receiver<Notification>), Error> {
        let stream = Stream::connect(remote)?;
        let connect_err = |source| Error::Connect {
            remote: remote.to_owned(),
            source,
        };
        let read_side = stream.try_clone().map_err(connect_err)?;
        let control = stream.try_clone().map_err(connect_err)?;
        stream
            .set_write_timeout(DEFAULT_INACTIVITY_TIMEOUT)
            .map_err(connect_err)?;
        let shared = Arc::new(Shared {
            writer: Mutex::new(stream),
            control,
            pending: Mutex::new(Pending::default()),
            last_heard: Mutex::new(Instant::now()),
        });
        let (tx, rx) = mpsc::channel();
        let reader = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("ovsdb-reader".into())
                .spawn(move || read_loop(&shared, read_side, &tx))
                .map_err(connect_err)?
        };
        Ok((
            Client {
                shared,
                next_id: AtomicU64::new(1),
                reader: Some(reader),
                inactivity: DEFAULT_INACTIVITY_TIMEOUT,
            },
            rx,
        ))
    }

    /// How long a request may wait while the server sends nothing at all
    /// (and how long one write may block) before it fails with
    /// [`Error::Timeout`]. Default: [`DEFAULT_INACTIVITY_TIMEOUT`].
    pub fn set_inactivity_timeout(&mut self, d: Duration) -> Result<(), Error> {
        self.inactivity = d;
        lock(&self.shared.writer)
            .set_write_timeout(d)
            .map_err(|_| Error::Disconnected)
    }

    /// Sends a request and waits for its response, for as long as the
    /// server keeps sending something (see
    /// [`Client::set_inactivity_timeout`]).
    pub fn call(&self, method: &str, params: Vec<Value>) -> Result<Value, Error> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        {
            let mut p = lock(&self.shared.pending);
            if p.closed {
                return Err(Error::Disconnected);
            }
            p.waiting.insert(id, tx);
        }
        let req = Message::Request(Request {
            id: json!(id),
            method: method.to_owned(),
            params,
        });
        let sent_at = Instant::now();
        let timeout = |silent| Error::Timeout {
            method: method.to_owned(),
            silent,
        };
        if let Err(e) = self.shared.send(&req) {
            lock(&self.shared.pending).waiting.remove(&id);
            return Err(match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => timeout(self.inactivity),
                _ => Error::Disconnected,
            });
        }
        let tick = self.inactivity.min(Duration::from_millis(200));
        loop {
            match rx.recv_timeout(tick) {
                Ok(Ok(result)) => return Ok(result),
                Ok(Err(error)) => {
                    return Err(Error::Rpc {
                        method: method.to_owned(),
                        error,
                    })
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return Err(Error::Disconnected),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let heard = (*lock(&self.shared.last_heard)).max(sent_at);
                    let silent = heard.elapsed();
                    if silent >= self.inactivity {
                        lock(&self.shared.pending).waiting.remove(&id);
                        return Err(timeout(silent));
                    }
                }
            }
        }
    }

    pub fn list_dbs(&self) -> Result<Vec<String>, Error> {
        let r = self.call("list_dbs", vec![])?;
        let names = r
            .as_array()
            .and_then(|a| a.iter().map(|n| n.as_str().map(str::to_owned)).collect());
        names.ok_or(protocol("list_dbs", "result is not an array of strings"))
    }

    pub fn get_schema(&self, db: &str) -> Result<DatabaseSchema, Error> {
        Ok(DatabaseSchema::from_json(
            &self.call("get_schema", vec![json!(db)])?,
        )?)
    }

    /// Runs `ops` atomically and returns one result per operation (e.g.
    /// `{"uuid": ...}` for an insert, see
    /// [`inserted_uuid`](crate::transaction::inserted_uuid)). Any failure
    /// is an [`Error::Transaction`].
    pub fn transact(&self, db: &str, ops: Vec<Operation>) -> Result<Vec<Value>, Error> {
        let n = ops.len();
        let mut params = vec![json!(db)];
        params.extend(ops.iter().map(Operation::to_json));
        let Value::Array(mut results) = self.call("transact", params)? else {
            return Err(protocol("transact", "result is not an array"));
        };
        // An operation's failure is reported at its index (later ones are
        // null); a commit failure as one extra element.
        for (index, r) in results.iter().enumerate() {
            if let Some(error) = r.get("error").filter(|e| !e.is_null()) {
                return Err(Error::Transaction {
                    index,
                    error: error
                        .as_str()
                        .map_or_else(|| error.to_string(), str::to_owned),
                    details: r.get("details").and_then(Value::as_str).map(str::to_owned),
                });
            }
        }
        if results.len() < n {
            return Err(protocol("transact", "fewer results than operations"));
        }
        results.truncate(n);
        Ok(results)
    }

    /// RFC 7047 `monitor`: returns the initial `<table-updates>`; changes
    /// follow as `update` notifications.
    pub fn monitor(
        &self,
        db: &str,
        monitor_id: &Value,
        requests: &MonitorRequests,
    ) -> Result<Value, Error> {
        self.call(
            "monitor",
            vec![json!(db), monitor_id.clone(), requests_to_json(requests)],
        )
    }

    /// `monitor_cond`: returns the initial `<table-updates2>`; changes follow
    /// as `update2` notifications.
    pub fn monitor_cond(
        &self,
        db: &str,
        monitor_id: &Value,
        requests: &MonitorRequests,
    ) -> Result<Value, Error> {
        self.call(
            "monitor_cond",
            vec![json!(db), monitor_id.clone(), requests_to_json(requests)],
        )
    }

    /// `monitor_cond_since`: like `monitor_cond`, but only what changed after
    /// `last_txn_id` if the server still has it; changes follow as `update3`
    /// notifications.
    pub fn monitor_cond_since(
        &self,
        db: &str,
        monitor_id: &Value,
        requests: &MonitorRequests,
        last_txn_id: Option<Uuid>,
    ) -> Result<MonitorSinceReply, Error> {
        let txn = last_txn_id.unwrap_or_default().to_string();
        let params = vec![
            json!(db),
            monitor_id.clone(),
            requests_to_json(requests),
            json!(txn),
        ];
        MonitorSinceReply::from_json(self.call("monitor_cond_since", params)?).map_err(|source| {
            Error::Protocol {
                method: "monitor_cond_since",
                source,
            }
        })
    }

    pub fn monitor_cancel(&self, monitor_id: &Value) -> Result<(), Error> {
        self.call("monitor_cancel", vec![monitor_id.clone()])
            .map(drop)
    }

    /// Starts (or, after a reconnect, resumes) monitoring everything
    /// `replica` holds under `monitor_id`, and brings it up to date. Uses
    /// `monitor_cond_since` from the replica's last transaction, falling
    /// back to `monitor_cond` on servers without it. Feed the notifications
    /// that follow to [`Replica::apply_notification`].
    pub fn monitor_replica(
        &self,
        db: &str,
        monitor_id: &Value,
        replica: &mut Replica,
    ) -> Result<Vec<RowChange>, Error> {
        let requests = replica.monitor_requests();
        match self.monitor_cond_since(db, monitor_id, &requests, replica.last_txn_id()) {
            Ok(reply) => Ok(replica.apply_since_reply(&reply)?),
            Err(Error::Rpc { error, .. }) if is_unknown_method(&error) => {
                let initial = self.monitor_cond(db, monitor_id, &requests)?;
                Ok(replica.reset_from_update2(&initial)?)
            }
            Err(e) => Err(e),
        }
    }

    /// A consistent copy of `tables` (all tables if `None`) of `db`, read in
    /// one transaction.
    pub fn snapshot(&self, db: &str, tables: Option<&[&str]>) -> Result<Replica, Error> {
        let schema = self.get_schema(db)?;
        let schema = match tables {
            Some(t) => schema.restrict(t)?,
            None => schema,
        };
        let mut replica = Replica::new(schema);
        let results = self.transact(db, select_all(&replica))?;
        let names: Vec<&String> = replica.schema().tables.keys().collect();
        let selects: Vec<(&str, &Value)> = names.iter().map(|n| n.as_str()).zip(&results).collect();
        let mut loaded = Replica::new(replica.schema().clone());
        loaded.load_from_select(&selects)?;
        replica = loaded;
        Ok(replica)
    }

    /// Re-reads everything `replica` holds in one transaction, returning
    /// what changed.
    pub fn refresh(&self, db: &str, replica: &mut Replica) -> Result<Vec<RowChange>, Error> {
        let tables = &replica.schema().tables;
        let results = self.transact(db, select_all(replica))?;
        let names: Vec<String> = tables.keys().cloned().collect();
        let selects: Vec<(&str, &Value)> = names.iter().map(String::as_str).zip(&results).collect();
        Ok(replica.reset_from_select(&selects)?)
    }

    /// Requests lock `name`; `true` if acquired now, otherwise a `locked`
    /// notification follows when it is.
    pub fn lock(&self, name: &str) -> Result<bool, Error> {
        let r = self.call("lock", vec![json!(name)])?;
        r.get("locked")
            .and_then(Value::as_bool)
            .ok_or(protocol("lock", "no locked member"))
    }

    /// Takes lock `name` from its holder, which gets a `stolen` notification.
    pub fn steal(&self, name: &str) -> Result<(), Error> {
        self.call("steal", vec![json!(name)]).map(drop)
    }

    /// Releases lock `name` or cancels a pending request for it.
    pub fn unlock(&self, name: &str) -> Result<(), Error> {
        self.call("unlock", vec![json!(name)]).map(drop)
    }

    /// A round trip to the server, to check that it is alive.
    pub fn echo(&self) -> Result<(), Error> {
        let r = self.call("echo", vec![json!("northflow")])?;
        if r == json!(["northflow"]) {
            Ok(())
        } else {
            Err(protocol("echo", "reply differs from request"))
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.shared.control.shutdown();
        if let Some(reader) = self.reader.take() {
            // The reader never panics; a join error would carry nothing to act on.
            let _ = reader.join();
        }
    }
}

fn protocol(method: &'static str, what: &'static str) -> Error {
    Error::Protocol {
        method,
        source: ProtocolError(what),
    }
}

/// ovsdb-server answers methods it lacks with the error `"unknown method"`.
fn is_unknown_method(error: &Value) -> bool {
    let text = error.get("error").unwrap_or(error);
    text.as_str() == Some("unknown method")
}

fn read_loop(shared: &Shared, mut stream: Stream, notifications: &Sender<Notification>) {
    let mut framer = Framer::new(MAX_MESSAGE_SIZE);
    let mut buf = vec![0u8; 64 * 1024];
    'read: loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        *lock(&shared.last_heard) = Instant::now();
        framer.push(&buf[..n]);
        loop {
            let msg = match framer.next_message() {
                Ok(Some(v)) => Message::from_json(v),
                Ok(None) => break,
                // The stream cannot be resynchronised: drop the connection.
                Err(_) => break 'read,
            };
            match msg {
                Ok(Message::Response(r)) => {
                    let waiter =
                        r.id.as_u64()
                            .and_then(|id| lock(&shared.pending).waiting.remove(&id));
                    if let Some(w) = waiter {
                        // The caller may have given up; nothing to do then.
                        let _ = w.send(r.result);
                    }
                }
                Ok(Message::Request(req)) => {
                    let result = if req.method == "echo" {
                        Ok(Value::Array(req.params))
                    } else {
                        Err(json!({"error": "unknown method"}))
                    };
                    if shared
                        .send(&Message::Response(Response { id: req.id, result }))
                        .is_err()
                    {
                        break 'read;
                    }
                }
                Ok(Message::Notification(n)) => {
                    // Nobody listening is fine: notifications are optional.
                    let _ = notifications.send(n);
                }
                Err(_) => break 'read,
            }
        }
    }
    let mut p = lock(&shared.pending);
    p.closed = true;
    // Dropping the senders wakes every waiting caller with Disconnected.
    p.waiting.clear();
    drop(p);
    shared.control.shutdown();
}

/// One `select` of every column (and `_uuid`) per table of `replica`.
fn select_all(replica: &Replica) -> Vec<Operation> {
    replica
        .schema()
        .tables
        .iter()
        .map(|(name, t)| {
            let mut columns = vec!["_uuid"];
            columns.extend(t.columns.keys().map(String::as_str));
            Operation::select_columns(name, vec![], &columns)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! Behaviour a real ovsdb-server 3.1 cannot show (it has
    //! `monitor_cond_since` and sends valid JSON), against a scripted peer.
    //! Everything else is tested against the real server in `tests/`.

    use super::*;
    use crate::schema::DatabaseSchema;
    use std::os::unix::net::UnixListener;

    /// Serves one connection, answering each message with the raw bytes
    /// `reply` gives (closing the connection when it gives none).
    fn peer(
        mut reply: impl FnMut(Message) -> Option<Vec<u8>> + Send + 'static,
    ) -> (String, JoinHandle<()>) {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "nf-peer-{}-{}.sock",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path).unwrap();
        let remote = format!("unix:{}", path.display());
        let handle = thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let _ = std::fs::remove_file(&path);
            let mut framer = Framer::new(1 << 20);
            let mut buf = [0u8; 4096];
            loop {
                // The client may hang up first (after garbage, say).
                let n = conn.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    return;
                }
                framer.push(&buf[..n]);
                while let Some(v) = framer.next_message().unwrap() {
                    match reply(Message::from_json(v).unwrap()) {
                        Some(bytes) if conn.write_all(&bytes).is_ok() => {}
                        _ => return,
                    }
                }
            }
        });
        (remote, handle)
    }

    fn response(req: &Request, result: Result<Value, Value>) -> Vec<u8> {
        Message::Response(Response {
            id: req.id.clone(),
            result,
        })
        .to_json()
        .to_string()
        .into_bytes()
    }

    #[test]
    fn monitor_replica_falls_back_to_monitor_cond() {
        let (remote, server) = peer(|msg| {
            let Message::Request(req) = msg else {
                return None;
            };
            Some(match req.method.as_str() {
                "monitor_cond_since" => response(&req, Err(json!("unknown method"))),
                "monitor_cond" => response(
                    &req,
                    Ok(
                        json!({"A": {"00000000-0000-0000-0000-000000000001": {"initial": {"name": "a"}}}}),
                    ),
                ),
                _ => return None,
            })
        });
        let schema = DatabaseSchema::from_json(&json!({
            "name": "T", "tables": {"A": {"columns": {"name": {"type": "string"}}}}
        }))
        .unwrap();
        let mut replica = Replica::new(schema);
        let (client, _rx) = Client::connect(&remote).unwrap();
        let changes = client
            .monitor_replica("T", &json!("m"), &mut replica)
            .unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(replica.last_txn_id(), None);
        drop(client);
        server.join().unwrap();
    }

    #[test]
    fn a_server_that_never_answers_times_out() {
        let (remote, server) = peer(|_| Some(Vec::new()));
        let (mut client, _rx) = Client::connect(&remote).unwrap();
        client
            .set_inactivity_timeout(Duration::from_millis(300))
            .unwrap();
        let t = Instant::now();
        match client.echo() {
            Err(Error::Timeout { method, .. }) => assert_eq!(method, "echo"),
            other => panic!("{other:?}"),
        }
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
        drop(client);
        server.join().unwrap();
    }

    #[test]
    fn garbage_from_the_server_disconnects() {
        let (remote, server) = peer(|_| Some(b"{\"id\":1,\"result\":[]}}garbage".to_vec()));
        let (client, rx) = Client::connect(&remote).unwrap();
        // The well-formed reply before the garbage still arrives.
        assert_eq!(client.list_dbs().unwrap(), Vec::<String>::new());
        assert!(matches!(client.list_dbs(), Err(Error::Disconnected)));
        assert!(rx.recv().is_err());
        drop(client);
        server.join().unwrap();
    }

    #[test]
    fn server_requests_get_replies() {
        // Before answering our echo, the peer asks us something we do not
        // know and sends its own echo; it answers once both replies are in.
        let mut ours = None;
        let mut replies = Vec::new();
        let (remote, server) = peer(move |msg| match msg {
            Message::Request(req) => {
                ours = Some(req);
                let mut out = br#"{"id":"x","method":"frobnicate","params":[]}"#.to_vec();
                out.extend_from_slice(br#"{"id":"e","method":"echo","params":[7]}"#);
                Some(out)
            }
            Message::Response(r) => {
                replies.push(r);
                if replies.len() < 2 {
                    return Some(Vec::new());
                }
                assert_eq!(replies[0].id, json!("x"));
                assert_eq!(replies[0].result, Err(json!({"error": "unknown method"})));
                assert_eq!(
                    replies[1],
                    Response {
                        id: json!("e"),
                        result: Ok(json!([7]))
                    }
                );
                let req = ours.take()?;
                Some(response(&req, Ok(Value::Array(req.params.clone()))))
            }
            Message::Notification(_) => None,
        });
        let (client, _rx) = Client::connect(&remote).unwrap();
        client.echo().unwrap();
        drop(client);
        server.join().unwrap();
    }
}
