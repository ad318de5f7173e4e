//! The QA dashboard in a real headless Chromium, driven over the DevTools protocol: load the
//! PBX page, click "Simulate call", see the call and its pushes appear; add a fault rule from
//! the page and remove it again; journal data that look like markup stay text.
//!
//! Needs Chromium (`apt-get install -y chromium`, or `CHROMIUM=/path/to/chrome`); `.ci/run`
//! installs it and runs this test with `--ignored`.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{get_json, http, start};

/// The whole test's bound.
const BOUND: Duration = Duration::from_secs(90);

fn chromium() -> Option<String> {
    if let Ok(path) = std::env::var("CHROMIUM") {
        return Some(path);
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())
    .map(str::to_owned)
}

/// The browser process and its profile directory; both go when this drops.
struct Browser {
    child: Child,
    profile: std::path::PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Starts headless Chromium with a fresh profile; its DevTools WebSocket URL.
fn launch(binary: &str) -> (Browser, String) {
    let profile = std::env::temp_dir().join(format!(
        "mock-dashboard-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir_all(&profile).unwrap();
    let mut child = Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let browser = Browser { child, profile };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(url) = line.strip_prefix("DevTools listening on ") {
                let _ = tx.send(url.trim().to_owned());
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("Chromium printed no DevTools URL within 30 s");
    (browser, url)
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A DevTools session on one page.
struct Page {
    ws: Socket,
    session: String,
    next_id: u64,
}

async fn call(
    ws: &mut Socket,
    id: u64,
    session: Option<&str>,
    method: &str,
    params: Value,
) -> Value {
    let mut msg = json!({"id": id, "method": method, "params": params});
    if let Some(s) = session {
        msg["sessionId"] = json!(s);
    }
    ws.send(Message::text(msg.to_string())).await.unwrap();
    while let Some(frame) = ws.next().await {
        let Ok(Message::Text(text)) = frame else {
            continue;
        };
        let v: Value = serde_json::from_str(text.as_str()).unwrap();
        if v["id"] == id {
            assert!(v.get("error").is_none(), "{method}: {v}");
            return v["result"].clone();
        }
    }
    panic!("DevTools closed during {method}");
}

impl Page {
    async fn open(browser_ws: &str, url: &str) -> Self {
        let (mut ws, _) = tokio_tungstenite::connect_async(browser_ws).await.unwrap();
        let target = call(&mut ws, 1, None, "Target.createTarget", json!({"url": url})).await;
        let attached = call(
            &mut ws,
            2,
            None,
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        )
        .await;
        let session = attached["sessionId"].as_str().unwrap().to_owned();
        Self {
            ws,
            session,
            next_id: 3,
        }
    }

    async fn send(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        call(
            &mut self.ws,
            self.next_id,
            Some(&self.session),
            method,
            params,
        )
        .await
    }

    /// Evaluates `expr` in the page; its JSON value.
    async fn eval(&mut self, expr: &str) -> Value {
        let r = self
            .send(
                "Runtime.evaluate",
                json!({"expression": expr, "returnByValue": true}),
            )
            .await;
        r["result"]["value"].clone()
    }

    /// Polls `expr` until it is `true` (at most `secs` seconds).
    async fn until(&mut self, expr: &str, secs: u64, what: &str) {
        for _ in 0..secs * 10 {
            if self.eval(expr).await == json!(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let dom = self.eval("document.body.innerText").await;
        panic!("{what}: not seen within {secs} s; page text:\n{dom}");
    }

    /// A real mouse click in the middle of the element with this id.
    async fn click(&mut self, id: &str) {
        let rect = self
            .eval(&format!(
                "(() => {{ const e = document.getElementById('{id}'); e.scrollIntoView({{block: 'center'}}); \
                 const r = e.getBoundingClientRect(); return {{x: r.x + r.width / 2, y: r.y + r.height / 2}}; }})()"
            ))
            .await;
        for kind in ["mousePressed", "mouseReleased"] {
            self.send(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": rect["x"], "y": rect["y"], "button": "left", "clickCount": 1}),
            )
            .await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium: apt-get install -y chromium (or CHROMIUM=path); .ci/run runs it with --ignored"]
async fn dashboard_in_a_real_browser_simulates_a_call_shows_its_pushes_and_edits_fault_rules() {
    let Some(binary) = chromium() else {
        eprintln!(
            "NOTE: browser test skipped: no Chromium at /usr/bin/chromium (install it with \
             `apt-get install -y chromium` or set CHROMIUM)"
        );
        return;
    };
    tokio::time::timeout(BOUND, run(&binary))
        .await
        .expect("the browser test took longer than its bound");
}

async fn run(binary: &str) {
    let m = start().await;
    // A journal entry whose body looks like markup: it must stay text in the page.
    http()
        .post(format!("{}/crmapi/v1/makecall", m.pbx_url()))
        .body("<img src=x id=injected onerror=\"window.pwned=1\">")
        .send()
        .await
        .unwrap();

    let (_browser, devtools) = launch(binary);
    let mut page = Page::open(&devtools, &format!("{}/__admin/", m.pbx_url())).await;
    page.until(
        "document.getElementById('service').textContent === 'PBX' && \
         !document.getElementById('pbx-section').hidden",
        20,
        "the PBX dashboard",
    )
    .await;
    page.until(
        "document.getElementById('journal').textContent.includes('<img src=x')",
        10,
        "the journal entry as text",
    )
    .await;
    assert_eq!(
        page.eval("document.querySelectorAll('#injected, #journal img').length")
            .await,
        json!(0)
    );
    assert_eq!(page.eval("window.pwned === undefined").await, json!(true));

    page.eval("document.querySelector('#simulate-form [name=outcome]').value = 'answered'")
        .await;
    page.click("simulate").await;

    page.until(
        "document.getElementById('simulate-result').textContent.startsWith('call ')",
        20,
        "the simulation's answer",
    )
    .await;
    // The call appears with its pushes, each delivered (✔), ending with `history`.
    let sims = crate::support::wait_for(&format!("{}/__admin/calls", m.pbx_url()), |c| {
        c["items"].as_array().is_some_and(|a| a.len() == 1)
    })
    .await;
    let callid = sims["items"][0]["callid"].as_str().unwrap().to_owned();
    page.until(
        &format!(
            "(() => {{ const row = document.querySelector('#pbx-calls tr[data-callid=\"{callid}\"]'); \
             return !!row && row.textContent.includes('done') && row.textContent.includes('history') \
             && !row.textContent.includes('✘'); }})()"
        ),
        30,
        "the simulated call with its pushes",
    )
    .await;
    let steps = page
        .eval(&format!(
            "document.querySelector('#pbx-calls tr[data-callid=\"{callid}\"]').querySelectorAll('.step').length"
        ))
        .await;
    assert!(steps.as_u64().unwrap() >= 5, "{steps}");
    let result = page
        .eval("document.getElementById('simulate-result').textContent")
        .await;
    assert!(result.as_str().unwrap().contains(&callid), "{result}");
    // The pushes really reached the CRM.
    let sinks = get_json(&format!("{}/__admin/sinks", m.crm_url())).await;
    assert!(sinks.to_string().contains(&callid), "{sinks}");

    // A fault rule added from the page exists in the admin API, and its Remove button removes it.
    page.eval(
        "(() => { const f = document.getElementById('fault-form'); \
         f.elements.path.value = '/crmapi/v1/groups'; f.elements.status.value = '503'; })()",
    )
    .await;
    page.click("fault-add").await;
    page.until(
        "document.getElementById('faults').textContent.includes('/crmapi/v1/groups')",
        10,
        "the new fault rule",
    )
    .await;
    let faults = get_json(&format!("{}/__admin/faults", m.pbx_url())).await;
    assert_eq!(faults["items"][0]["path"], "/crmapi/v1/groups", "{faults}");
    page.eval("document.querySelector('#faults .fault-remove').id = 'remove-first'")
        .await;
    page.click("remove-first").await;
    page.until(
        "!document.getElementById('faults').textContent.includes('/crmapi/v1/groups')",
        10,
        "the fault rule removed",
    )
    .await;
    let faults = get_json(&format!("{}/__admin/faults", m.pbx_url())).await;
    assert_eq!(faults["items"], json!([]), "{faults}");
}
