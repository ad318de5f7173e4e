//! Audio checks for servers: format from the file's first bytes, duration from its own headers.
//!
//! Pure functions over a byte slice, no decoder: WAV from its `fmt `/`data` chunks, MP3 from a
//! Xing/Info or VBRI header or else by walking the frame headers, OGG from the last page's
//! granule position and the Vorbis/Opus identification header.
//!
//! ```
//! use rop_api::audio::{self, AudioError, AudioFormat};
//!
//! assert_eq!(audio::detect_format(b"RIFF\x24\0\0\0WAVEfmt "), Some(AudioFormat::Wav));
//! assert_eq!(audio::detect_format(b"<html>"), None);
//! let err = audio::inspect(b"<html>not audio</html>").unwrap_err();
//! assert_eq!(err, AudioError::NotAudio);
//! assert_eq!(err.to_string(), "Файл не является аудио");
//! ```

mod mp3;
mod ogg;
mod wav;

use std::fmt;
use std::time::Duration;

/// A container format ROP accepts (seeds: MP3, WAV, OGG).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AudioFormat {
    /// MPEG audio (layer III, also I/II), with or without an ID3v2 tag.
    Mp3,
    /// RIFF/WAVE.
    Wav,
    /// Ogg (Vorbis or Opus).
    Ogg,
}

impl AudioFormat {
    /// `mp3`, `wav` or `ogg`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mp3 => "mp3",
            Self::Wav => "wav",
            Self::Ogg => "ogg",
        }
    }
}

impl fmt::Display for AudioFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a file is not acceptable audio.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AudioError {
    /// Not MP3, WAV or OGG (the vendor document's message).
    #[error("Файл не является аудио")]
    NotAudio,
    /// The format is recognised but its headers are broken or cut short.
    #[error("Повреждённый {format} файл: {reason}")]
    Malformed {
        /// The format the magic bytes announce (the headers that follow do not parse).
        format: AudioFormat,
        /// What is wrong.
        reason: String,
    },
    /// Larger than the limit.
    #[error("Размер файла {size} байт превышает допустимые {limit} байт")]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Longer than the limit.
    #[error("Длительность записи {} с превышает допустимые {} с", .duration.as_secs(), .limit.as_secs())]
    TooLong {
        /// The file's duration.
        duration: Duration,
        /// The largest duration accepted (2700 s by default, [`MAX_DURATION_SECS`](crate::MAX_DURATION_SECS)).
        limit: Duration,
    },
}

/// What [`inspect`] found out about a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AudioInfo {
    /// The container format, from the magic bytes (`MP3`, `WAV`, `OGG`).
    pub format: AudioFormat,
    /// The playing time, from the container headers (whole and fractional seconds).
    pub duration: Duration,
}

/// The format of a file from its first bytes (magic numbers), or `None` when it is not audio.
///
/// WAV: `RIFF….WAVE`; OGG: `OggS`; MP3: an `ID3` tag or two consecutive valid MPEG frame headers
/// (one suffices when the buffer ends after the first frame).
pub fn detect_format(bytes: &[u8]) -> Option<AudioFormat> {
    if wav::is_wav(bytes) {
        Some(AudioFormat::Wav)
    } else if ogg::is_ogg(bytes) {
        Some(AudioFormat::Ogg)
    } else if mp3::is_mp3(bytes) {
        Some(AudioFormat::Mp3)
    } else {
        None
    }
}

/// The playing time of a file, read from its own headers.
pub fn duration(bytes: &[u8]) -> Result<Duration, AudioError> {
    inspect(bytes).map(|i| i.duration)
}

/// Format and duration of a file.
pub fn inspect(bytes: &[u8]) -> Result<AudioInfo, AudioError> {
    let format = detect_format(bytes).ok_or(AudioError::NotAudio)?;
    let duration = match format {
        AudioFormat::Wav => wav::duration(bytes),
        AudioFormat::Ogg => ogg::duration(bytes),
        AudioFormat::Mp3 => mp3::duration(bytes),
    }
    .map_err(|reason| AudioError::Malformed { format, reason })?;
    Ok(AudioInfo { format, duration })
}

/// [`inspect`] plus the vendor document's limits: at most `max_bytes` and `max_duration`.
///
/// ROP's limits are [`crate::MAX_AUDIO_BYTES`] and [`crate::MAX_DURATION_SECS`]; see [`check`].
pub fn check_with_limits(
    bytes: &[u8],
    max_bytes: u64,
    max_duration: Duration,
) -> Result<AudioInfo, AudioError> {
    let size = bytes.len() as u64;
    if size > max_bytes {
        return Err(AudioError::TooLarge {
            size,
            limit: max_bytes,
        });
    }
    let info = inspect(bytes)?;
    if info.duration > max_duration {
        return Err(AudioError::TooLong {
            duration: info.duration,
            limit: max_duration,
        });
    }
    Ok(info)
}

/// [`check_with_limits`] with ROP's limits: 100 MB and 2700 s.
pub fn check(bytes: &[u8]) -> Result<AudioInfo, AudioError> {
    check_with_limits(
        bytes,
        crate::MAX_AUDIO_BYTES,
        Duration::from_secs(u64::from(crate::MAX_DURATION_SECS)),
    )
}

