//! The route tables of the three services, for near-miss reports (docs/protocol.md numbering).
//! Order breaks ties between equally close routes: the more used route first.

use super::Route;

const fn r(method: &'static str, path: &'static str) -> Route {
    Route {
        method,
        path,
        suffix: false,
        keys: &[],
    }
}

const fn keyed(method: &'static str, path: &'static str, keys: &'static [&'static str]) -> Route {
    Route {
        method,
        path,
        suffix: false,
        keys,
    }
}

const fn anywhere(
    method: &'static str,
    path: &'static str,
    keys: &'static [&'static str],
) -> Route {
    Route {
        method,
        path,
        suffix: true,
        keys,
    }
}

/// The PBX: `/crmapi/v1` (P1–P40), the legacy `*.wcgp` (L1–L3, L8, L9), recordings.
pub(crate) const PBX: &[Route] = &[
    r("GET", "/crmapi/v1/history/json"),
    r("GET", "/crmapi/v1/history/csv"),
    r("GET", "/crmapi/v1/history/inner/json"),
    r("GET", "/crmapi/v1/history/inner/csv"),
    r("POST", "/crmapi/v1/makecall"),
    r("GET", "/crmapi/v1/users"),
    r("POST", "/crmapi/v1/users"),
    r("GET", "/crmapi/v1/users/{login}"),
    r("PUT", "/crmapi/v1/users/{login}"),
    r("DELETE", "/crmapi/v1/users/{login}"),
    r("GET", "/crmapi/v1/users/{login}/groups"),
    r("GET", "/crmapi/v1/users/{login}/subscription"),
    r("POST", "/crmapi/v1/users/{login}/subscription"),
    r("DELETE", "/crmapi/v1/users/{login}/subscription"),
    r("GET", "/crmapi/v1/users/{login}/dnd"),
    r("POST", "/crmapi/v1/users/{login}/dnd"),
    r("DELETE", "/crmapi/v1/users/{login}/dnd"),
    r("GET", "/crmapi/v1/groups"),
    r("POST", "/crmapi/v1/groups"),
    r("GET", "/crmapi/v1/groups/{id}"),
    r("PUT", "/crmapi/v1/groups/{id}"),
    r("DELETE", "/crmapi/v1/groups/{id}"),
    r("POST", "/crmapi/v1/groups/{id}/users"),
    r("GET", "/crmapi/v1/telnums"),
    r("GET", "/crmapi/v1/telnums/{telnum}"),
    r("POST", "/crmapi/v1/telnums/{telnum}"),
    r("POST", "/crmapi/v1/telnums/{telnum}/enabled"),
    r("DELETE", "/crmapi/v1/telnums/{telnum}/enabled"),
    r("GET", "/crmapi/v1/sims"),
    r("GET", "/crmapi/v1/sims/{telnum}"),
    r("DELETE", "/crmapi/v1/sims/{telnum}"),
    r("POST", "/crmapi/v1/sims/{telnum}/user/{login}"),
    r("POST", "/crmapi/v1/sims/{telnum}/company"),
    r("POST", "/crmapi/v1/sims/{telnum}/disable"),
    r("GET", "/crmapi/v1/blacklist/telnums"),
    r("POST", "/crmapi/v1/blacklist/telnums"),
    r("DELETE", "/crmapi/v1/blacklist/telnums"),
    r("GET", "/crmapi/v1/blacklist/block-anonymous"),
    r("POST", "/crmapi/v1/blacklist/block-anonymous"),
    r("DELETE", "/crmapi/v1/blacklist/block-anonymous"),
    anywhere("POST", "/sys/crm_api.wcgp", &["cmd", "token"]),
    anywhere(
        "POST",
        "/sys/api_login.wcgp",
        &["crm_code", "login", "password", "crm_token", "url"],
    ),
    r("GET", "/records/{file}"),
];

/// The ROP: R1–R5 under `/api/v1`.
pub(crate) const ROP: &[Route] = &[
    keyed("POST", "/api/v1/calls", &["apiKey"]),
    keyed("POST", "/api/v1/calls/audio-upload", &["apiKey"]),
    keyed("POST", "/api/v1/settings/offices-update", &["apiKey"]),
    keyed("POST", "/api/v1/settings/managers-update", &["apiKey"]),
    keyed("GET", "/api/v1/tables/call-ready", &["apiKey", "call_id"]),
];

/// The CRM: Universe (U1–U7) and the sinks for webhooks and pushes.
pub(crate) const CRM: &[Route] = &[
    anywhere("GET", "/analytics", &[]),
    r("POST", "/hooks/vats/v1"),
    r("POST", "/hooks/vats/legacy"),
    r("POST", "/hooks/rop/checklist"),
    r("POST", "/hooks/rop/table"),
];
