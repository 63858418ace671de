//! The client against a real `ovsdb-server` serving the OVN Northbound
//! schema. Every test starts its own server in a fresh directory.

use std::fs;
use std::io::Read;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use northflow_ovsdb::reference;
use northflow_ovsdb::transaction::{inserted_uuid, selected_rows};
use northflow_ovsdb::{
    Atom, Client, Condition, Datum, Error, Function, Mutation, Mutator, Notification, Operation,
    Replica, Row, RowChange, Uuid, WaitUntil,
};
use serde_json::{json, Value};

const NB: &str = "OVN_Northbound";
/// The reference NB schema (`scripts/oracle` installs it).
fn nb_schema() -> PathBuf {
    reference::schema("ovn-nb.ovsschema")
}

/// An `ovsdb-server` child process, killed (and its directory removed) on
/// drop.
struct Server {
    dir: PathBuf,
    child: Option<Child>,
}

impl Server {
    fn start() -> Server {
        Server::start_with(false, &[])
    }

    /// `clustered`: a one-server Raft database, which (unlike a standalone
    /// one) keeps the transaction history `monitor_cond_since` resumes from.
    fn start_with(clustered: bool, extra_args: &[&str]) -> Server {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = reference::scratch_dir().join(format!(
            "nf-ovsdb-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let db = dir.join("nb.db");
        let mut create = Command::new(reference::program("ovsdb-tool"));
        if clustered {
            create
                .arg("create-cluster")
                .arg(&db)
                .arg(nb_schema())
                .arg(format!("unix:{}", dir.join("raft.sock").display()));
        } else {
            create.arg("create").arg(&db).arg(nb_schema());
        }
        let out = create
            .output()
            .unwrap_or_else(|e| panic!("ovsdb-tool: {e}; {}", reference::missing_hint()));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let d = dir.display();
        let child = Command::new(reference::program("ovsdb-server"))
            .arg("--no-chdir")
            .arg(format!("--pidfile={d}/x.pid"))
            .arg(format!("--log-file={d}/x.log"))
            .arg(format!("--unixctl={d}/x.ctl"))
            .arg(format!("--remote=punix:{d}/x.sock"))
            .args(extra_args)
            .arg(&db)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ovsdb-server");
        let server = Server {
            dir,
            child: Some(child),
        };
        wait_for_socket(&server.path("x.sock"));
        server
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn remote(&self) -> String {
        format!("unix:{}", self.path("x.sock").display())
    }

    fn client(&self) -> (Client, Receiver<Notification>) {
        Client::connect(&self.remote()).unwrap()
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn wait_for_socket(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while UnixStream::connect(path).is_err() {
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        thread::sleep(Duration::from_millis(20));
    }
}

fn row<const N: usize>(pairs: [(&str, Datum); N]) -> Row {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn strs(items: &[&str]) -> Datum {
    Datum::set(items.iter().map(|&s| Atom::from(s)))
}

fn map(pairs: &[(&str, &str)]) -> Datum {
    Datum::map(pairs.iter().map(|&(k, v)| (Atom::from(k), Atom::from(v))))
}

fn named(n: &str) -> Datum {
    Datum::scalar(Atom::NamedUuid(n.to_owned()))
}

fn select_one(c: &Client, table: &str, cond: Condition) -> Row {
    let r = c
        .transact(NB, vec![Operation::select(table, vec![cond])])
        .unwrap();
    let mut rows = selected_rows(&r[0]).unwrap();
    assert_eq!(rows.len(), 1, "{r:?}");
    rows.pop().unwrap()
}

/// Applies every notification already received for `id`.
fn drain(replica: &mut Replica, id: &Value, rx: &Receiver<Notification>) -> Vec<RowChange> {
    let mut changes = Vec::new();
    while let Ok(n) = rx.try_recv() {
        if let Some(c) = replica.apply_notification(id, &n).unwrap() {
            changes.extend(c);
        }
    }
    changes
}

#[test]
fn list_dbs_and_get_schema() {
    let server = Server::start();
    let (c, _rx) = server.client();
    let dbs = c.list_dbs().unwrap();
    assert!(
        dbs.contains(&NB.to_owned()) && dbs.contains(&"_Server".to_owned()),
        "{dbs:?}"
    );
    let schema = c.get_schema(NB).unwrap();
    let file = northflow_ovsdb::DatabaseSchema::from_file(nb_schema()).unwrap();
    assert_eq!(schema, file);
    assert_eq!(schema.version, "7.18.0");
    match c.get_schema("nope") {
        Err(Error::Rpc { method, error }) => {
            assert_eq!(method, "get_schema");
            assert_eq!(error["error"], "unknown database");
        }
        other => panic!("{other:?}"),
    }
    c.echo().unwrap();
}

#[test]
fn transact_operations() {
    let server = Server::start();
    let (c, _rx) = server.client();
    let r = c
        .transact(
            NB,
            vec![
                Operation::comment("northflow test"),
                Operation::insert_named("Logical_Switch_Port", "p1", row([("name", "p1".into())])),
                Operation::insert_named(
                    "Logical_Switch_Port",
                    "p2",
                    row([
                        ("name", "p2".into()),
                        ("addresses", strs(&["00:00:00:00:00:02 10.0.0.2"])),
                    ]),
                ),
                Operation::insert(
                    "Logical_Switch",
                    row([
                        ("name", "sw0".into()),
                        (
                            "ports",
                            Datum::set([
                                Atom::NamedUuid("p1".into()),
                                Atom::NamedUuid("p2".into()),
                            ]),
                        ),
                    ]),
                ),
                Operation::insert("NB_Global", row([("nb_cfg", 5.into())])),
            ],
        )
        .unwrap();
    assert_eq!(r.len(), 5);
    assert_eq!(r[0], json!({}));
    let (p1, p2, sw) = (
        inserted_uuid(&r[1]).unwrap(),
        inserted_uuid(&r[2]).unwrap(),
        inserted_uuid(&r[3]).unwrap(),
    );

    // The named-uuid references resolved to the inserted rows.
    let ls = c
        .transact(
            NB,
            vec![Operation::select_columns(
                "Logical_Switch",
                vec![],
                &["_uuid", "ports"],
            )],
        )
        .unwrap();
    let rows = selected_rows(&ls[0]).unwrap();
    assert_eq!(
        rows,
        vec![row([
            ("_uuid", sw.into()),
            ("ports", Datum::set([p1.into(), p2.into()]))
        ])]
    );

    let r = c
        .transact(
            NB,
            vec![
                Operation::update(
                    "Logical_Switch_Port",
                    vec![Condition::uuid(p1)],
                    row([("enabled", false.into()), ("options", map(&[("a", "1")]))]),
                ),
                Operation::mutate(
                    "Logical_Switch_Port",
                    vec![Condition::eq("name", "p2")],
                    vec![
                        Mutation::new("addresses", Mutator::Insert, strs(&["router", "unknown"])),
                        Mutation::new(
                            "addresses",
                            Mutator::Delete,
                            strs(&["00:00:00:00:00:02 10.0.0.2"]),
                        ),
                        Mutation::new(
                            "external_ids",
                            Mutator::Insert,
                            map(&[("k1", "v1"), ("k2", "v2")]),
                        ),
                    ],
                ),
                Operation::mutate(
                    "NB_Global",
                    vec![],
                    vec![Mutation::new("nb_cfg", Mutator::Add, 2)],
                ),
                // Map delete by key (a set of keys) and by pair.
                Operation::mutate(
                    "Logical_Switch_Port",
                    vec![Condition::new(
                        "external_ids",
                        Function::Includes,
                        map(&[("k1", "v1")]),
                    )],
                    vec![
                        Mutation::new("external_ids", Mutator::Delete, strs(&["k1"])),
                        Mutation::new("external_ids", Mutator::Delete, map(&[("k2", "other")])),
                    ],
                ),
                Operation::Wait {
                    table: "Logical_Switch".into(),
                    conditions: vec![Condition::uuid(sw)],
                    columns: vec!["name".into()],
                    until: WaitUntil::Equal,
                    rows: vec![row([("name", "sw0".into())])],
                    timeout_ms: Some(0),
                },
            ],
        )
        .unwrap();
    assert_eq!(
        r[..4],
        [
            json!({"count": 1}),
            json!({"count": 1}),
            json!({"count": 1}),
            json!({"count": 1})
        ]
    );
    assert_eq!(r[4], json!({}));

    let p1row = select_one(&c, "Logical_Switch_Port", Condition::uuid(p1));
    assert_eq!(p1row["enabled"], false.into());
    assert_eq!(p1row["options"], map(&[("a", "1")]));
    let p2row = select_one(&c, "Logical_Switch_Port", Condition::eq("name", "p2"));
    assert_eq!(p2row["addresses"], strs(&["router", "unknown"]));
    assert_eq!(p2row["external_ids"], map(&[("k2", "v2")]));
    assert_eq!(
        select_one(&c, "NB_Global", Condition::new("nb_cfg", Function::Gt, 0))["nb_cfg"],
        7.into()
    );

    // Deleting the switch garbage-collects its (non-root) ports.
    let r = c
        .transact(
            NB,
            vec![Operation::delete(
                "Logical_Switch",
                vec![Condition::eq("name", "sw0")],
            )],
        )
        .unwrap();
    assert_eq!(r, vec![json!({"count": 1})]);
    let r = c
        .transact(NB, vec![Operation::select("Logical_Switch_Port", vec![])])
        .unwrap();
    assert_eq!(r, vec![json!({"rows": []})]);
}

#[test]
fn failing_transactions_are_typed_errors() {
    let server = Server::start();
    let (c, _rx) = server.client();
    // An operation fails: its index.
    let err = c
        .transact(
            NB,
            vec![
                Operation::comment("x"),
                Operation::Wait {
                    table: "Logical_Switch".into(),
                    conditions: vec![],
                    columns: vec!["name".into()],
                    until: WaitUntil::Equal,
                    rows: vec![row([("name", "absent".into())])],
                    timeout_ms: Some(0),
                },
                Operation::insert("Logical_Switch", row([("name", "never".into())])),
            ],
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transaction { index: 1, error, .. } if error == "timed out"),
        "{err}"
    );

    // The commit fails: the index past the last operation.
    let dangling = Uuid::parse("11111111-2222-3333-4444-555555555555").unwrap();
    let err = c
        .transact(
            NB,
            vec![Operation::insert(
                "Logical_Switch",
                row([("name", "bad".into()), ("ports", dangling.into())]),
            )],
        )
        .unwrap_err();
    match &err {
        Error::Transaction {
            index: 1,
            error,
            details: Some(d),
        } => {
            assert_eq!(error, "referential integrity violation");
            assert!(d.contains(&dangling.to_string()), "{d}");
        }
        _ => panic!("{err}"),
    }
    // Two ports with the same name violate the index.
    let port =
        |n: &str| Operation::insert_named("Logical_Switch_Port", n, row([("name", "dup".into())]));
    let err = c
        .transact(
            NB,
            vec![
                port("a"),
                port("b"),
                Operation::insert(
                    "Logical_Switch",
                    row([("name", "s".into()), ("ports", named("a"))]),
                ),
                Operation::insert(
                    "Logical_Switch",
                    row([("name", "t".into()), ("ports", named("b"))]),
                ),
            ],
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transaction { index: 4, error, .. } if error == "constraint violation"),
        "{err}"
    );
    // A value the schema rejects.
    let err = c
        .transact(
            NB,
            vec![Operation::insert(
                "ACL",
                row([("direction", "sideways".into())]),
            )],
        )
        .unwrap_err();
    assert!(matches!(&err, Error::Transaction { index: 0, .. }), "{err}");
    // Nothing was committed.
    let r = c
        .transact(NB, vec![Operation::select("Logical_Switch", vec![])])
        .unwrap();
    assert_eq!(r, vec![json!({"rows": []})]);
    // A request-level error is not a transaction error.
    assert!(matches!(c.transact("nope", vec![]), Err(Error::Rpc { .. })));
}

/// A tricky string for every place strings go.
const NASTY: &str = "q\"uote \\back\\\\slash \\\" }{][ \n\t\u{1} é 日本語 🦀";

/// Transactions exercising every kind of update2 change; returns after each
/// one so the caller can compare its replica with the server.
fn scenario() -> Vec<Vec<Operation>> {
    let lsp = |uuid_name: &str, name: &str| {
        Operation::insert_named(
            "Logical_Switch_Port",
            uuid_name,
            row([
                ("name", name.into()),
                ("addresses", strs(&["00:00:00:00:00:01"])),
            ]),
        )
    };
    let ls = || vec![Condition::eq("name", "sw0")];
    let p1 = || vec![Condition::eq("name", "p1")];
    vec![
        vec![
            lsp("p1", "p1"),
            lsp("p2", "p2"),
            Operation::insert_named(
                "ACL",
                "acl",
                row([
                    ("priority", 1001.into()),
                    ("direction", "to-lport".into()),
                    ("match", "ip4.src == $as && tcp".into()),
                    ("action", "allow-related".into()),
                ]),
            ),
            Operation::insert(
                "Logical_Switch",
                row([
                    ("name", "sw0".into()),
                    (
                        "ports",
                        Datum::set([Atom::NamedUuid("p1".into()), Atom::NamedUuid("p2".into())]),
                    ),
                    ("acls", named("acl")),
                    ("external_ids", map(&[("a", "1"), ("b", "2")])),
                ]),
            ),
            Operation::insert(
                "Address_Set",
                row([("name", "as".into()), ("addresses", strs(&["10.0.0.1"]))]),
            ),
        ],
        // Sets: add and remove elements in one transaction; maps: add a key,
        // remove a key, replace a value.
        vec![
            lsp("p3", "p3"),
            Operation::mutate(
                "Logical_Switch",
                ls(),
                vec![
                    Mutation::new("ports", Mutator::Insert, named("p3")),
                    Mutation::new("external_ids", Mutator::Insert, map(&[("c", "3")])),
                    Mutation::new("external_ids", Mutator::Delete, strs(&["a"])),
                ],
            ),
            Operation::mutate(
                "Address_Set",
                vec![Condition::eq("name", "as")],
                vec![Mutation::new(
                    "addresses",
                    Mutator::Insert,
                    strs(&["10.0.0.2", "10.0.0.3"]),
                )],
            ),
        ],
        vec![
            Operation::update(
                "Logical_Switch",
                ls(),
                row([("external_ids", map(&[("b", "20"), ("c", "3")]))]),
            ),
            Operation::mutate(
                "Address_Set",
                vec![Condition::eq("name", "as")],
                vec![
                    Mutation::new("addresses", Mutator::Delete, strs(&["10.0.0.1"])),
                    Mutation::new("addresses", Mutator::Insert, strs(&["10.0.0.9"])),
                ],
            ),
            // Optional columns: set, then (next step) clear.
            Operation::update(
                "Logical_Switch_Port",
                p1(),
                row([("enabled", true.into()), ("tag_request", 7.into())]),
            ),
        ],
        vec![
            Operation::update(
                "Logical_Switch_Port",
                p1(),
                row([("enabled", Datum::empty()), ("tag_request", 8.into())]),
            ),
            Operation::update(
                "Logical_Switch",
                ls(),
                row([
                    ("name", NASTY.into()),
                    ("other_config", map(&[(NASTY, NASTY)])),
                ]),
            ),
        ],
        // Replacing the ports (a set diff that removes and adds); the
        // ports no longer referenced are garbage-collected.
        vec![
            lsp("p4", "p4"),
            Operation::update(
                "Logical_Switch",
                vec![Condition::eq("name", NASTY)],
                row([("ports", named("p4"))]),
            ),
        ],
        vec![
            Operation::delete("Address_Set", vec![]),
            Operation::insert("NB_Global", Row::new()),
        ],
        vec![Operation::delete("Logical_Switch", vec![])],
    ]
}

#[test]
fn monitor_cond_replica_tracks_server() {
    let server = Server::start();
    let (c, rx) = server.client();
    let (checker, _) = server.client();
    let mut replica = Replica::new(c.get_schema(NB).unwrap());
    let id = json!(["nb", 1]);
    let initial = c
        .monitor_cond(NB, &id, &replica.monitor_requests())
        .unwrap();
    assert!(replica.apply_update2(&initial).unwrap().is_empty());
    let mut saw_update2 = false;
    for (i, ops) in scenario().into_iter().enumerate() {
        c.transact(NB, ops).unwrap();
        // ovsdb-server sends a client's updates before its transact reply.
        while let Ok(n) = rx.try_recv() {
            saw_update2 |= n.method == "update2";
            replica.apply_notification(&id, &n).unwrap();
        }
        assert_eq!(
            replica.tables(),
            checker.snapshot(NB, None).unwrap().tables(),
            "after step {i}"
        );
    }
    assert!(saw_update2);
    // The final step deleted the switch and with it the ACL (non-root).
    assert!(replica.table("ACL").unwrap().is_empty());
    assert_eq!(replica.table("NB_Global").unwrap().len(), 1);
}

#[test]
fn replica_reports_row_changes() {
    let server = Server::start();
    let (c, rx) = server.client();
    let mut replica = Replica::new(
        c.get_schema(NB)
            .unwrap()
            .restrict(&["Logical_Switch"])
            .unwrap(),
    );
    let id = json!("ls");
    assert!(c.monitor_replica(NB, &id, &mut replica).unwrap().is_empty());
    let r = c
        .transact(
            NB,
            vec![Operation::insert(
                "Logical_Switch",
                row([("name", "a".into())]),
            )],
        )
        .unwrap();
    let uuid = inserted_uuid(&r[0]).unwrap();
    let changes = drain(&mut replica, &id, &rx);
    assert_eq!(changes.len(), 1);
    let ch = &changes[0];
    assert_eq!(
        (ch.table.as_str(), ch.uuid, ch.old.is_none()),
        ("Logical_Switch", uuid, true)
    );
    let new = ch.new.as_ref().unwrap();
    assert_eq!(new["name"], "a".into());
    // Complete rows: every column, defaults included.
    assert_eq!(
        new.len(),
        replica.schema().tables["Logical_Switch"].columns.len()
    );
    assert_eq!(new["external_ids"], Datum::Map(vec![]));
    c.transact(
        NB,
        vec![Operation::update(
            "Logical_Switch",
            vec![Condition::uuid(uuid)],
            row([("name", "b".into())]),
        )],
    )
    .unwrap();
    let changes = drain(&mut replica, &id, &rx);
    assert_eq!(changes[0].old.as_ref().unwrap()["name"], "a".into());
    assert_eq!(changes[0].new.as_ref().unwrap()["name"], "b".into());
    c.transact(NB, vec![Operation::delete("Logical_Switch", vec![])])
        .unwrap();
    let changes = drain(&mut replica, &id, &rx);
    assert!(changes[0].new.is_none() && changes[0].old.is_some());
}

#[test]
fn monitor_cond_since_and_update3() {
    let server = Server::start_with(true, &[]);
    let (c, rx) = server.client();
    let (writer, _) = server.client();
    // The server drops history that outweighs the data it describes, so
    // give it data to keep the history of our small transactions.
    let big: Vec<String> = (0..1000)
        .map(|i| format!("10.1.{}.{}", i / 256, i % 256))
        .collect();
    let big = Datum::set(big.iter().map(|a| Atom::from(a.as_str())));
    writer
        .transact(
            NB,
            vec![Operation::insert(
                "Address_Set",
                row([("name", "big".into()), ("addresses", big)]),
            )],
        )
        .unwrap();
    let mut replica = Replica::new(c.get_schema(NB).unwrap());
    let id = json!("since");
    c.monitor_replica(NB, &id, &mut replica).unwrap();
    let mut methods = Vec::new();
    let mut run = |replica: &mut Replica, ops: &[Operation]| {
        c.transact(NB, ops.to_vec()).unwrap();
        while let Ok(n) = rx.try_recv() {
            methods.push(n.method.clone());
            replica.apply_notification(&id, &n).unwrap();
        }
        assert_eq!(
            replica.tables(),
            writer.snapshot(NB, None).unwrap().tables()
        );
    };
    let steps = scenario();
    let (first, rest) = steps.split_at(3);
    for ops in first {
        run(&mut replica, ops);
    }
    let txn = replica
        .last_txn_id()
        .expect("update3 carries a transaction id");
    assert_ne!(txn, Uuid(0));

    // Stop monitoring, let the database move on, then resume: the server
    // still has our transaction, so it sends only what changed since.
    c.monitor_cancel(&id).unwrap();
    let ls = |name: &str| Operation::insert("Logical_Switch", row([("name", name.into())]));
    writer.transact(NB, vec![ls("while-away")]).unwrap();
    let probe = c
        .monitor_cond_since(NB, &json!("probe"), &replica.monitor_requests(), Some(txn))
        .unwrap();
    assert!(probe.found, "{probe:?}");
    assert_eq!(
        probe
            .updates
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["Logical_Switch"]
    );
    c.monitor_cancel(&json!("probe")).unwrap();
    let changes = c.monitor_replica(NB, &id, &mut replica).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0].new.as_ref().unwrap()["name"],
        "while-away".into()
    );
    assert_eq!(
        replica.tables(),
        writer.snapshot(NB, None).unwrap().tables()
    );
    assert_eq!(replica.last_txn_id(), Some(probe.last_txn_id));

    // Monitoring continues with update3 after the resume.
    for ops in rest {
        run(&mut replica, ops);
    }
    assert!(
        !methods.is_empty() && methods.iter().all(|m| m == "update3"),
        "{methods:?}"
    );

    // Resuming works when the server no longer has the transaction too
    // (deleting the big set makes it drop the history): the full state
    // then replaces the replica's contents.
    c.monitor_cancel(&id).unwrap();
    writer
        .transact(
            NB,
            vec![ls("late"), Operation::delete("Address_Set", vec![])],
        )
        .unwrap();
    let probe = c
        .monitor_cond_since(
            NB,
            &json!("probe"),
            &replica.monitor_requests(),
            replica.last_txn_id(),
        )
        .unwrap();
    assert!(!probe.found);
    c.monitor_cancel(&json!("probe")).unwrap();
    let changes = c.monitor_replica(NB, &id, &mut replica).unwrap();
    assert!(changes
        .iter()
        .any(|ch| ch.new.as_ref().is_some_and(|r| r["name"] == "late".into())));
    assert_eq!(
        replica.tables(),
        writer.snapshot(NB, None).unwrap().tables()
    );
}

#[test]
fn monitor_cond_since_on_standalone_database() {
    let server = Server::start();
    let (c, rx) = server.client();
    let mut replica = Replica::new(c.get_schema(NB).unwrap());
    let id = json!("since");
    c.monitor_replica(NB, &id, &mut replica).unwrap();
    for ops in scenario() {
        c.transact(NB, ops).unwrap();
        drain(&mut replica, &id, &rx);
        assert_eq!(replica.tables(), c.snapshot(NB, None).unwrap().tables());
    }
}

#[test]
fn plain_monitor_and_update() {
    let server = Server::start();
    let (c, rx) = server.client();
    let mut replica = Replica::new(c.get_schema(NB).unwrap());
    let id = json!(null);
    let initial = c.monitor(NB, &id, &replica.monitor_requests()).unwrap();
    replica.apply_update(&initial).unwrap();
    let mut methods = Vec::new();
    for ops in scenario() {
        c.transact(NB, ops).unwrap();
        while let Ok(n) = rx.try_recv() {
            methods.push(n.method.clone());
            replica.apply_notification(&id, &n).unwrap();
        }
        assert_eq!(replica.tables(), c.snapshot(NB, None).unwrap().tables());
    }
    assert!(
        !methods.is_empty() && methods.iter().all(|m| m == "update"),
        "{methods:?}"
    );
}

#[test]
fn strings_round_trip() {
    let server = Server::start();
    let (c, _rx) = server.client();
    let names = [
        NASTY,
        "",
        "\"",
        "\\",
        "\\\"",
        "{",
        "}",
        "\u{7f}\u{80}\u{ffff}\u{10ffff}",
        "a\"}b{\\",
    ];
    for (i, name) in names.iter().enumerate() {
        let ext = map(&[(name, name), ("k", name)]);
        let r = c
            .transact(
                NB,
                vec![Operation::insert(
                    "Address_Set",
                    row([
                        ("name", (*name).into()),
                        ("external_ids", ext.clone()),
                        ("addresses", strs(&[name, "x"])),
                    ]),
                )],
            )
            .unwrap();
        let uuid = inserted_uuid(&r[0]).unwrap();
        let got = select_one(&c, "Address_Set", Condition::eq("name", *name));
        assert_eq!(got["_uuid"], uuid.into(), "{i}");
        assert_eq!(got["name"], (*name).into(), "{i}");
        assert_eq!(got["external_ids"], ext, "{i}");
        assert_eq!(got["addresses"], strs(&[name, "x"]), "{i}");
    }
    let snap = c.snapshot(NB, Some(&["Address_Set"])).unwrap();
    let mut got: Vec<String> = snap
        .table("Address_Set")
        .unwrap()
        .values()
        .map(|r| r["name"].atoms()[0].as_str().unwrap().to_owned())
        .collect();
    let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(snap.tables().len(), 1);
}

#[test]
fn server_echo_probes_are_answered() {
    let server = Server::start_with(false, &["--remote=db:OVN_Northbound,NB_Global,connections"]);
    let (c, _rx) = server.client();
    let probe_sock = server.path("probe.sock");
    c.transact(
        NB,
        vec![
            Operation::insert_named(
                "Connection",
                "conn",
                row([
                    ("target", format!("punix:{}", probe_sock.display()).into()),
                    ("inactivity_probe", 1000.into()),
                ]),
            ),
            Operation::insert("NB_Global", row([("connections", named("conn"))])),
        ],
    )
    .unwrap();
    wait_for_socket(&probe_sock);

    // A peer that ignores the probe gets an echo request, then is dropped.
    let mut raw = UnixStream::connect(&probe_sock).unwrap();
    raw.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match raw.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(e) => panic!("server neither probed nor dropped the silent peer: {e}"),
        }
    }
    assert!(
        String::from_utf8_lossy(&seen).contains("\"echo\""),
        "{}",
        String::from_utf8_lossy(&seen)
    );

