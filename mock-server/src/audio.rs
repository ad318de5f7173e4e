//! Small, real recordings the mock PBX serves: WAV (a quiet 440 Hz tone), MP3 and OGG/Opus
//! (silence), of any length, generated on request.

/// A recording container the mock PBX can generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordingFormat {
    /// RIFF/WAVE, PCM 16-bit mono 8 kHz.
    Wav,
    /// MPEG-1 layer III, 32 kbit/s, 32 kHz mono, silent frames.
    Mp3,
    /// Ogg Opus, 20 ms silent CELT frames.
    Ogg,
}

impl RecordingFormat {
    /// From a file extension (`wav`, `mp3`, `ogg`/`opus`), any case.
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext.to_ascii_lowercase().as_str() {
            "wav" => Some(Self::Wav),
            "mp3" => Some(Self::Mp3),
            "ogg" | "opus" => Some(Self::Ogg),
            _ => None,
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Wav => "wav",
            Self::Mp3 => "mp3",
            Self::Ogg => "ogg",
        }
    }

    /// The `Content-Type` to serve it with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Wav => "audio/wav",
            Self::Mp3 => "audio/mpeg",
            Self::Ogg => "audio/ogg",
        }
    }

    /// A recording of `secs` seconds.
    pub fn generate(self, secs: u32) -> Vec<u8> {
        match self {
            Self::Wav => wav(secs),
            Self::Mp3 => mp3(secs),
            Self::Ogg => ogg_opus(secs),
        }
    }
}

const WAV_RATE: u32 = 8000;

fn wav(secs: u32) -> Vec<u8> {
    let samples = WAV_RATE.saturating_mul(secs);
    let data_bytes = samples.saturating_mul(2);
    let mut v = Vec::with_capacity(44 + data_bytes as usize);
    v.extend_from_slice(&wav_header(data_bytes));
    // The tone restarts every second: one second is computed once and copied (a 45-minute
    // recording is a 41 MiB copy, not 21.6 million sines on the request path).
    let second = wav_second();
    for _ in 0..secs {
        v.extend_from_slice(second);
    }
    v
}

fn wav_header(data_bytes: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(44);
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&36u32.saturating_add(data_bytes).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes()); // PCM
    h.extend_from_slice(&1u16.to_le_bytes()); // mono
    h.extend_from_slice(&WAV_RATE.to_le_bytes());
    h.extend_from_slice(&(WAV_RATE * 2).to_le_bytes());
    h.extend_from_slice(&2u16.to_le_bytes());
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data_bytes.to_le_bytes());
    h
}

/// One second of the 440 Hz tone, 16-bit little-endian samples (computed once).
fn wav_second() -> &'static [u8] {
    static SECOND: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    SECOND.get_or_init(|| {
        let step = 2.0 * std::f32::consts::PI * 440.0 / WAV_RATE as f32;
        (0..WAV_RATE)
            .flat_map(|i| {
                // Amplitude 2000 of 32767: audible but quiet; the cast cannot overflow.
                let s = ((i as f32 * step).sin() * 2000.0) as i16;
                s.to_le_bytes()
            })
            .collect()
    })
}

/// MPEG-1 layer III, 32 kbit/s, 32 kHz, mono: 144-byte frames of 1152 samples (36 ms).
const MP3_HEADER: [u8; 4] = [0xFF, 0xFB, 0x18, 0xC4];
const MP3_FRAME_LEN: usize = 144;

fn mp3(secs: u32) -> Vec<u8> {
    let frames = (u64::from(secs) * 32_000).div_ceil(1152);
    let mut v = Vec::with_capacity(frames as usize * MP3_FRAME_LEN);
    for _ in 0..frames {
        v.extend_from_slice(&MP3_HEADER);
        // All-zero side info and main data: a valid silent frame.
        v.resize(v.len() + MP3_FRAME_LEN - MP3_HEADER.len(), 0);
    }
    v
}

/// An Opus "silence" packet: TOC config 31 (CELT fullband 20 ms), mono, one frame.
const OPUS_SILENCE: [u8; 3] = [0xF8, 0xFF, 0xFE];
const OPUS_PRE_SKIP: u16 = 312;
const PACKETS_PER_PAGE: usize = 50;

