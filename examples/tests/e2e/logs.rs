//! Everything logged through `tracing` during the test run, captured into one buffer, and the
//! secrets every stack was started with.

use std::io::Write;
use std::sync::{Mutex, Once};

static BUFFER: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

/// A `tracing-subscriber` writer appending to [`BUFFER`].
struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        BUFFER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber (every level, every target) once per test binary.
pub fn install() {
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| Capture)
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

/// Registers secrets a stack uses.
pub fn remember(secrets: &[&str]) {
    SECRETS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .extend(secrets.iter().map(|s| (*s).to_owned()));
}

/// Every secret registered so far.
pub fn secrets() -> Vec<String> {
    SECRETS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// Everything logged so far.
pub fn text() -> String {
    String::from_utf8_lossy(
        &BUFFER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    )
    .into_owned()
}
