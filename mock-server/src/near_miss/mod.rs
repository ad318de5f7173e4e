//! Near-miss reports for unmatched requests, as WireMock gives them: a request that matches no
//! route of its service is answered 404 in the protocol's own error envelope, with a detail that
//! names the closest routes and what did not match (method, path segments, missing keys); the
//! same report is stored in the request's journal entry (`near_miss`).
//!
//! Closeness is an edit distance over path segments: inserting or deleting a segment costs 1,
//! replacing one costs twice its normalised character edit distance (so a typo such as
//! `histroy` is close and an unrelated word costs as much as a deletion plus an insertion), a
//! `{param}` segment matches any non-empty segment for 0.3 (a literal match wins), and another
//! method adds ½. The routes within ¼ of the closest are named, at most three.

mod tables;

use serde::Serialize;
use serde_json::{Map, Value};

pub(crate) use tables::{CRM, PBX, ROP};

/// One route of a service: method, path pattern (`{name}` matches one segment) and the keys
/// (query or body fields) it needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    /// `GET`, `POST`, … (`*` for any).
    pub(crate) method: &'static str,
    /// The path, `{name}` for a path parameter.
    pub(crate) path: &'static str,
    /// Whether any path that ends in `path` is this route (the legacy `*.wcgp` and Universe
    /// endpoints are served under any prefix).
    pub(crate) suffix: bool,
    /// Keys the request needs in its query or body (`cmd`, `apiKey`, …).
    pub(crate) keys: &'static [&'static str],
}

/// What one close route did not match.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Candidate {
    /// `METHOD path` of the route.
    pub(crate) route: String,
    /// What did not match: `method GET (route: POST)`, `segment "histroy" (route: "history")`,
    /// `missing segment "json"`, `missing key "cmd"`.
    pub(crate) mismatch: Vec<String>,
}

/// The report on one unmatched request.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct NearMiss {
    /// The one-line detail the 404 carries.
    pub(crate) detail: String,
    /// The closest routes, closest first.
    pub(crate) closest: Vec<Candidate>,
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn is_param(s: &str) -> bool {
    s.starts_with('{') && s.ends_with('}')
}

/// Character edit distance (Levenshtein) of two segments.
fn chars_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The cost of replacing request segment `got` by route segment `want` (0 ≤ cost ≤ 2).
fn replace_cost(got: &str, want: &str) -> f64 {
    if is_param(want) {
        // A little, so that a literal route beats reading a word as a parameter.
        return if got.is_empty() { 1.0 } else { 0.3 };
    }
    let longest = got.chars().count().max(want.chars().count()).max(1);
    let d = chars_distance(&got.to_lowercase(), &want.to_lowercase()) as f64;
    2.0 * d / longest as f64
}

/// Segment edit distance of a request path and a route pattern, with the mismatches of the
/// cheapest alignment.
fn path_distance(got: &[&str], want: &[&str]) -> (f64, Vec<String>) {
    let (n, m) = (got.len(), want.len());
    let mut cost = vec![vec![0.0f64; m + 1]; n + 1];
    for (i, row) in cost.iter_mut().enumerate() {
        row[0] = i as f64;
    }
    for (j, c) in cost[0].iter_mut().enumerate() {
        *c = j as f64;
    }
    for i in 1..=n {
        for j in 1..=m {
            let replace = cost[i - 1][j - 1] + replace_cost(got[i - 1], want[j - 1]);
            cost[i][j] = replace.min(cost[i - 1][j] + 1.0).min(cost[i][j - 1] + 1.0);
        }
    }
    // Walk back to name the differences, in path order.
    let (mut i, mut j, mut notes) = (n, m, Vec::new());
    while i > 0 || j > 0 {
        let here = cost[i][j];
        if i > 0 && j > 0 {
            let r = replace_cost(got[i - 1], want[j - 1]);
            if (cost[i - 1][j - 1] + r - here).abs() < 1e-9 {
                if r > 0.0 && !is_param(want[j - 1]) {
                    notes.push(format!(
                        "segment {:?} (route: {:?})",
                        got[i - 1],
                        want[j - 1]
                    ));
                }
                i -= 1;
                j -= 1;
                continue;
            }
        }
        if j > 0 && (cost[i][j - 1] + 1.0 - here).abs() < 1e-9 {
            notes.push(format!("missing segment {:?}", want[j - 1]));
            j -= 1;
        } else {
            notes.push(format!("extra segment {:?}", got[i - 1]));
            i -= 1;
        }
    }
    notes.reverse();
    (cost[n][m], notes)
}

