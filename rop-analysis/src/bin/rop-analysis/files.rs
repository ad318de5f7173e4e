//! Reading the CLI's input files; every error names the file.

use rop_analysis::{SpeakerLabels, Transcript, UnknownSpeaker};
use std::fmt;
use std::path::{Path, PathBuf};

/// A failure of the CLI, naming the file it concerns.
#[derive(Debug)]
pub(crate) enum CliError {
    /// A file could not be read or did not decode.
    File { file: PathBuf, message: String },
    /// Anything else.
    Other(String),
}

impl CliError {
    pub(crate) fn file(path: &Path, e: impl fmt::Display) -> Self {
        Self::File {
            file: path.to_owned(),
            message: e.to_string(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File { file, message } => write!(f, "{}: {message}", file.display()),
            Self::Other(m) => f.write_str(m),
        }
    }
}

pub(crate) fn read_text(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::file(path, e))
}

/// The file name without its extension.
pub(crate) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A transcript in any form, its speaker labels mapped by `labels` and checked
/// ([`Transcript::check`]): an empty file, a document that is not a transcript, no utterances or
/// no manager/client utterance is an error naming the file. `call_id` defaults to the file's
/// stem. The second value is the warning about unknown speaker labels, if any.
pub(crate) fn read_call(
    path: &Path,
    labels: &SpeakerLabels,
) -> Result<(Transcript, Option<String>), CliError> {
    // One reused buffer per thread: a 45-minute call is ~130 KiB of JSON, and allocating and
    // freeing that per file costs more page faults than reading it.
    thread_local! {
        static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let parsed = BUF.with_borrow_mut(|buf| {
        buf.clear();
        std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_to_string(&mut f, buf))
            .map_err(|e| CliError::file(path, e))?;
        Transcript::parse(buf).map_err(|e| CliError::file(path, e))
    });
    let mut t = parsed?;
    if t.call_id.as_ref().is_none_or(|c| c.as_str().is_empty()) {
        t.call_id = Some(stem(path).into());
    }
    t.relabel(labels);
    let unknown = t.check().map_err(|e| CliError::file(path, e))?;
    let warning = (!unknown.is_empty()).then(|| {
        format!(
            "{}: warning: {}",
            path.display(),
            UnknownSpeaker::warning(&unknown)
        )
    });
    Ok((t, warning))
}

/// The `*.json` and `*.txt` files of a directory, sorted by name.
pub(crate) fn read_dir_files(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let entries = std::fs::read_dir(dir).map_err(|e| CliError::file(dir, e))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| CliError::file(dir, e))?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if path.is_file() && (ext.eq_ignore_ascii_case("json") || ext.eq_ignore_ascii_case("txt")) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
