//! JSON-RPC 1.0 messages as OVSDB uses them (RFC 7047 §4).
//!
//! The three kinds are told apart by their members: a request has a
//! `method` and a non-null `id`, a notification a `method` and a null (or
//! absent) `id`, a response a `result` or `error`.

use serde_json::{json, Map, Value};

/// A call that expects a [`Response`] with the same `id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: Value,
    pub method: String,
    pub params: Vec<Value>,
}

/// The answer to a [`Request`]: `Ok(result)` or `Err(error)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub id: Value,
    pub result: Result<Value, Value>,
}

/// A one-way message (ovsdb-server sends `update*`, `locked`, `stolen`).
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub method: String,
    pub params: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Request(Request),
    Response(Response),
    Notification(Notification),
}

/// A JSON value that is not a JSON-RPC message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid JSON-RPC message: {0}")]
pub struct ProtocolError(pub &'static str);

impl Message {
    pub fn from_json(v: Value) -> Result<Message, ProtocolError> {
        let Value::Object(mut obj) = v else {
            return Err(ProtocolError("not an object"));
        };
        let id = obj.remove("id").unwrap_or(Value::Null);
        if let Some(method) = obj.remove("method") {
            let Value::String(method) = method else {
                return Err(ProtocolError("method is not a string"));
            };
            let params = match obj.remove("params") {
                Some(Value::Array(p)) => p,
                // `get_server_id` and friends send null params.
                Some(Value::Null) | None => Vec::new(),
                Some(_) => return Err(ProtocolError("params is not an array")),
            };
            return Ok(if id.is_null() {
                Message::Notification(Notification { method, params })
            } else {
                Message::Request(Request { id, method, params })
            });
        }
        if id.is_null() {
            return Err(ProtocolError("response without id"));
        }
        let error = obj.remove("error").unwrap_or(Value::Null);
        let result = match (obj.remove("result"), error) {
            (Some(r), Value::Null) => Ok(r),
            (None, Value::Null) => return Err(ProtocolError("response without result or error")),
            (_, e) => Err(e),
        };
        Ok(Message::Response(Response { id, result }))
    }

    pub fn to_json(&self) -> Value {
        match self {
            Message::Request(r) => json!({"id": r.id, "method": r.method, "params": r.params}),
            Message::Notification(n) => {
                json!({"id": null, "method": n.method, "params": n.params})
            }
            Message::Response(r) => {
                let mut obj = Map::new();
                obj.insert("id".into(), r.id.clone());
                let (result, error) = match &r.result {
                    Ok(v) => (v.clone(), Value::Null),
                    Err(e) => (Value::Null, e.clone()),
                };
                obj.insert("result".into(), result);
                obj.insert("error".into(), error);
                Value::Object(obj)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: Value) -> Result<Message, ProtocolError> {
        Message::from_json(v)
    }

    #[test]
    fn kinds() {
        assert_eq!(
            parse(json!({"id": "echo", "method": "echo", "params": []})),
            Ok(Message::Request(Request {
                id: json!("echo"),
                method: "echo".into(),
                params: vec![]
            }))
        );
        assert_eq!(
            parse(json!({"id": null, "method": "update2", "params": [1, {}]})),
            Ok(Message::Notification(Notification {
                method: "update2".into(),
                params: vec![json!(1), json!({})]
            }))
        );
        assert_eq!(
            parse(json!({"id": 3, "result": {}, "error": null})),
            Ok(Message::Response(Response {
                id: json!(3),
                result: Ok(json!({}))
            }))
        );
        assert_eq!(
            parse(json!({"id": 3, "result": null, "error": "unknown method"})),
            Ok(Message::Response(Response {
                id: json!(3),
                result: Err(json!("unknown method"))
            }))
        );
    }

    #[test]
    fn round_trip() {
        for v in [
            json!({"id": 7, "method": "transact", "params": ["db", {"op": "comment"}]}),
            json!({"id": null, "method": "locked", "params": ["l"]}),
            json!({"id": 7, "result": [1], "error": null}),
            json!({"id": 7, "result": null, "error": {"error": "e"}}),
        ] {
            assert_eq!(parse(v.clone()).unwrap().to_json(), v);
        }
    }

    #[test]
    fn malformed() {
        for v in [
            json!([]),
            json!({"method": 1}),
            json!({"id": 1, "method": "m", "params": {}}),
            json!({"result": 1}),
            json!({"id": 1}),
            json!({"id": 1, "error": null}),
        ] {
            assert!(parse(v.clone()).is_err(), "{v}");
        }
    }
}
