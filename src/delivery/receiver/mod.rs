//! A reference receiver for short protocols, as `docs/baatzh.md` describes one: it stores
//! what it receives, refuses a second copy of a key, and can be told to misbehave (answer
//! 500, throttle with 429 and `Retry-After`, stall, or reset the connection) for a number of
//! requests. Tests run it for real on 127.0.0.1; `hattama receiver` runs it by hand.
//!
//! Plain HTTP/1.1 over std's TCP, one thread per connection, `Connection: close`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::{IDEMPOTENCY_HEADER, ProtocolPayload};
use crate::digest::hex;
use crate::lock::Locked;

/// How the receiver answers the next requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Healthy,
    /// HTTP 500.
    Fail,
    /// HTTP 429 with `Retry-After: seconds`.
    Throttle(u64),
    /// No answer for this long (past a client's timeout), then 503.
    Stall(Duration),
    /// The connection closed without an answer.
    Reset,
}

struct State {
    mode: Mode,
    /// Requests left before the mode returns to healthy.
    left: u32,
    /// Every key received, with its receipt.
    keys: HashMap<String, String>,
    /// Requests seen, in order.
    log: Vec<Seen>,
}

/// One request as the receiver saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub key: String,
    /// The status answered; 0 for a connection reset.
    pub status: u16,
    pub at: std::time::Instant,
}

