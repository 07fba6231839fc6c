use super::*;

fn post(url: &str, key: &str, token: Option<&str>, body: &[u8]) -> u16 {
    let client = reqwest::blocking::Client::new();
    let mut request = client
        .post(url)
        .header(IDEMPOTENCY_HEADER, key)
        .body(body.to_vec());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().map_or(0, |answer| answer.status().as_u16())
}

#[test]
fn the_token_comes_first_and_a_key_never_becomes_a_path() {
    let work = tempfile::tempdir().expect("folder");
    let store = work.path().join("store");
    let receiver =
        Receiver::start("127.0.0.1:0", &store, Some("right".to_owned())).expect("receiver");
    let base = format!("http://{}", receiver.address());
    let status = serde_json::json!({ "anything": true }).to_string();
    for path in ["/status", "/incidents", "/protocols"] {
        let url = format!("{base}{path}");
        assert_eq!(post(&url, "k1", None, status.as_bytes()), 401, "{path}");
        assert_eq!(
            post(&url, "k1", Some("wrong"), status.as_bytes()),
            401,
            "{path}"
        );
        assert_eq!(
            post(&url, "../../escaped", Some("right"), status.as_bytes()),
            400,
            "{path}"
        );
    }
    assert!(!work.path().join("escaped.json").exists());
    assert!(!work.path().join("escaped.txt").exists());
    let stored: Vec<_> = std::fs::read_dir(&store).expect("store").collect();
    assert!(stored.is_empty(), "nothing stored: {stored:?}");
}

#[test]
fn an_oversized_request_is_refused_without_being_read() {
    let work = tempfile::tempdir().expect("folder");
    let receiver = Receiver::start("127.0.0.1:0", work.path(), None).expect("receiver");
    let url = format!("http://{}/protocols", receiver.address());
    let client = reqwest::blocking::Client::new();
    let long_header = "x".repeat(MAX_LINE as usize + 10);
    let answer = client
        .post(&url)
        .header("X-Long", long_header)
        .body("{}")
        .send()
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 413);
    let mut stream = TcpStream::connect(receiver.address()).expect("connects");
    write!(
        stream,
        "POST /protocols HTTP/1.1\r\nIdempotency-Key: k\r\nContent-Length: {}\r\n\r\n",
        MAX_BODY + 1
    )
    .expect("sent");
    let mut said = String::new();
    stream.read_to_string(&mut said).expect("answer");
    assert!(said.starts_with("HTTP/1.1 413"), "{said}");
}

#[test]
fn secrets_are_compared_whole() {
    assert!(same_secret(b"Bearer right", b"Bearer right"));
    assert!(!same_secret(b"Bearer righ", b"Bearer right"));
    assert!(!same_secret(b"Bearer rightt", b"Bearer right"));
    assert!(!same_secret(b"", b"Bearer right"));
}
