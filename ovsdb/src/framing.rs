//! Splitting a byte stream into JSON-RPC messages.
//!
//! RFC 7047 sends JSON objects back to back with no length prefix or
//! delimiter, so the only way to find where a message ends is to track
//! brace depth outside of strings. The scanner below does exactly that,
//! resuming where it stopped so a large message arriving in many reads is
//! scanned once. It works on bytes: every structural character is ASCII and
//! never occurs inside a multi-byte UTF-8 sequence, so a character split
//! across two reads needs no special care (`serde_json` validates UTF-8 once
//! the message is complete).

/// A byte stream that is not a sequence of JSON objects. The stream cannot be
/// resynchronised after one of these, so the connection must be dropped.
#[derive(Debug, thiserror::Error)]
pub enum FramingError {
    #[error("message exceeds {limit} bytes")]
    TooLarge { limit: usize },
    #[error("unexpected byte {byte:#04x} between messages")]
    Garbage { byte: u8 },
    #[error("malformed JSON message: {0}")]
    Json(#[from] serde_json::Error),
}

/// Incremental splitter: [`push`](Framer::push) bytes as they are read, then
/// call [`next_message`](Framer::next_message) until it returns `None`.
#[derive(Debug)]
pub struct Framer {
    buf: Vec<u8>,
    /// Start of the message being scanned (bytes before it are consumed).
    start: usize,
    /// Next byte to scan.
    pos: usize,
    /// Nesting depth of `{`/`[`; 0 while between messages.
    depth: usize,
    in_string: bool,
    escaped: bool,
    max_size: usize,
}

impl Framer {
    /// `max_size` bounds one message, so a peer sending an endless object
    /// cannot make us buffer without limit.
    pub fn new(max_size: usize) -> Framer {
        Framer {
            buf: Vec::new(),
            start: 0,
            pos: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            max_size,
        }
    }

    /// Appends bytes read from the stream.
    pub fn push(&mut self, data: &[u8]) {
        // Drop consumed bytes before growing, so the buffer holds at most
        // one partial message plus what has not been scanned yet.
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.pos -= self.start;
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
    }

    /// Returns the next complete message, parsed, or `None` if more bytes
    /// are needed.
    pub fn next_message(&mut self) -> Result<Option<serde_json::Value>, FramingError> {
        while self.pos < self.buf.len() {
            let b = self.buf[self.pos];
            self.pos += 1;
            if self.depth == 0 {
                match b {
                    b' ' | b'\t' | b'\n' | b'\r' => self.start = self.pos,
                    b'{' => self.depth = 1,
                    byte => return Err(FramingError::Garbage { byte }),
                }
            } else if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
            } else {
                match b {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth -= 1;
                        if self.depth == 0 {
                            let msg = &self.buf[self.start..self.pos];
                            self.start = self.pos;
                            return Ok(Some(serde_json::from_slice(msg)?));
                        }
                    }
                    _ => {}
                }
            }
            if self.depth > 0 && self.pos - self.start > self.max_size {
                return Err(FramingError::TooLarge {
                    limit: self.max_size,
                });
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn stream() -> (Vec<u8>, Vec<Value>) {
        let msgs = vec![
            json!({"id": 1, "method": "echo", "params": []}),
            json!({"s": "quote \" backslash \\ brace } bracket ] {", "t": "\\"}),
            json!({"u": "é 日本 🦀", "nested": [[{"a": {}}], []]}),
            json!({"tail\\": "\\\"}"}),
        ];
        let mut bytes = Vec::new();
        for (i, m) in msgs.iter().enumerate() {
            bytes.extend_from_slice(m.to_string().as_bytes());
            // Real servers send no separator; whitespace is legal too.
            if i % 2 == 1 {
                bytes.extend_from_slice(b" \n\t\r");
            }
        }
        (bytes, msgs)
    }

    fn feed(chunks: &[&[u8]]) -> Vec<Value> {
        let mut f = Framer::new(1 << 20);
        let mut out = Vec::new();
        for c in chunks {
            f.push(c);
            while let Some(m) = f.next_message().unwrap() {
                out.push(m);
            }
        }
        out
    }

    #[test]
    fn split_at_every_boundary() {
        let (bytes, msgs) = stream();
        for i in 0..=bytes.len() {
            assert_eq!(feed(&[&bytes[..i], &bytes[i..]]), msgs, "split at {i}");
        }
    }

    #[test]
    fn one_byte_at_a_time() {
        let (bytes, msgs) = stream();
        let chunks: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(feed(&chunks), msgs);
    }

    #[test]
    fn size_limit() {
        let mut f = Framer::new(10);
        f.push(br#"{"a":"0123456789"}"#);
        assert!(matches!(
            f.next_message(),
            Err(FramingError::TooLarge { limit: 10 })
        ));
        // Exactly at the limit is fine, and whitespace does not count.
        let mut f = Framer::new(10);
        f.push(b"   {\"a\":\"12\"}   {\"b\":\"34\"}");
        assert_eq!(f.next_message().unwrap(), Some(json!({"a": "12"})));
        assert_eq!(f.next_message().unwrap(), Some(json!({"b": "34"})));
        assert_eq!(f.next_message().unwrap(), None);
    }

    #[test]
    fn bad_input_is_an_error() {
        for bad in [
            &b"x"[..],
            b"{]",
            b"{\"a\" 1}",
            b"[1]",
            b"{\"\xff\":1}",
            b"{} }",
        ] {
            let mut f = Framer::new(100);
            f.push(bad);
            let mut res = f.next_message();
            while let Ok(Some(_)) = res {
                res = f.next_message();
            }
            assert!(res.is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
