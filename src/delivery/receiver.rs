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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::{IDEMPOTENCY_HEADER, ProtocolPayload};
use crate::digest::hex;

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
        let thread = {
            let (state, stop, folder) = (state.clone(), stop.clone(), folder.to_owned());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (state, folder, token) =
                                (state.clone(), folder.clone(), token.clone());
                            std::thread::spawn(move || {
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
        let mut state = self.state.lock().expect("receiver lock");
        state.mode = mode;
        state.left = count;
    }

    /// How many more requests will be answered by the misbehaviour set last.
    pub fn misbehaving_for(&self) -> u32 {
        self.state.lock().expect("receiver lock").left
    }

    /// Every request seen, in order.
    pub fn log(&self) -> Vec<Seen> {
        self.state.lock().expect("receiver lock").log.clone()
    }

    /// The protocols received, by key: exactly the text sent.
    pub fn received(&self) -> HashMap<String, String> {
        let keys: Vec<String> = self
            .state
            .lock()
            .expect("receiver lock")
            .keys
            .keys()
            .cloned()
            .collect();
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

fn receipt_of(key: &str) -> String {
    format!("R-{}", &hex(&Sha256::digest(key.as_bytes()))[..16])
}

struct Request {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

fn read_request(stream: &TcpStream) -> std::io::Result<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or("").to_owned();
    let path = words.next().unwrap_or("").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length.min(64 << 20)];
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
    let request = read_request(&stream)?;
    let key = request
        .headers
        .get(&IDEMPOTENCY_HEADER.to_ascii_lowercase())
        .cloned()
        .unwrap_or_default();
    if request.method == "GET" && request.path == "/health" {
        return answer(&stream, 200, "", &serde_json::json!({ "ok": true }));
    }
    // Misbehaving first, as a real server in trouble would.
    let mode = {
        let mut state = state.lock().expect("receiver lock");
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
    let (status, body) = accept(&request, &key, state, folder, token);
    state.lock().expect("receiver lock").log.push(Seen {
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
    let mut state = state.lock().expect("receiver lock");
    if key.is_empty() || state.keys.contains_key(key) {
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
    token: Option<&str>,
) -> (u16, serde_json::Value) {
    let refuse = |status, error: &str| (status, serde_json::json!({ "error": error }));
    if request.method == "POST" && request.path == "/status" {
        return accept_kept::<super::status::Published>(request, key, state, folder, "status.json");
    }
    if request.method == "POST" && request.path == "/incidents" {
        return accept_kept::<super::notify::Notice>(request, key, state, folder, "incident.json");
    }
    if request.method != "POST" || request.path != "/protocols" {
        return refuse(404, "POST /protocols, /status or /incidents only");
    }
    if let Some(token) = token {
        let given = request.headers.get("authorization").map(String::as_str);
        if given != Some(&format!("Bearer {token}")) {
            return refuse(401, "wrong or missing token");
        }
    }
    let safe = !key.is_empty()
        && key.len() <= 200
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !safe {
        return refuse(400, "Idempotency-Key missing or not [A-Za-z0-9_-]{1,200}");
    }
    let payload: ProtocolPayload = match serde_json::from_slice(&request.body) {
        Ok(payload) => payload,
        Err(error) => return refuse(422, &format!("not a protocol payload: {error}")),
    };
    if hex(&Sha256::digest(payload.protocol_text.as_bytes())) != payload.protocol_sha256 {
        return refuse(422, "protocol_sha256 is not the SHA-256 of protocol_text");
    }
    let mut state = state.lock().expect("receiver lock");
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
