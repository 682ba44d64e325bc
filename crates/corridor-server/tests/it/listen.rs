//! `serve` over real sockets: connections that send nothing, trickle or sit idle are closed in
//! bounded time (with limits shortened for the test), and the answer still comes.

use super::state;
use corridor_server::{serve, ServeConfig};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

const SHORT: ServeConfig = ServeConfig {
    header_read_timeout: Duration::from_millis(400),
    request_timeout: Duration::from_millis(800),
    idle_timeout: Duration::from_secs(2),
};

/// A server with `config` on a free loopback port, running until the test's runtime ends.
async fn start(config: ServeConfig) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(serve(listener, state(), config, std::future::pending()));
    address
}

/// Connects, sends `first`, and reads until the server closes: what it answered, and how long the
/// connection stayed open. Panics if it is still open after 10 s.
async fn talk(address: SocketAddr, first: &'static [u8]) -> (String, Duration) {
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let mut stream = TcpStream::connect(address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        stream.write_all(first).expect("write");
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
                Err(e) => panic!("the server kept the connection open: {e}"),
            }
        }
        (
            String::from_utf8_lossy(&answer).into_owned(),
            started.elapsed(),
        )
    })
    .await
    .expect("client thread")
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let address = start(SHORT).await;
    let (answer, open) = talk(address, b"").await;
    assert!(!answer.contains("200 OK"), "{answer}");
    assert!(
        open >= Duration::from_millis(300) && open < Duration::from_secs(3),
        "{open:?}"
    );
}

#[tokio::test]
async fn a_request_head_trickled_in_halfway_is_closed_after_the_header_timeout() {
    let address = start(SHORT).await;
    let (answer, open) = talk(address, b"GET /api/health HTTP/1.1\r\nHost: local").await;
    assert!(!answer.contains("200 OK"), "{answer}");
    assert!(open < Duration::from_secs(3), "{open:?}");
}

#[tokio::test]
async fn a_kept_alive_connection_is_answered_then_closed_when_idle() {
    let address = start(SHORT).await;
    let (answer, open) = talk(
        address,
        b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.ends_with(r#"{"status":"ok"}"#), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("content-security-policy: default-src 'self'"),
        "{answer}"
    );
    assert!(open < Duration::from_secs(3), "{open:?}");
}

#[tokio::test]
async fn a_body_that_stops_arriving_gets_408_and_the_connection_closes() {
    let address = start(SHORT).await;
    let (answer, open) = talk(
        address,
        b"POST /api/solve HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{\"scenario\":",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":"timeout""#), "{answer}");
    assert!(answer.contains("x-frame-options: DENY"), "{answer}");
    assert!(open < Duration::from_secs(4), "{open:?}");
}

#[test]
fn corridor_serve_uses_the_documented_limits() {
    let config = ServeConfig::default();
    assert_eq!(config.header_read_timeout, Duration::from_secs(10));
    assert_eq!(config.request_timeout, Duration::from_secs(30));
    assert_eq!(config.idle_timeout, Duration::from_secs(30));
}
