//! Reading `options`/`other_config` maps the way ovn-northd's `smap_get_*`
//! helpers do, so that "TRUE", "yes" and garbage mean what they mean there.

use northflow_ir::smap::StrMap;

/// `smap_get_bool`: with default `false` only "true" (any case) is true;
/// with default `true` only "false" (any case) is false.
pub fn get_bool(map: &impl StrMap, key: &str, default: bool) -> bool {
    let value = map.get_str(key).unwrap_or("");
    if default {
        !value.eq_ignore_ascii_case("false")
    } else {
        value.eq_ignore_ascii_case("true")
    }
}

/// `smap_get_ullong`/`smap_get_int`: a leading decimal number, else the default.
pub fn get_int(map: &impl StrMap, key: &str, default: i64) -> i64 {
    map.get_str(key)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn bools_follow_ovs() {
        let m: BTreeMap<String, String> = [("a", "TRUE"), ("b", "yes"), ("c", "False")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert!(get_bool(&m, "a", false));
        assert!(!get_bool(&m, "b", false));
        assert!(get_bool(&m, "b", true));
        assert!(!get_bool(&m, "c", true));
        assert!(get_bool(&m, "missing", true));
        assert_eq!(get_int(&m, "a", 7), 7);
    }
}
