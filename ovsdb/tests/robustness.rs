//! Whatever a peer sends, decoding fails cleanly: no panics, and a rejected
//! update leaves the replica as it was.

use northflow_ovsdb::framing::Framer;
use northflow_ovsdb::jsonrpc::{Message, Notification};
use northflow_ovsdb::{row_from_json, Atom, DatabaseSchema, Datum, Replica};
use proptest::prelude::*;
use serde_json::{json, Value};

const UUIDS: [&str; 3] = [
    "00000000-0000-0000-0000-000000000001",
    "00000000-0000-0000-0000-000000000002",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
];

/// Strings that mean something to the decoders, plus noise.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "set",
            "map",
            "uuid",
            "named-uuid",
            "initial",
            "insert",
            "delete",
            "modify",
            "old",
            "new",
            "A",
            "B",
            "name",
            "n",
            "x",
            "tags",
            "opts",
            "id",
            "method",
            "params",
            "result",
            "error",
            "update2",
        ])
        .prop_map(str::to_owned),
        prop::sample::select(UUIDS.to_vec()).prop_map(str::to_owned),
        "[a-z\"\\\\{}\\[\\] é]{0,5}",
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        word().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(word(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn atom_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-3i64..3).prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        "[a-c]{0,2}".prop_map(Value::from),
        prop::sample::select(UUIDS.to_vec()).prop_map(|u| json!(["uuid", u])),
    ]
}

/// Values shaped like datums (often valid, sometimes of the wrong type).
fn datum_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        atom_json(),
        prop::collection::vec(atom_json(), 0..4).prop_map(|a| json!(["set", a])),
        prop::collection::vec((atom_json(), atom_json()), 0..4).prop_map(|p| json!([
            "map",
            p.into_iter()
                .map(|(k, v)| json!([k, v]))
                .collect::<Vec<_>>()
        ])),
        any_json(),
    ]
}

