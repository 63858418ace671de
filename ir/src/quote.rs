//! Quoting of Northbound strings placed in generated matches and actions, so
//! that a name never changes the meaning of a flow.

/// A JSON string literal of `s`, as ovn-northd writes port names in
/// matches and actions (`inport == "p1"`).
pub fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_and_escapes() {
        assert_eq!(super::json_string("p1"), r#""p1""#);
        assert_eq!(super::json_string(r#"a "b"\c"#), r#""a \"b\"\\c""#);
    }
}