/// Little helpers for reading integers without panicking.
pub(crate) mod read {
    pub(crate) fn u16_le(b: &[u8], at: usize) -> Option<u16> {
        Some(u16::from_le_bytes(
            b.get(at..at.checked_add(2)?)?.try_into().ok()?,
        ))
    }
    pub(crate) fn u32_le(b: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(
            b.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    }
    pub(crate) fn u32_be(b: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_be_bytes(
            b.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    }
    pub(crate) fn u64_le(b: &[u8], at: usize) -> Option<u64> {
        Some(u64::from_le_bytes(
            b.get(at..at.checked_add(8)?)?.try_into().ok()?,
        ))
    }
}

/// `samples / rate` as a [`Duration`], exact to the nanosecond.
pub(crate) fn samples_to_duration(samples: u64, rate: u64) -> Option<Duration> {
    if rate == 0 {
        return None;
    }
    let nanos = u128::from(samples) * 1_000_000_000 / u128::from(rate);
    let secs = u64::try_from(nanos / 1_000_000_000).ok()?;
    #[allow(clippy::cast_possible_truncation)]
    let sub = (nanos % 1_000_000_000) as u32; // < 1e9 fits in u32
    Some(Duration::new(secs, sub))
}

#[cfg(test)]
pub(crate) mod testdata;

#[cfg(test)]
mod tests {
    use super::testdata::{mp3_cbr, mp3_xing, ogg_opus, ogg_vorbis, wav_pcm};
    use super::*;

    #[test]
    fn detects_each_format_and_rejects_others() {
        assert_eq!(
            detect_format(&wav_pcm(8000, 1, 16, 8000)),
            Some(AudioFormat::Wav)
        );
        assert_eq!(detect_format(&mp3_cbr(10, true)), Some(AudioFormat::Mp3));
        assert_eq!(detect_format(&mp3_cbr(10, false)), Some(AudioFormat::Mp3));
        assert_eq!(
            detect_format(&ogg_vorbis(44100, 441_000)),
            Some(AudioFormat::Ogg)
        );
        assert_eq!(detect_format(b""), None);
        assert_eq!(detect_format(b"%PDF-1.4"), None);
        assert_eq!(detect_format(&[0xFF, 0xFF, 0xFF, 0xFF]), None);
        assert_eq!(inspect(b"{\"json\":true}"), Err(AudioError::NotAudio));
    }

    #[test]
    fn reads_durations() {
        assert_eq!(
            duration(&wav_pcm(8000, 1, 16, 48_000)).unwrap(),
            Duration::from_secs(3)
        );
        // 38 frames × 1152 samples / 44100 Hz
        let d = duration(&mp3_cbr(38, true)).unwrap();
        assert_eq!(d, samples_to_duration(38 * 1152, 44100).unwrap());
        let d = duration(&mp3_xing(10_000)).unwrap();
        assert_eq!(d, samples_to_duration(10_000 * 1152, 44100).unwrap());
        assert_eq!(
            duration(&ogg_vorbis(44100, 441_000)).unwrap(),
            Duration::from_secs(10)
        );
        assert_eq!(
            duration(&ogg_opus(312, 48_000 * 5 + 312)).unwrap(),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn enforces_limits_with_the_seed_messages() {
        let long = wav_pcm(8000, 1, 8, 8000 * 2701);
        let e = check(&long).unwrap_err();
        insta::assert_snapshot!(e, @"Длительность записи 2701 с превышает допустимые 2700 с");
        let e = check_with_limits(&long, 10, Duration::from_secs(1)).unwrap_err();
        assert!(matches!(e, AudioError::TooLarge { limit: 10, .. }));
        assert_eq!(
            check(b"hello").unwrap_err().to_string(),
            "Файл не является аудио"
        );
    }

    #[test]
    fn truncated_headers_are_malformed_not_panics() {
        let wav = wav_pcm(8000, 1, 16, 8000);
        for cut in 0..60 {
            let _ = inspect(&wav[..cut.min(wav.len())]);
        }
        let ogg = ogg_vorbis(44100, 441_000);
        for cut in 0..ogg.len() {
            let _ = inspect(&ogg[..cut]);
        }
        let e = inspect(b"RIFF\0\0\0\0WAVE").unwrap_err();
        assert!(
            matches!(
                e,
                AudioError::Malformed {
                    format: AudioFormat::Wav,
                    ..
                }
            ),
            "{e:?}"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(
            magic in proptest::sample::select(vec![
                &b""[..], b"RIFF\x10\0\0\0WAVE", b"OggS\0", b"ID3\x03\0\0\0\0\0\x01",
                &[0xFF, 0xFB, 0x90, 0x00][..], b"RIFF\xff\xff\xff\xffWAVEfmt ",
            ]),
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1500),
        ) {
            let mut bytes = magic.to_vec();
            bytes.extend(tail);
            let _ = inspect(&bytes);
            let _ = check(&bytes);
        }
    }
}