/// Rows whose values mostly fit the schema below, so updates often apply.
fn row_json() -> impl Strategy<Value = Value> {
    let strings = || prop::collection::vec("[a-c]{0,2}", 0..3);
    let uuids = prop::collection::vec(prop::sample::select(UUIDS.to_vec()), 0..3);
    let fitting = prop_oneof![
        "[a-c]{0,2}".prop_map(|s| ("name", json!(s))),
        prop::option::of(-3i64..3).prop_map(|n| ("n", n.map_or(json!(["set", []]), |n| json!(n)))),
        prop_oneof![
            (-3i64..3).prop_map(|n| json!(n)),
            (-3.0f64..3.0).prop_map(|x| json!(x))
        ]
        .prop_map(|x| ("x", x)),
        strings().prop_map(|t| ("tags", json!(["set", t]))),
        prop::collection::vec(("[a-c]{0,2}", -2i64..2), 0..3).prop_map(|p| (
            "opts",
            json!([
                "map",
                p.into_iter()
                    .map(|(k, v)| json!([k, v]))
                    .collect::<Vec<_>>()
            ])
        )),
        uuids.prop_map(|u| (
            "ref",
            json!([
                "set",
                u.iter().map(|u| json!(["uuid", u])).collect::<Vec<_>>()
            ])
        )),
    ];
    let column = prop::sample::select(vec!["name", "n", "x", "tags", "opts", "ref", "bogus"]);
    let cell = prop_oneof![9 => fitting, 1 => (column, datum_json())];
    prop::collection::vec(cell, 0..4).prop_map(|cells| {
        Value::Object(cells.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    })
}

/// `<table-updates>` / `<table-updates2>` mostly about rows that exist.
fn updates_json() -> impl Strategy<Value = Value> {
    let row_update = prop_oneof![
        3 => row_json().prop_map(|r| json!({"initial": r})),
        1 => row_json().prop_map(|r| json!({"insert": r})),
        3 => row_json().prop_map(|r| json!({"modify": r})),
        1 => Just(json!({"delete": null})),
        1 => row_json().prop_map(|r| json!({"new": r})),
        1 => (row_json(), row_json()).prop_map(|(o, n)| json!({"old": o, "new": n})),
        1 => row_json().prop_map(|r| json!({"old": r})),
        1 => any_json(),
    ];
    let uuid =
        prop_oneof![9 => prop::sample::select(UUIDS.to_vec()).prop_map(str::to_owned), 1 => word()];
    let table = prop::collection::btree_map(uuid, row_update, 0..4)
        .prop_map(|m| Value::Object(m.into_iter().collect()));
    let name = prop_oneof![9 => Just("A".to_owned()), 1 => word()];
    prop_oneof![
        9 => prop::collection::btree_map(name, table, 0..3).prop_map(|m| Value::Object(m.into_iter().collect())),
        1 => any_json(),
    ]
}

fn schema() -> DatabaseSchema {
    DatabaseSchema::from_json(&json!({
        "name": "T", "version": "1.0.0",
        "tables": {"A": {"columns": {
            "name": {"type": "string"},
            "n": {"type": {"key": "integer", "min": 0, "max": 1}},
            "x": {"type": "real"},
            "tags": {"type": {"key": "string", "min": 0, "max": "unlimited"}},
            "opts": {"type": {"key": "string", "value": "integer", "min": 0, "max": "unlimited"}},
            "ref": {"type": {"key": {"type": "uuid", "refTable": "A"}, "min": 0, "max": 2}}
        }}}
    }))
    .unwrap()
}

proptest! {
    #[test]
    fn framer_survives_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300), cut in 0usize..300) {
        let mut f = Framer::new(128);
        let cut = cut.min(bytes.len());
        for chunk in [&bytes[..cut], &bytes[cut..]] {
            f.push(chunk);
            loop {
                match f.next_message() {
                    Ok(Some(v)) => { let _ = Message::from_json(v); }
                    Ok(None) => break,
                    Err(_) => return Ok(()),
                }
            }
        }
    }

    #[test]
    fn framer_splits_concatenated_objects(
        objs in prop::collection::vec(prop::collection::btree_map(word(), any_json(), 0..4), 1..5),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let objs: Vec<Value> = objs.into_iter().map(|m| Value::Object(m.into_iter().collect())).collect();
        let bytes: Vec<u8> = objs.iter().flat_map(|o| o.to_string().into_bytes()).collect();
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        cuts.push(0);
        cuts.push(bytes.len());
        cuts.sort();
        let mut f = Framer::new(1 << 20);
        let mut got = Vec::new();
        for w in cuts.windows(2) {
            f.push(&bytes[w[0]..w[1]]);
            while let Some(m) = f.next_message().unwrap() {
                got.push(m);
            }
        }
        // Compare with what each text means: serde_json's float parsing
        // is not exact, and that is not the framer's business.
        let want: Vec<Value> = objs.iter().map(|o| serde_json::from_str(&o.to_string()).unwrap()).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn decoders_survive_any_json(v in prop_oneof![any_json(), datum_json(), row_json()]) {
        let _ = Atom::from_json(&v);
        if let Ok(d) = Datum::from_json(&v) {
            prop_assert_eq!(Datum::from_json(&d.to_json()).unwrap(), d);
        }
        if let Ok(r) = row_from_json(&v) {
            prop_assert_eq!(row_from_json(&northflow_ovsdb::row_to_json(&r)).unwrap(), r);
        }
        let _ = DatabaseSchema::from_json(&v);
        if let Ok(m) = Message::from_json(v) {
            prop_assert_eq!(Message::from_json(m.to_json()).unwrap(), m);
        }
    }

    #[test]
    fn replica_survives_any_updates(updates in prop::collection::vec((0u8..4, updates_json()), 1..8)) {
        let mut r = Replica::new(schema());
        let id = json!("m");
        for (how, u) in updates {
            let before = r.clone();
            let result = match how {
                0 => r.apply_update2(&u).map(|c| c.len()),
                1 => r.apply_update(&u).map(|c| c.len()),
                2 => r.reset_from_update2(&u).map(|c| c.len()),
                _ => {
                    let n = Notification { method: "update2".into(), params: vec![id.clone(), u] };
                    r.apply_notification(&id, &n).map(|c| c.map_or(0, |c| c.len()))
                }
            };
            if result.is_err() {
                prop_assert_eq!(&r, &before);
            }
            // Stored rows are always complete.
            for row in r.table("A").unwrap().values() {
                prop_assert_eq!(row.len(), 6);
            }
        }
    }
}
