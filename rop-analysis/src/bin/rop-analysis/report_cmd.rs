//! `rop-analysis report`: many scored calls (W1, one JSON per line) aggregated per office and
//! per manager, printed as a table (or JSON) and optionally written as an HTML page.

use rop_analysis::Report;
use rop_api::{ChecklistResult, Manager, ManagersUpdate, Office, OfficesUpdate};
use serde::de::DeserializeOwned;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Offices: the R3 request body `{"offices":[...]}` (a bare array is accepted too).
    #[arg(long, value_name = "FILE")]
    offices: PathBuf,
    /// Managers: the R4 request body `{"managers":[...]}` (a bare array is accepted too).
    #[arg(long, value_name = "FILE")]
    managers: PathBuf,
    /// Also write the report as a self-contained HTML page to OUT.
    #[arg(long, value_name = "OUT")]
    html: Option<PathBuf>,
    /// Print JSON instead of the text table.
    #[arg(long)]
    json: bool,
    /// Scored calls: W1 results, one JSON object per line (a JSON array is accepted too);
    /// `-` reads standard input.
    #[arg(value_name = "SCORED.jsonl", required = true)]
    scored: Vec<PathBuf>,
}

/// What can go wrong in `report`; every message names the file (and the line or JSON path).
#[derive(Debug)]
pub(crate) enum CmdError {
    /// A file could not be read or written.
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    /// A file's content did not decode.
    Decode {
        file: PathBuf,
        line: Option<usize>,
        path: String,
        message: String,
    },
}

impl fmt::Display for CmdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { file, source } => write!(f, "{}: {source}", file.display()),
            Self::Decode {
                file,
                line,
                path,
                message,
            } => {
                write!(f, "{}", file.display())?;
                if let Some(l) = line {
                    write!(f, ":{l}")?;
                }
                write!(f, ": invalid JSON at `{path}`: {message}")
            }
        }
    }
}

impl std::error::Error for CmdError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            Self::Decode { .. } => None,
        }
    }
}

/// Runs `report`.
pub(crate) fn run(args: Args) -> Result<(), CmdError> {
    let offices: Vec<Office> = read_wrapped::<OfficesUpdate, _>(&args.offices, |u| u.offices)?;
    let managers: Vec<Manager> = read_wrapped::<ManagersUpdate, _>(&args.managers, |u| u.managers)?;
    let mut results = Vec::new();
    for file in &args.scored {
        results.extend(read_results(file)?);
    }
    let report = Report::build(&results, &offices, &managers);
    if let Some(out) = &args.html {
        std::fs::write(out, report.render_html()).map_err(|source| CmdError::Io {
            file: out.clone(),
            source,
        })?;
    }
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
        s.push('\n');
        s
    } else {
        report.render_text()
    };
    let stdout = PathBuf::from("<stdout>");
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|source| CmdError::Io {
            file: stdout,
            source,
        })
}

fn read_text(file: &Path) -> Result<String, CmdError> {
    let io = |source| CmdError::Io {
        file: file.to_path_buf(),
        source,
    };
    if file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(io)?;
        Ok(s)
    } else {
        std::fs::read_to_string(file).map_err(io)
    }
}

fn decode<T: DeserializeOwned>(
    file: &Path,
    line: Option<usize>,
    text: &str,
) -> Result<T, CmdError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| CmdError::Decode {
        file: file.to_path_buf(),
        line,
        path: e.path().to_string(),
        message: e.into_inner().to_string(),
    })
}

/// A `{"<key>": [...]}` body, or a bare array of its items.
fn read_wrapped<W: DeserializeOwned, T: DeserializeOwned>(
    file: &Path,
    unwrap: impl FnOnce(W) -> Vec<T>,
) -> Result<Vec<T>, CmdError> {
    let text = read_text(file)?;
    if text.trim_start().starts_with('[') {
        decode(file, None, &text)
    } else {
        decode::<W>(file, None, &text).map(unwrap)
    }
}

/// W1 results: one per non-blank line, or one JSON array.
fn read_results(file: &Path) -> Result<Vec<ChecklistResult>, CmdError> {
    let text = read_text(file)?;
    if text.trim_start().starts_with('[') {
        return decode(file, None, &text);
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| decode(file, Some(i + 1), l))
        .collect()
}