impl Route {
    /// Whether `path` is this route's path (any method).
    pub(crate) fn matches_path(&self, path: &str) -> bool {
        let want = segments(self.path);
        let got = segments(path);
        let got = if self.suffix && got.len() > want.len() {
            &got[got.len() - want.len()..]
        } else {
            &got[..]
        };
        got.len() == want.len()
            && got
                .iter()
                .zip(&want)
                .all(|(g, w)| (is_param(w) && !g.is_empty()) || g == w)
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Whether any route of `table` has this path (so a 404 there is about a resource, not a
/// route).
pub(crate) fn is_routed(table: &[Route], path: &str) -> bool {
    table.iter().any(|r| r.matches_path(path))
}

/// The keys a request carries: its query's and its body's (JSON object or form fields).
fn present_keys(query: &Map<String, Value>, body: &[u8]) -> Vec<String> {
    let mut keys: Vec<String> = query.keys().cloned().collect();
    if let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(body) {
        keys.extend(o.keys().cloned());
    } else {
        keys.extend(url::form_urlencoded::parse(body).map(|(k, _)| k.into_owned()));
    }
    keys
}

/// Diagnoses a request that matched no route of `table`: the closest routes (those within ¼
/// of the best, at most three) and what each did not match.
pub(crate) fn diagnose(
    table: &[Route],
    method: &str,
    path: &str,
    query: &Map<String, Value>,
    body: &[u8],
) -> NearMiss {
    let got = segments(path);
    let present = present_keys(query, body);
    let mut scored: Vec<(f64, usize, Candidate)> = table
        .iter()
        .enumerate()
        .map(|(order, r)| {
            let want = segments(r.path);
            let tail = if r.suffix && got.len() > want.len() {
                &got[got.len() - want.len()..]
            } else {
                &got[..]
            };
            let (mut score, mut mismatch) = path_distance(tail, &want);
            if r.method != "*" && !r.method.eq_ignore_ascii_case(method) {
                score += 0.5;
                mismatch.insert(0, format!("method {method} (route: {})", r.method));
            }
            for k in r.keys {
                if !present.iter().any(|p| p == k) {
                    mismatch.push(format!("missing key {k:?}"));
                }
            }
            let candidate = Candidate {
                route: r.name(),
                mismatch,
            };
            (score, order, candidate)
        })
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let best = scored.first().map_or(0.0, |s| s.0);
    let closest: Vec<Candidate> = scored
        .into_iter()
        .take_while(|(score, _, _)| *score <= best + 0.25)
        .take(3)
        .map(|(_, _, c)| c)
        .collect();
    let listed: Vec<String> = closest
        .iter()
        .map(|c| {
            if c.mismatch.is_empty() {
                c.route.clone()
            } else {
                format!("{} ({})", c.route, c.mismatch.join("; "))
            }
        })
        .collect();
    let detail = if listed.is_empty() {
        format!("no route {method} {path}")
    } else {
        format!("no route {method} {path}; closest: {}", listed.join(", "))
    };
    NearMiss { detail, closest }
}

/// Writes the report into a 404's JSON body, keeping the protocol's envelope: the envelope's
/// `message` when it has one (ROP, Universe), else `detail` beside its `error` (PBX, sinks).
/// A body that is not a JSON object becomes `{"error":"Not found","detail":…}`.
pub(crate) fn annotate(body: &[u8], report: &NearMiss) -> Vec<u8> {
    let mut object = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => o,
        _ => {
            let mut o = Map::new();
            o.insert("error".into(), "Not found".into());
            o
        }
    };
    let key = if object.contains_key("message") {
        "message"
    } else {
        "detail"
    };
    object.insert(key.into(), Value::String(report.detail.clone()));
    serde_json::to_vec(&Value::Object(object)).unwrap_or_else(|_| body.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(table: &[Route], method: &str, path: &str) -> NearMiss {
        diagnose(table, method, path, &Map::new(), b"")
    }

    #[test]
    fn history_without_a_format_names_json_and_csv() {
        let d = diag(PBX, "GET", "/crmapi/v1/history");
        let routes: Vec<&str> = d.closest.iter().map(|c| c.route.as_str()).collect();
        assert_eq!(
            routes,
            ["GET /crmapi/v1/history/json", "GET /crmapi/v1/history/csv"]
        );
        assert!(
            d.detail.starts_with(
                "no route GET /crmapi/v1/history; closest: GET /crmapi/v1/history/json (missing segment \"json\")"
            ),
            "{}",
            d.detail
        );
    }

    #[test]
    fn a_typo_and_a_wrong_method_are_named() {
        let d = diag(PBX, "GET", "/crmapi/v1/histroy/json");
        assert_eq!(d.closest[0].route, "GET /crmapi/v1/history/json");
        assert_eq!(
            d.closest[0].mismatch,
            ["segment \"histroy\" (route: \"history\")"]
        );
        let d = diag(PBX, "GET", "/crmapi/v1/makecal");
        assert_eq!(d.closest[0].route, "POST /crmapi/v1/makecall");
        assert_eq!(d.closest[0].mismatch[0], "method GET (route: POST)");
    }

    #[test]
    fn parameters_match_any_segment_and_suffix_routes_any_prefix() {
        assert!(is_routed(PBX, "/crmapi/v1/users/admin/dnd"));
        assert!(!is_routed(PBX, "/crmapi/v1/users/admin/dnd/x"));
        assert!(is_routed(PBX, "/any/prefix/sys/crm_api.wcgp"));
        assert!(is_routed(CRM, "/crm/analytics"));
        assert!(!is_routed(ROP, "/api/v1/call"));
    }

    #[test]
    fn missing_keys_are_named() {
        let d = diagnose(
            ROP,
            "POST",
            "/api/v1/call",
            &Map::new(),
            br#"{"call_id":"1"}"#,
        );
        assert_eq!(d.closest[0].route, "POST /api/v1/calls");
        assert_eq!(
            d.closest[0].mismatch,
            [
                "segment \"call\" (route: \"calls\")",
                "missing key \"apiKey\""
            ],
            "{d:?}"
        );
    }

    #[test]
    fn the_envelope_is_kept() {
        let d = diag(PBX, "GET", "/crmapi/v1/history");
        let pbx: Value =
            serde_json::from_slice(&annotate(br#"{"error":"Not found"}"#, &d)).unwrap();
        assert_eq!(
            (pbx["error"].as_str(), pbx["detail"].as_str()),
            (Some("Not found"), Some(d.detail.as_str()))
        );
        let rop: Value = serde_json::from_slice(&annotate(
            br#"{"data":false,"error":true,"message":"x"}"#,
            &d,
        ))
        .unwrap();
        assert_eq!(
            (rop["error"].as_bool(), rop["message"].as_str()),
            (Some(true), Some(d.detail.as_str()))
        );
    }
}
