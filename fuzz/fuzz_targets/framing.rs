//! Bytes from the server, as the client's reader thread sees them: split
//! into messages, parsed as JSON-RPC, every nested value decoded as a datum
//! and a row.

#![no_main]

use libfuzzer_sys::fuzz_target;
use northflow_ovsdb::framing::Framer;
use northflow_ovsdb::jsonrpc::Message;
use northflow_ovsdb::{row_from_json, Datum};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses where one read ends and the next begins.
    let Some((&cut, data)) = data.split_first() else {
        return;
    };
    let cut = usize::from(cut) % (data.len() + 1);
    let mut framer = Framer::new(1 << 16);
    for chunk in [&data[..cut], &data[cut..]] {
        framer.push(chunk);
        loop {
            match framer.next_message() {
                Ok(Some(v)) => decode(v),
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
});

fn decode(v: Value) {
    let Ok(msg) = Message::from_json(v) else {
        return;
    };
    let reencoded = Message::from_json(msg.to_json()).expect("a parsed message re-encodes");
    assert_eq!(reencoded, msg);
    let values = match msg {
        Message::Request(r) => r.params,
        Message::Notification(n) => n.params,
        Message::Response(r) => vec![r.result.unwrap_or_else(|e| e)],
    };
    values.iter().for_each(walk);
}

fn walk(v: &Value) {
    if let Ok(d) = Datum::from_json(v) {
        assert_eq!(
            Datum::from_json(&d.to_json()).expect("a datum re-encodes"),
            d
        );
    }
    let _ = row_from_json(v);
    match v {
        Value::Array(a) => a.iter().for_each(walk),
        Value::Object(o) => o.values().for_each(walk),
        _ => {}
    }
}
