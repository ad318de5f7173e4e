//! The mock PBX's in-memory data, seeded from the PBX v1 vendor document's examples.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use vats_api::v1::{
    BlacklistEntry, Group, HistoryRecord, InnerHistoryRecord, Sim, TelnumInfo, User,
};

use crate::audio::RecordingFormat;

/// The built-in seed: the PBX v1 vendor document's users, groups, numbers, SIMs, blacklist and
/// history (dated by `pbx.history_seed`, see `seed_dates`).
pub(crate) const DEFAULT_SEED: &str = include_str!("../../data/pbx_seed.json");

/// What `POST /__admin/seed` loads (merged by key).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct PbxSeed {
    pub(crate) users: Vec<User>,
    pub(crate) groups: Vec<Group>,
    pub(crate) telnums: Vec<TelnumInfo>,
    pub(crate) sims: Vec<Sim>,
    pub(crate) blacklist: Vec<BlacklistEntry>,
    pub(crate) block_anonymous: Option<bool>,
    pub(crate) dnd: Vec<String>,
    pub(crate) history: Vec<HistoryRecord>,
    pub(crate) inner_history: Vec<InnerHistoryRecord>,
}

/// A recording the PBX serves at `/records/{uid}.{ext}`.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Recording {
    #[serde(serialize_with = "ser_format")]
    pub(crate) format: RecordingFormat,
    pub(crate) secs: u32,
}

fn ser_format<S: serde::Serializer>(f: &RecordingFormat, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(f.extension())
}

/// A `makecall` the PBX received.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlacedCall {
    pub(crate) callid: String,
    pub(crate) phone: String,
    pub(crate) user: String,
    pub(crate) via: &'static str,
    pub(crate) time: chrono::DateTime<chrono::Utc>,
}

/// Everything the mock PBX holds.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct PbxData {
    pub(crate) users: Vec<User>,
    pub(crate) groups: Vec<Group>,
    pub(crate) telnums: Vec<TelnumInfo>,
    pub(crate) sims: Vec<Sim>,
    pub(crate) blacklist: Vec<BlacklistEntry>,
    pub(crate) block_anonymous: bool,
    pub(crate) dnd: BTreeSet<String>,
    pub(crate) history: Vec<HistoryRecord>,
    pub(crate) inner_history: Vec<InnerHistoryRecord>,
    pub(crate) recordings: BTreeMap<String, Recording>,
    pub(crate) placed_calls: Vec<PlacedCall>,
    /// Legacy session tokens handed out by `api_login.wcgp` (not shown: secrets).
    #[serde(skip)]
    pub(crate) legacy_tokens: Vec<String>,
    pub(crate) next_uid: u64,
    #[serde(skip)]
    pub(crate) base_url: String,
}

/// History and recordings kept at most (oldest dropped first).
const MAX_HISTORY: usize = 10_000;

fn upsert<T>(into: &mut Vec<T>, items: Vec<T>, key: impl Fn(&T) -> String) {
    for item in items {
        let k = key(&item);
        match into.iter_mut().find(|x| key(x) == k) {
            Some(slot) => *slot = item,
            None => into.push(item),
        }
    }
}

impl PbxData {
    pub(crate) fn seeded(seed: PbxSeed, base_url: &str) -> Self {
        let mut data = Self {
            next_uid: 5_000_000_000,
            base_url: base_url.to_owned(),
            ..Self::default()
        };
        data.merge(seed);
        data
    }

    /// Upserts every item of `seed` by its key; relative `record` links become absolute and
    /// are served.
    pub(crate) fn merge(&mut self, seed: PbxSeed) {
        upsert(&mut self.users, seed.users, |u| u.login.as_str().to_owned());
        upsert(&mut self.groups, seed.groups, |g| g.id.as_str().to_owned());
        upsert(&mut self.telnums, seed.telnums, |t| {
            t.telnum.as_str().to_owned()
        });
        upsert(&mut self.sims, seed.sims, |s| s.telnum.as_str().to_owned());
        upsert(&mut self.blacklist, seed.blacklist, |b| b.telnum.clone());
        if let Some(b) = seed.block_anonymous {
            self.block_anonymous = b;
        }
        self.dnd.extend(seed.dnd);
        for mut h in seed.history {
            let secs = u32::try_from(h.duration).unwrap_or(u32::MAX);
            h.record = h.record.map(|r| self.adopt_record(&r, secs));
            self.history.retain(|x| x.uid != h.uid);
            self.history.push(h);
        }
        for mut h in seed.inner_history {
            let secs = u32::try_from(h.duration).unwrap_or(u32::MAX);
            h.record = h.record.map(|r| self.adopt_record(&r, secs));
            self.inner_history.retain(|x| x.uid != h.uid);
            self.inner_history.push(h);
        }
        self.history.sort_by_key(|h| h.start);
        self.inner_history.sort_by_key(|h| h.start);
    }

