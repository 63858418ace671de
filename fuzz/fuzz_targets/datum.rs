//! JSON values as the decoders see them: datums and rows (which must
//! re-encode to themselves), schemas, and monitor updates applied to a
//! replica (which must be all or nothing).

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use northflow_ovsdb::{row_from_json, row_to_json, DatabaseSchema, Datum, Replica};
use serde_json::{json, Value};

fn schema() -> &'static DatabaseSchema {
    static SCHEMA: OnceLock<DatabaseSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
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
        .expect("valid schema")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok(d) = Datum::from_json(&v) {
        assert_eq!(
            Datum::from_json(&d.to_json()).expect("a datum re-encodes"),
            d
        );
    }
    if let Ok(r) = row_from_json(&v) {
        assert_eq!(
            row_from_json(&row_to_json(&r)).expect("a row re-encodes"),
            r
        );
    }
    let _ = DatabaseSchema::from_json(&v);

    // A JSON array is a sequence of updates to one replica.
    let updates = match v {
        Value::Array(a) => a,
        other => vec![other],
    };
    let mut replica = Replica::new(schema().clone());
    for (i, u) in updates.iter().enumerate() {
        let before = replica.clone();
        let result = if i % 2 == 0 {
            replica.apply_update2(u).map(drop)
        } else {
            replica.apply_update(u).map(drop)
        };
        if result.is_err() {
            assert_eq!(replica, before, "a rejected update changed the replica");
        }
    }
});
