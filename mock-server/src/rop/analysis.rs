//! The mock ROP's analysis setup: checklists, tables and the default transcript, compiled once.

use std::path::Path;

use rop_analysis::{CompiledChecklist, CompiledTable, Transcript};

use crate::config::RopConfig;
use crate::error::{Error, Result};

/// The built-in real-estate sales checklist (docs/formats.md form, Russian).
pub(crate) const DEFAULT_CHECKLIST: &str = include_str!("../../data/checklist_realty.json");
/// The built-in real-estate call table.
pub(crate) const DEFAULT_TABLE: &str = include_str!("../../data/table_realty.json");
/// The built-in transcript: a real-estate sales call.
pub(crate) const DEFAULT_TRANSCRIPT: &str = include_str!("../../data/transcript_realty.json");

/// Everything the pipeline scores with.
pub(crate) struct Analysis {
    pub(crate) checklists: Vec<CompiledChecklist>,
    pub(crate) tables: Vec<CompiledTable>,
    pub(crate) default_transcript: Transcript,
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        what: format!("reading {}", path.display()),
        source,
    })
}

fn data_error(what: impl Into<String>, e: impl std::fmt::Display) -> Error {
    Error::Data {
        what: what.into(),
        message: e.to_string(),
    }
}

impl Analysis {
    /// Loads and compiles the configured files, or the built-in ones.
    pub(crate) fn load(config: &RopConfig) -> Result<Self> {
        let checklists = if config.checklists.is_empty() {
            vec![
                CompiledChecklist::from_json(DEFAULT_CHECKLIST)
                    .map_err(|e| data_error("built-in checklist", e))?,
            ]
        } else {
            config
                .checklists
                .iter()
                .map(|p| {
                    CompiledChecklist::from_json(&read(p)?)
                        .map_err(|e| data_error(p.display().to_string(), e))
                })
                .collect::<Result<_>>()?
        };
        let tables = if config.tables.is_empty() {
            vec![
                CompiledTable::from_json(DEFAULT_TABLE)
                    .map_err(|e| data_error("built-in table", e))?,
            ]
        } else {
            config
                .tables
                .iter()
                .map(|p| {
                    CompiledTable::from_json(&read(p)?)
                        .map_err(|e| data_error(p.display().to_string(), e))
                })
                .collect::<Result<_>>()?
        };
        let default_transcript = match &config.default_transcript {
            Some(p) => {
                Transcript::parse(&read(p)?).map_err(|e| data_error(p.display().to_string(), e))?
            }
            None => Transcript::parse(DEFAULT_TRANSCRIPT)
                .map_err(|e| data_error("built-in transcript", e))?,
        };
        Ok(Self {
            checklists,
            tables,
            default_transcript,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rop_analysis::CallInfo;

    #[test]
    fn built_in_data_compiles_and_scores_the_default_call() {
        let a = Analysis::load(&RopConfig::default()).unwrap();
        let w1 = a.checklists[0].score_call(&a.default_transcript, CallInfo::new("c1", "m1"));
        // Greeting, needs, presentation, meeting (weight 2), farewell pass; objections and next
        // step fail: 6 of 8.
        let failed: Vec<_> = w1
            .stages
            .iter()
            .filter(|s| s.score < 0)
            .map(|s| s.stage_name.clone())
            .collect();
        assert_eq!((w1.total_score, w1.max_score), (6, 8), "failed: {failed:?}");
        assert_eq!(w1.completion_percentage, 75);
        let w2 = a.tables[0].extract_call(&a.default_transcript, None, None);
        assert_eq!(
            w2.extracted_data.get("object_type").map(String::as_str),
            Some("квартира")
        );
        assert_eq!(
            w2.extracted_data.get("phone").map(String::as_str),
            Some("79215551234")
        );
    }
}
