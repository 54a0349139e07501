//! The protocol's framing over stdin and stdout (`Content-Length` headers, then JSON), with
//! `lsp-server`'s message types. Reading forgives what a stricter reader would stop on: a body
//! that is not UTF-8 is read with its bad bytes replaced (U+FFFD), and a body that is not a
//! message is logged and passed over, so one bad message does not end the session.

use std::io::{BufRead, Read as _, Write as _};
use std::sync::mpsc;

use lsp_server::Message;

/// The largest body read (256 MiB, the most the validator's TOML parser reads at once): a
/// larger one is read past and dropped, and the session goes on.
const MAX_BODY: usize = 256 * 1024 * 1024;

/// Starts the thread that reads messages from stdin; the channel closes at the end of the
/// input or on a header that cannot be read.
pub(crate) fn stdin_messages() -> mpsc::Receiver<Message> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("lsp-reader".to_owned())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            loop {
                match read_body(&mut input) {
                    Ok(Some(None)) => {
                        eprintln!(
                            "diplomacy lsp: passed over a message of more than {MAX_BODY} bytes"
                        );
                    }
                    Ok(Some(Some(body))) => {
                        let text = String::from_utf8_lossy(&body);
                        match serde_json::from_str::<Message>(&text) {
                            Ok(msg) => {
                                if tx.send(msg).is_err() {
                                    return;
                                }
                            }
                            Err(e) => eprintln!(
                                "diplomacy lsp: passed over a message that is not JSON-RPC: {e}"
                            ),
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        eprintln!("diplomacy lsp: cannot read the input: {e}");
                        return;
                    }
                }
            }
        })
        .map_or_else(
            |e| {
                eprintln!("diplomacy lsp: cannot start the reader: {e}");
            },
            drop,
        );
    rx
}

/// Reads one message's body; `None` at the end of the input, `Some(None)` for a body over
/// [`MAX_BODY`], read past.
fn read_body(input: &mut impl BufRead) -> std::io::Result<Option<Option<Vec<u8>>>> {
    let bad = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
    let mut length = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.by_ref().take(8192).read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let header = String::from_utf8_lossy(&line);
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() {
                break;
            }
            // Blank lines between messages are passed over.
            continue;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| bad(format!("bad Content-Length {value:?}")))?;
            length = Some(n);
        }
    }
    let length = length.unwrap_or(0);
    if length > MAX_BODY {
        let skipped = std::io::copy(&mut input.take(length as u64), &mut std::io::sink())?;
        if skipped < length as u64 {
            return Ok(None);
        }
        return Ok(Some(None));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(Some(body)))
}

/// Writes one message to stdout (the only thing ever written there).
pub(crate) fn send(msg: Message) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = msg.write(&mut out).and_then(|()| out.flush()) {
        eprintln!("diplomacy lsp: cannot write to the client: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_framed_bodies_forgivingly() {
        let input =
            b"Content-Length: 2\r\n\r\n{}\r\nContent-Type: x\r\ncontent-length:3\r\n\r\n\xff\xfe!";
        let mut r = std::io::BufReader::new(&input[..]);
        assert_eq!(
            read_body(&mut r).ok().flatten().flatten().as_deref(),
            Some(&b"{}"[..])
        );
        assert_eq!(
            read_body(&mut r).ok().flatten().flatten().as_deref(),
            Some(&b"\xff\xfe!"[..])
        );
        assert!(matches!(read_body(&mut r), Ok(None)));
        // A body over the limit is read past, not kept.
        let over = format!("Content-Length: {}\r\n\r\nabc", MAX_BODY + 1);
        let mut r = std::io::BufReader::new(over.as_bytes());
        assert!(matches!(read_body(&mut r), Ok(None)));
    }
}