    // Our client answers, so it survives several probe intervals.
    let (probed, _rx) = Client::connect(&format!("unix:{}", probe_sock.display())).unwrap();
    thread::sleep(Duration::from_millis(4500));
    probed.echo().unwrap();
    assert_eq!(probed.list_dbs().unwrap().len(), 2);
}

#[test]
fn locks_between_two_clients() {
    let server = Server::start();
    let (a, arx) = server.client();
    let (b, brx) = server.client();
    let next = |rx: &Receiver<Notification>| rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(a.lock("L").unwrap());
    assert!(!b.lock("L").unwrap());
    // Only the holder may commit a transaction that asserts the lock.
    a.transact(NB, vec![Operation::Assert { lock: "L".into() }])
        .unwrap();
    let err = b
        .transact(NB, vec![Operation::Assert { lock: "L".into() }])
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transaction { index: 0, error, .. } if error == "not owner"),
        "{err}"
    );
    // Releasing hands the lock to the waiting client.
    a.unlock("L").unwrap();
    let n = next(&brx);
    assert_eq!(
        (n.method.as_str(), n.params.as_slice()),
        ("locked", &[json!("L")][..])
    );
    b.transact(NB, vec![Operation::Assert { lock: "L".into() }])
        .unwrap();
    // Stealing takes it back and tells the old holder.
    a.steal("L").unwrap();
    let n = next(&brx);
    assert_eq!(
        (n.method.as_str(), n.params.as_slice()),
        ("stolen", &[json!("L")][..])
    );
    a.transact(NB, vec![Operation::Assert { lock: "L".into() }])
        .unwrap();
    a.unlock("L").unwrap();
    b.unlock("L").unwrap();
    assert!(b.lock("L").unwrap());
    assert!(matches!(
        arx.try_recv(),
        Err(std::sync::mpsc::TryRecvError::Empty)
    ));
}