pub struct Receiver {
    address: SocketAddr,
    folder: PathBuf,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Receiver {
    /// Listens on `address` (port 0: any free one), storing into `folder`; keys already
    /// stored there are known (a restarted receiver still refuses them).
    pub fn start(address: &str, folder: &Path, token: Option<String>) -> std::io::Result<Receiver> {
        std::fs::create_dir_all(folder)?;
        let mut keys = HashMap::new();
        for entry in std::fs::read_dir(folder)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(key) = name.strip_suffix(".json") {
                keys.insert(key.to_owned(), receipt_of(key));
            }
        }
        let listener = TcpListener::bind(address)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            mode: Mode::Healthy,
            left: 0,
            keys,
            log: Vec::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let serving = Arc::new(AtomicUsize::new(0));
        let thread = {
            let (state, stop, folder) = (state.clone(), stop.clone(), folder.to_owned());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            // At most MAX_CONNECTIONS served at once; the rest are told so.
                            let Some(slot) = Slot::take(&serving) else {
                                let _ = stream.set_nonblocking(false);
                                let _ = answer(
                                    &stream,
                                    503,
                                    "Retry-After: 1\r\n",
                                    &serde_json::json!({ "error": "too many connections" }),
                                );
                                continue;
                            };
                            let (state, folder, token) =
                                (state.clone(), folder.clone(), token.clone());
                            std::thread::spawn(move || {
                                let _slot = slot;
                                let _ = serve(stream, &state, &folder, token.as_deref());
                            });
                        }
                        Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Ok(Receiver {
            address,
            folder: folder.to_owned(),
            state,
            stop,
            thread: Some(thread),
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URL protocols are posted to.
    pub fn url(&self) -> String {
        format!("http://{}/protocols", self.address)
    }

    /// Answers the next `count` requests this way.
    pub fn misbehave(&self, mode: Mode, count: u32) {
        let mut state = self.state.locked();
        state.mode = mode;
        state.left = count;
    }

    /// How many more requests will be answered by the misbehaviour set last.
    pub fn misbehaving_for(&self) -> u32 {
        self.state.locked().left
    }

    /// Every request seen, in order.
    pub fn log(&self) -> Vec<Seen> {
        self.state.locked().log.clone()
    }

    /// The protocols received, by key: exactly the text sent.
    pub fn received(&self) -> HashMap<String, String> {
        let keys: Vec<String> = self.state.locked().keys.keys().cloned().collect();
        keys.into_iter()
            .filter_map(|key| {
                let text = std::fs::read_to_string(self.folder.join(format!("{key}.txt"))).ok()?;
                Some((key, text))
            })
            .collect()
    }

    /// Stops listening (connections being served finish).
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Connections served at once; a real server's limit, so a flood cannot take every thread.
const MAX_CONNECTIONS: usize = 64;
/// The request line and each header; the headers in all; the body.
const MAX_LINE: u64 = 8 << 10;
const MAX_HEADERS: usize = 100;
const MAX_BODY: usize = 16 << 20;

/// One of the connections served at once, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(serving: &Arc<AtomicUsize>) -> Option<Slot> {
        serving
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < MAX_CONNECTIONS).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(serving.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Compares a secret in time that does not depend on where the first difference is.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    let differs = given
        .iter()
        .zip(expected)
        .fold(0u8, |differs, (a, b)| differs | (a ^ b));
    given.len() == expected.len() && differs == 0
}

/// An idempotency key is a name of up to 200 of `[A-Za-z0-9_-]`: never a path.
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn receipt_of(key: &str) -> String {
    format!("R-{}", &hex(&Sha256::digest(key.as_bytes()))[..16])
}

struct Request {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// A request too large to be read (a line, the headers or the body past their limits).
fn too_large(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{what} too large"))
}

fn read_line_bounded(reader: &mut BufReader<&TcpStream>) -> std::io::Result<String> {
    let mut line = String::new();
    reader.by_ref().take(MAX_LINE).read_line(&mut line)?;
    if line.len() as u64 >= MAX_LINE && !line.ends_with('\n') {
        return Err(too_large("a line"));
    }
    Ok(line)
}

fn read_request(stream: &TcpStream) -> std::io::Result<Request> {
    let mut reader = BufReader::new(stream);
    let line = read_line_bounded(&mut reader)?;
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or("").to_owned();
    let path = words.next().unwrap_or("").to_owned();
    let mut headers = HashMap::new();
    loop {
        let header = read_line_bounded(&mut reader)?;
        if header.trim().is_empty() {
            break;
        }
        if headers.len() >= MAX_HEADERS {
            return Err(too_large("the headers"));
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return Err(too_large("the body"));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Request {
        method,
        path,
        headers,
        body,
    })
}

fn answer(
    mut stream: &TcpStream,
    status: u16,
    extra: &str,
    body: &serde_json::Value,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let body = body.to_string();
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

fn serve(
    stream: TcpStream,
    state: &Mutex<State>,
    folder: &Path,
    token: Option<&str>,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let request = match read_request(&stream) {
        Ok(request) => request,
        Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
            return answer(
                &stream,
                413,
                "",
                &serde_json::json!({ "error": error.to_string() }),
            );
        }
        Err(error) => return Err(error),
    };
    let key = request
        .headers
        .get(&IDEMPOTENCY_HEADER.to_ascii_lowercase())
        .cloned()
        .unwrap_or_default();
    if request.method == "GET" && request.path == "/health" {
        return answer(&stream, 200, "", &serde_json::json!({ "ok": true }));
    }
    // The token before anything else is looked at, and the key before it is used.
    if let Some(token) = token {
        let given = request
            .headers
            .get("authorization")
            .map_or(&b""[..], |value| value.as_bytes());
        if !same_secret(given, format!("Bearer {token}").as_bytes()) {
            return answer(
                &stream,
                401,
                "",
                &serde_json::json!({ "error": "wrong or missing token" }),
            );
        }
    }
    let known = ["/protocols", "/status", "/incidents"].contains(&request.path.as_str());
    if request.method != "POST" || !known {
        return answer(
            &stream,
            404,
            "",
            &serde_json::json!({ "error": "POST /protocols, /status or /incidents only" }),
        );
    }
    if !valid_key(&key) {
        return answer(
            &stream,
            400,
            "",
            &serde_json::json!({ "error": "Idempotency-Key missing or not [A-Za-z0-9_-]{1,200}" }),
        );
    }
    // Misbehaving first, as a real server in trouble would.
    let mode = {
        let mut state = state.locked();
        let mode = if state.left > 0 {
            state.left -= 1;
            state.mode
        } else {
            Mode::Healthy
        };
        let logged = match mode {
            Mode::Healthy => None,
            Mode::Fail => Some(500),
            Mode::Throttle(_) => Some(429),
            Mode::Stall(_) => Some(503),
            Mode::Reset => Some(0),
        };
        if let Some(status) = logged {
            state.log.push(Seen {
                key: key.clone(),
                status,
                at: std::time::Instant::now(),
            });
        }
        mode
    };
    match mode {
        Mode::Healthy => {}
        Mode::Fail => {
            return answer(
                &stream,
                500,
                "",
                &serde_json::json!({ "error": "told to fail" }),
            );
        }
        Mode::Throttle(seconds) => {
            return answer(
                &stream,
                429,
                &format!("Retry-After: {seconds}\r\n"),
                &serde_json::json!({ "error": "slow down" }),
            );
        }
        Mode::Stall(time) => {
            std::thread::sleep(time);
            return answer(&stream, 503, "", &serde_json::json!({ "error": "stalled" }));
        }
        Mode::Reset => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return Ok(());
        }
    }
    let (status, body) = accept(&request, &key, state, folder);
    state.locked().log.push(Seen {
        key,
        status,
        at: std::time::Instant::now(),
    });
    answer(&stream, status, "", &body)
}

/// A hall's status (docs/hall-status.md) or an incident's notice (`T`): kept as `latest`
/// and under its key; a key seen before is a duplicate.
fn accept_kept<T: serde::de::DeserializeOwned>(
    request: &Request,
    key: &str,
    state: &Mutex<State>,
    folder: &Path,
    latest: &str,
) -> (u16, serde_json::Value) {
    let refuse = |status, error: &str| (status, serde_json::json!({ "error": error }));
    if let Err(error) = serde_json::from_slice::<T>(&request.body) {
        return refuse(422, &format!("not what {} takes: {error}", request.path));
    }
    let mut state = state.locked();
    if state.keys.contains_key(key) {
        return (409, serde_json::json!({ "duplicate": true }));
    }
    let stored = crate::paths::write_atomically(&folder.join(format!("{key}.json")), &request.body)
        .and_then(|()| crate::paths::write_atomically(&folder.join(latest), &request.body));
    if let Err(error) = stored {
        return refuse(500, &format!("cannot store: {error}"));
    }
    let receipt = receipt_of(key);
    state.keys.insert(key.to_owned(), receipt.clone());
    (201, serde_json::json!({ "receipt": receipt }))
}

/// What the contract says of one healthy request.
fn accept(
    request: &Request,
    key: &str,
    state: &Mutex<State>,
    folder: &Path,
) -> (u16, serde_json::Value) {
    let refuse = |status, error: &str| (status, serde_json::json!({ "error": error }));
    if request.method == "POST" && request.path == "/status" {
        return accept_kept::<super::status::Published>(request, key, state, folder, "status.json");
    }
    if request.method == "POST" && request.path == "/incidents" {
        return accept_kept::<super::notify::Notice>(request, key, state, folder, "incident.json");
    }
    // What is left is POST /protocols: `serve` answered every other path with 404.
    let payload: ProtocolPayload = match serde_json::from_slice(&request.body) {
        Ok(payload) => payload,
        Err(error) => return refuse(422, &format!("not a protocol payload: {error}")),
    };
    if hex(&Sha256::digest(payload.protocol_text.as_bytes())) != payload.protocol_sha256 {
        return refuse(422, "protocol_sha256 is not the SHA-256 of protocol_text");
    }
    let mut state = state.locked();
    if let Some(receipt) = state.keys.get(key) {
        return (
            409,
            serde_json::json!({ "receipt": receipt, "duplicate": true }),
        );
    }
    let receipt = receipt_of(key);
    let stored = crate::paths::write_atomically(
        &folder.join(format!("{key}.txt")),
        payload.protocol_text.as_bytes(),
    )
    .and_then(|()| {
        crate::paths::write_atomically(&folder.join(format!("{key}.json")), &request.body)
    });
    if let Err(error) = stored {
        return refuse(500, &format!("cannot store: {error}"));
    }
    state.keys.insert(key.to_owned(), receipt.clone());
    (201, serde_json::json!({ "receipt": receipt }))
}

#[cfg(test)]
mod tests;
