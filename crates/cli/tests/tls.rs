//! `interspace serve --tls-cert --tls-key` serves HTTPS with rustls: a self-signed certificate made
//! by the `openssl` command, the real binary, and `curl` as the client (Debian has both).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_interspace");

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether the command exists (it ran at all, whatever it answered).
fn have(tool: &str) -> bool {
    Command::new(tool).arg("version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

fn curl(args: &[&str]) -> (bool, String) {
    let out = Command::new("curl").args(["--silent", "--show-error", "--max-time", "5"]).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn self_signed(dir: &Path) {
    let status = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "openssl could not make a test certificate");
}

#[test]
fn serves_https_with_the_given_certificate() {
    assert!(have("openssl") && have("curl"), "this test needs the openssl and curl commands (Debian: openssl, curl)");
    let dir = tempfile::tempdir().unwrap();
    self_signed(dir.path());
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let db = format!("sqlite://{}", dir.path().join("queue.db").display());
    let _server = Server(
        Command::new(BIN)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db", &db, "--public-reference"])
            .arg("--tls-cert")
            .arg(dir.path().join("cert.pem"))
            .arg("--tls-key")
            .arg(dir.path().join("key.pem"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let cacert = dir.path().join("cert.pem");
    let cacert = cacert.to_str().unwrap();
    let https = format!("https://127.0.0.1:{port}");
    let started = Instant::now();
    let health = loop {
        let (ok, body) = curl(&["--cacert", cacert, &format!("{https}/healthz")]);
        if ok || started.elapsed() > Duration::from_secs(30) {
            break (ok, body);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(health.0, "no HTTPS answer from /healthz within 30 s");

    // The certificate verifies against itself as the CA, and a reference page is served over it.
    let (ok, page) = curl(&["--cacert", cacert, &format!("{https}/codes/22633")]);
    assert!(ok && page.contains("22633"), "the code page over HTTPS");

    // Plain HTTP on the same port gets no page: the server speaks TLS only.
    let (ok, page) = curl(&[&format!("http://127.0.0.1:{port}/codes/22633")]);
    assert!(!ok || !page.contains("22633"), "plain HTTP must not be served on the TLS port");

    // A client that does not trust the certificate refuses the connection.
    let (ok, _) = curl(&[&format!("{https}/healthz")]);
    assert!(!ok, "curl without --cacert must reject the self-signed certificate");
}