#[test]
fn concurrent_requests_on_one_client() {
    let server = Server::start();
    let (c, _rx) = server.client();
    thread::scope(|s| {
        for t in 0..4 {
            let c = &c;
            s.spawn(move || {
                for i in 0..25 {
                    let name = format!("t{t}-{i}");
                    c.transact(
                        NB,
                        vec![Operation::insert(
                            "Address_Set",
                            row([("name", name.as_str().into())]),
                        )],
                    )
                    .unwrap();
                    c.echo().unwrap();
                }
            });
        }
    });
    assert_eq!(
        c.snapshot(NB, Some(&["Address_Set"]))
            .unwrap()
            .table("Address_Set")
            .unwrap()
            .len(),
        100
    );
}

#[test]
fn killed_server_disconnects_pending_and_later_calls() {
    let mut server = Server::start();
    let (c, rx) = server.client();
    thread::scope(|s| {
        // A wait that the server holds open until its timeout.
        let pending = s.spawn(|| {
            c.transact(
                NB,
                vec![Operation::Wait {
                    table: "Logical_Switch".into(),
                    conditions: vec![],
                    columns: vec!["name".into()],
                    until: WaitUntil::NotEqual,
                    rows: vec![],
                    timeout_ms: Some(60_000),
                }],
            )
        });
        thread::sleep(Duration::from_millis(300));
        let started = Instant::now();
        server.kill();
        assert!(matches!(pending.join().unwrap(), Err(Error::Disconnected)));
        assert!(started.elapsed() < Duration::from_secs(5));
    });
    assert!(matches!(c.list_dbs(), Err(Error::Disconnected)));
    assert!(matches!(c.transact(NB, vec![]), Err(Error::Disconnected)));
    assert!(matches!(
        rx.recv_timeout(Duration::from_secs(5)),
        Err(RecvTimeoutError::Disconnected)
    ));
    assert!(matches!(
        Client::connect(&server.remote()),
        Err(Error::Connect { .. })
    ));
    assert!(matches!(
        Client::connect("ssl:1.2.3.4:5"),
        Err(Error::BadRemote(_))
    ));
}

#[test]
fn tcp_remote() {
    let server = Server::start_with(false, &["--remote=ptcp:0:127.0.0.1"]);
    // The port is chosen by the kernel; the server logs it.
    let deadline = Instant::now() + Duration::from_secs(10);
    let port = loop {
        let log = fs::read_to_string(server.path("x.log")).unwrap_or_default();
        if let Some(p) = log
            .lines()
            .find_map(|l| l.split("listening on port ").nth(1))
        {
            break p.trim().to_owned();
        }
        assert!(Instant::now() < deadline, "no port in log:\n{log}");
        thread::sleep(Duration::from_millis(20));
    };
    let (c, _rx) = Client::connect(&format!("tcp:127.0.0.1:{port}")).unwrap();
    assert!(c.list_dbs().unwrap().contains(&NB.to_owned()));
}
