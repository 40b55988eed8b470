//! The web application in a real browser: Debian's headless Chromium driven over WebDriver
//! (chromedriver). Screenshots of the main pages are written to `target/browser-screenshots/`.
//!
//! Needs `chromium` and `chromedriver` (Debian packages `chromium`, `chromium-driver`); set
//! `INTERSPACE_SKIP_BROWSER=1` to skip on a machine without them.

mod support;

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use interspace_server::{Config, router};
use serde_json::json;
use support::{CODER_PASSWORD, ENGINE, NOTE, server};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn tools_present() -> bool {
    let found =
        |name: &str| Command::new(name).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
    if found("chromedriver") && found("chromium") {
        return true;
    }
    assert!(
        std::env::var("INTERSPACE_SKIP_BROWSER").is_ok_and(|v| v == "1"),
        "chromium and chromedriver are needed for the browser tests: apt-get install -y chromium chromium-driver \
         (or set INTERSPACE_SKIP_BROWSER=1 to skip them)"
    );
    false
}

async fn browser() -> (Driver, Client) {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let profile = tempfile::tempdir().unwrap().keep();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1400,1000", format!("--user-data-dir={}", profile.display())]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(c) = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            // Finding an element waits up to 10 s for it: after a click that submits a form, the
            // next page may not have replaced the current one yet on a loaded machine.
            let wait = TimeoutConfiguration::new(None, None, Some(Duration::from_secs(10)));
            c.update_timeouts(wait).await.unwrap();
            return (driver, c);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url}");
}

async fn start(config: Config) -> (support::TestServer, String) {
    let s = server(config).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(s.state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (s, format!("http://{addr}"))
}

fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
}

async fn sign_in(c: &Client, base: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Css("input[name=username]")).await.unwrap().send_keys("casey").await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(CODER_PASSWORD).await.unwrap();
    click_and_load(c, c.find(Locator::Css("#login-form button")).await.unwrap()).await;
}