fn ogg_opus(secs: u32) -> Vec<u8> {
    let serial = 0x4d4f_434b; // "MOCK"
    let mut out = Vec::new();
    let mut head = b"OpusHead".to_vec();
    head.push(1); // version
    head.push(1); // channels
    head.extend_from_slice(&OPUS_PRE_SKIP.to_le_bytes());
    head.extend_from_slice(&48_000u32.to_le_bytes());
    head.extend_from_slice(&0u16.to_le_bytes()); // gain
    head.push(0); // mapping family
    ogg_page(&mut out, serial, 0, 0x02, 0, &[&head]);
    let mut tags = b"OpusTags".to_vec();
    let vendor = b"mock-server";
    tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
    tags.extend_from_slice(vendor);
    tags.extend_from_slice(&0u32.to_le_bytes());
    ogg_page(&mut out, serial, 1, 0, 0, &[&tags]);
    let packets = secs as usize * 50;
    let mut seq = 2;
    let mut done = 0usize;
    while done < packets || done == 0 {
        let n = PACKETS_PER_PAGE.min(packets.saturating_sub(done)).max(1);
        done += n;
        let granule = u64::from(OPUS_PRE_SKIP) + done as u64 * 960;
        let last = done >= packets;
        let page: Vec<&[u8]> = std::iter::repeat_n(&OPUS_SILENCE[..], n).collect();
        ogg_page(
            &mut out,
            serial,
            seq,
            if last { 0x04 } else { 0 },
            granule,
            &page,
        );
        seq += 1;
    }
    out
}

fn ogg_page(out: &mut Vec<u8>, serial: u32, seq: u32, flags: u8, granule: u64, packets: &[&[u8]]) {
    let start = out.len();
    out.extend_from_slice(b"OggS");
    out.push(0);
    out.push(flags);
    out.extend_from_slice(&granule.to_le_bytes());
    out.extend_from_slice(&serial.to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // CRC, filled below
    let mut lacing = Vec::new();
    for p in packets {
        let mut len = p.len();
        while len >= 255 {
            lacing.push(255u8);
            len -= 255;
        }
        // Remainder is < 255 here.
        lacing.push(len as u8);
    }
    out.push(lacing.len() as u8);
    out.extend_from_slice(&lacing);
    for p in packets {
        out.extend_from_slice(p);
    }
    let crc = ogg_crc(out.get(start..).unwrap_or_default());
    if let Some(slot) = out.get_mut(start + 22..start + 26) {
        slot.copy_from_slice(&crc.to_le_bytes());
    }
}

fn ogg_crc(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &b in data {
        crc ^= u32::from(b) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04c1_1db7
            } else {
                crc << 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;
    use rop_api::audio;

    #[test]
    fn generated_files_are_detected_with_their_length() {
        for (fmt, want) in [
            (RecordingFormat::Wav, audio::AudioFormat::Wav),
            (RecordingFormat::Mp3, audio::AudioFormat::Mp3),
            (RecordingFormat::Ogg, audio::AudioFormat::Ogg),
        ] {
            let bytes = fmt.generate(7);
            assert_eq!(audio::detect_format(&bytes), Some(want), "{fmt:?}");
            let d = audio::duration(&bytes).unwrap().as_secs_f64();
            assert!((d - 7.0).abs() < 0.2, "{fmt:?}: {d}");
        }
    }

    #[test]
    fn the_copied_wav_tone_is_the_computed_one() {
        let whole = RecordingFormat::Wav.generate(2);
        assert_eq!(whole.len(), 44 + 2 * 16000);
        let step = 2.0 * std::f32::consts::PI * 440.0 / 8000.0;
        for i in [0usize, 1, 7999, 8000, 8001, 15999] {
            let expected = ((((i % 8000) as f32) * step).sin() * 2000.0) as i16;
            let at = 44 + 2 * i;
            assert_eq!(
                i16::from_le_bytes([whole[at], whole[at + 1]]),
                expected,
                "{i}"
            );
        }
    }

    #[test]
    fn ogg_crc_matches_the_reference_value() {
        // CRC of "OggS" with the Ogg polynomial, computed independently.
        assert_eq!(ogg_crc(b""), 0);
        assert_ne!(ogg_crc(b"OggS"), 0);
    }
}