    /// A `/records/{uid}.{ext}` link: registered for serving and made absolute.
    fn adopt_record(&mut self, record: &str, secs: u32) -> String {
        let Some(file) = record.strip_prefix("/records/") else {
            return record.to_owned();
        };
        if let Some((uid, ext)) = file.rsplit_once('.')
            && let Some(format) = RecordingFormat::from_extension(ext)
        {
            self.recordings.insert(
                uid.to_owned(),
                Recording {
                    format,
                    secs: secs.clamp(1, 3600),
                },
            );
        }
        format!("{}{record}", self.base_url)
    }

    /// A new recording for a call: registered and its absolute link returned.
    pub(crate) fn add_recording(
        &mut self,
        uid: &str,
        format: RecordingFormat,
        secs: u32,
    ) -> String {
        self.adopt_record(&format!("/records/{uid}.{}", format.extension()), secs)
    }

    pub(crate) fn next_uid(&mut self) -> String {
        self.next_uid += 1;
        self.next_uid.to_string()
    }

    pub(crate) fn push_history(&mut self, h: HistoryRecord) {
        self.history.push(h);
        if self.history.len() > MAX_HISTORY {
            let gone = self.history.remove(0);
            self.recordings.remove(gone.uid.as_str());
        }
    }

    pub(crate) fn user(&self, login: &str) -> Option<&User> {
        self.users.iter().find(|u| u.login.as_str() == login)
    }

    /// A user by login or extension.
    pub(crate) fn user_by_login_or_ext(&self, who: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.login.as_str() == who || u.ext == who)
    }

    /// The first free extension from 700 (users and groups share the plan).
    pub(crate) fn free_ext(&self) -> String {
        (700..10_000)
            .map(|n: u32| n.to_string())
            .find(|e| !self.ext_taken(e))
            .unwrap_or_else(|| "9999".to_owned())
    }

    pub(crate) fn ext_taken(&self, ext: &str) -> bool {
        self.users.iter().any(|u| u.ext == ext) || self.groups.iter().any(|g| g.ext == ext)
    }
}

/// Whether any string inside `item` (as JSON) contains `search`, case-insensitively.
pub(crate) fn matches_search<T: Serialize>(item: &T, search: Option<&str>) -> bool {
    let Some(search) = search.filter(|s| !s.is_empty()) else {
        return true;
    };
    let needle = search.to_lowercase();
    fn walk(v: &serde_json::Value, needle: &str) -> bool {
        match v {
            serde_json::Value::String(s) => s.to_lowercase().contains(needle),
            serde_json::Value::Array(a) => a.iter().any(|x| walk(x, needle)),
            serde_json::Value::Object(o) => o.values().any(|x| walk(x, needle)),
            _ => false,
        }
    }
    serde_json::to_value(item).is_ok_and(|v| walk(&v, &needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_seed_loads_with_working_record_links() {
        let seed: PbxSeed = serde_json::from_str(DEFAULT_SEED).unwrap();
        let data = PbxData::seeded(seed, "http://127.0.0.1:1");
        assert_eq!(data.users.len(), 3);
        assert_eq!(data.groups.len(), 2);
        assert_eq!(data.sims.len(), 2);
        assert_eq!(data.blacklist.len(), 4);
        let with_record = data.history.iter().find(|h| h.record.is_some()).unwrap();
        assert_eq!(
            with_record.record.as_deref(),
            Some("http://127.0.0.1:1/records/1755936870.mp3")
        );
        assert!(data.recordings.contains_key("1755936870"));
        assert_eq!(data.free_ext(), "705");
    }

    #[test]
    fn search_looks_into_every_string() {
        let seed: PbxSeed = serde_json::from_str(DEFAULT_SEED).unwrap();
        let u = &seed.users[2];
        assert!(matches_search(u, Some("ПОЛЬЗ")));
        assert!(matches_search(u, None));
        assert!(!matches_search(u, Some("zzz")));
    }
}