/// Clicks what submits a form or follows a link and waits until the next page has replaced this
/// one (the mark set on this page's window is gone) and has loaded.
async fn click_and_load(c: &Client, e: fantoccini::elements::Element) {
    c.execute("window.__interspace_old_page = true;", vec![]).await.unwrap();
    e.click().await.unwrap();
    for _ in 0..300 {
        let loaded = c
            .execute("return window.__interspace_old_page === undefined && document.readyState === 'complete';", vec![])
            .await;
        if loaded.is_ok_and(|v| v == json!(true)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no new page within 15 s of the click");
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn code_page_shows_every_section_with_the_pricers_figures() {
    if !tools_present() {
        return;
    }
    let (_s, base) = start(Config { public_reference: true, ..Config::default() }).await;
    let (_d, c) = browser().await;
    c.goto(&format!("{base}/codes/22633")).await.unwrap();
    for id in [
        "#description",
        "#payment",
        "#payment-chart svg",
        "#locality-picker",
        "#rvus",
        "#indicators",
        "#modifiers",
        "#documentation",
        "#denials",
        "#faq",
        "#related",
        "#sources",
    ] {
        assert!(c.find(Locator::Css(id)).await.is_ok(), "section {id} is missing");
    }
    let page = ENGINE.reference.code_page("22633", None, None, false).unwrap();
    let national = text(&c, "#national-facility").await;
    assert_eq!(national.replace(['$', ','], ""), page.national_facility.to_string());
    assert!(text(&c, "#sources h2").await.contains(&format!("{} sources", page.sources.len())));
    shot(&c, "code-22633").await;
    // The locality picker prices Alabama as the pricer does.
    c.find(Locator::Css("select[name=locality]")).await.unwrap().select_by_value("10112-00").await.unwrap();
    click_and_load(&c, c.find(Locator::Css("#locality-picker button")).await.unwrap()).await;
    let al = ENGINE.reference.code_page("22633", None, Some("10112-00"), false).unwrap();
    let shown = text(&c, "#locality-price").await.replace(['$', ','], "");
    assert!(shown.contains(&format!("facility {}", al.locality.unwrap().facility)), "{shown}");
    assert!(shown.contains("office not priced (NA)"), "22633 has no office price: {shown}");
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn clicking_a_cpt_line_shows_its_evidence_in_the_note() {
    if !tools_present() {
        return;
    }
    let (_s, base) = start(Config::default()).await;
    let (_d, c) = browser().await;
    sign_in(&c, &base).await;
    c.goto(&format!("{base}/analyze")).await.unwrap();
    c.execute("document.querySelector('textarea[name=note]').value = arguments[0];", vec![json!(NOTE)]).await.unwrap();
    click_and_load(&c, c.find(Locator::Css("#analyze-form button")).await.unwrap()).await;
    let lines = c.find_all(Locator::Css("tr.line")).await.unwrap();
    assert!(lines.len() >= 5, "{} lines", lines.len());
    assert!(text(&c, "#lines").await.contains("22633"));
    // Click the device line: its evidence is highlighted and scrolled into the note's view.
    let device =
        c.find(Locator::XPath("//tr[contains(@class,'line')][.//b[starts-with(text(),'22853')]]")).await.unwrap();
    device.click().await.unwrap();
    let on = c.find_all(Locator::Css("mark.ev.on")).await.unwrap();
    assert!(!on.is_empty(), "no evidence highlighted");
    let visible = c
        .execute(
            "const m = document.querySelector('mark.ev.on'); const box = document.getElementById('note').getBoundingClientRect(); \
             const r = m.getBoundingClientRect(); return r.top >= box.top && r.bottom <= box.bottom;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(visible, json!(true), "the evidence is not scrolled into view");
    let words = on[0].text().await.unwrap().to_lowercase();
    assert!(["cage", "interbody", "l4-5", "l5-s1", "peek"].iter().any(|w| words.contains(w)), "{words}");
    shot(&c, "analyze").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coder_works_a_case_to_final_and_sees_it_in_the_audit_trail() {
    if !tools_present() {
        return;
    }
    let (_s, base) = start(Config::default()).await;
    let (_d, c) = browser().await;
    sign_in(&c, &base).await;
    c.goto(&format!("{base}/cases")).await.unwrap();
    c.find(Locator::Css("#submit-form input[name=title]")).await.unwrap().send_keys("OR 4, case 2").await.unwrap();
    c.execute("document.querySelector('#submit-form textarea[name=note]').value = arguments[0];", vec![json!(NOTE)])
        .await
        .unwrap();
    click_and_load(&c, c.find(Locator::Css("#submit-form button")).await.unwrap()).await;
    assert_eq!(text(&c, "#case-status").await, "queued");
    click_and_load(&c, c.find(Locator::Css("#assign-me")).await.unwrap()).await;
    assert_eq!(text(&c, "#case-status").await, "in_progress");
    shot(&c, "case-open").await;
    // Decide every line: remove the first with a reason, accept the rest.
    let n = c.find_all(Locator::Css("form.decide")).await.unwrap().len();
    for i in 0..n {
        let forms = c.find_all(Locator::Css("form.decide")).await.unwrap();
        let form = &forms[i];
        if i == 0 {
            form.find(Locator::Css("select[name=action]")).await.unwrap().select_by_value("remove").await.unwrap();
            form.find(Locator::Css("input[name=reason]"))
                .await
                .unwrap()
                .send_keys("not supported by the narrative")
                .await
                .unwrap();
        }
        click_and_load(&c, form.find(Locator::Css("button")).await.unwrap()).await;
    }
    // Reload the case as it now stands before reading it.
    let url = c.current_url().await.unwrap();
    c.goto(url.as_str()).await.unwrap();
    let statuses: Vec<String> = {
        let mut v = Vec::new();
        for e in c.find_all(Locator::Css("#case-lines .line-status")).await.unwrap() {
            v.push(e.text().await.unwrap());
        }
        v
    };
    assert_eq!(statuses[0], "removed");
    assert!(statuses[1..].iter().all(|s| s == "accepted"), "{statuses:?}");
    click_and_load(&c, c.find(Locator::Css("#finalize button")).await.unwrap()).await;
    assert_eq!(text(&c, "#case-status").await, "finalized");
    let audit = text(&c, "#audit").await;
    for action in ["submit", "assign", "remove_line", "accept_line", "finalize", "read"] {
        assert!(audit.contains(action), "audit trail lacks {action}");
    }
    assert!(c.find(Locator::Css("a[href$='claim.json']")).await.is_ok());
    shot(&c, "case-final").await;
    c.goto(&format!("{base}/cases")).await.unwrap();
    assert!(text(&c, "#cases").await.contains("finalized"));
    shot(&c, "queue").await;
    c.close().await.unwrap();
}
