//! MPEG audio (MP3): duration from a Xing/Info or VBRI header, else by walking frame headers.
//!
//! Walking counts every frame, so it is exact for CBR and VBR files alike. When only one frame
//! header can be read (a buffer cut short), the duration is a CBR estimate: the bytes after the
//! tag at the first frame's bitrate.

use super::read::u32_be;
use super::samples_to_duration;
use std::time::Duration;

/// How far into the file (after an ID3v2 tag) the first frame is looked for.
const SYNC_SEARCH: usize = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    /// MPEG-1 (true) or MPEG-2/2.5 (false).
    mpeg1: bool,
    /// 1, 2 or 3.
    layer: u8,
    bitrate_kbps: u32,
    sample_rate: u32,
    mono: bool,
    frame_len: usize,
    samples: u32,
}

const BITRATES_V1: [[u32; 14]; 3] = [
    [
        32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
    ],
    [
        32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
    ],
    [
        32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ],
];
const BITRATES_V2: [[u32; 14]; 2] = [
    [
        32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
    ],
    [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];

/// Parses a 4-byte frame header at `at`; `None` when it is not a valid one.
pub(crate) fn header_at(b: &[u8], at: usize) -> Option<Header> {
    let h = u32_be(b, at)?;
    if h >> 21 != 0x7FF {
        return None;
    }
    let version = (h >> 19) & 3; // 0: 2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
    let layer_bits = (h >> 17) & 3; // 1: III, 2: II, 3: I
    let bitrate_index = ((h >> 12) & 0xF) as usize;
    let rate_index = ((h >> 10) & 3) as usize;
    let padding = (h >> 9) & 1;
    let mono = (h >> 6) & 3 == 3;
    if version == 1
        || layer_bits == 0
        || bitrate_index == 0
        || bitrate_index == 15
        || rate_index == 3
    {
        return None;
    }
    let layer = (4 - layer_bits) as u8;
    let mpeg1 = version == 3;
    let bitrate_kbps = if mpeg1 {
        *BITRATES_V1
            .get(usize::from(layer) - 1)?
            .get(bitrate_index - 1)?
    } else {
        *BITRATES_V2
            .get(usize::from(layer.min(2)) - 1)?
            .get(bitrate_index - 1)?
    };
    let base_rate = *[44_100u32, 48_000, 32_000].get(rate_index)?;
    let sample_rate = match version {
        3 => base_rate,
        2 => base_rate / 2,
        _ => base_rate / 4,
    };
    let samples = match (layer, mpeg1) {
        (1, _) => 384,
        (2, _) | (3, true) => 1152,
        _ => 576,
    };
    let bps = bitrate_kbps * 1000;
    let frame_len = if layer == 1 {
        (12 * bps / sample_rate + padding) * 4
    } else {
        samples / 8 * bps / sample_rate + padding
    };
    Some(Header {
        mpeg1,
        layer,
        bitrate_kbps,
        sample_rate,
        mono,
        frame_len: usize::try_from(frame_len).ok()?,
        samples,
    })
}

/// Where the audio starts: after an ID3v2 tag, if there is one.
fn after_id3(b: &[u8]) -> usize {
    if b.get(0..3) != Some(b"ID3") {
        return 0;
    }
    let Some(sz) = b.get(6..10) else {
        return b.len();
    };
    // Syncsafe integer: 7 bits per byte.
    let size = sz
        .iter()
        .fold(0usize, |acc, x| (acc << 7) | usize::from(x & 0x7F));
    let footer = if b.get(5).is_some_and(|f| f & 0x10 != 0) {
        10
    } else {
        0
    };
    10 + size + footer
}

/// The first offset at or after `from` holding a frame that is followed by another valid frame
/// (or by the end of the buffer).
fn first_frame(b: &[u8], from: usize) -> Option<(usize, Header)> {
    let end = b.len().min(from.saturating_add(SYNC_SEARCH));
    (from..end).find_map(|at| {
        let h = header_at(b, at)?;
        let next = at + h.frame_len;
        if next >= b.len() || header_at(b, next).is_some() {
            Some((at, h))
        } else {
            None
        }
    })
}

pub(super) fn is_mp3(b: &[u8]) -> bool {
    if b.get(0..3) == Some(b"ID3") {
        return true;
    }
    // Without a tag, demand a frame at the very start, confirmed by the next one.
    match header_at(b, 0) {
        Some(h) => h.frame_len >= b.len() || header_at(b, h.frame_len).is_some(),
        None => false,
    }
}

/// Frame count from a Xing/Info or VBRI header inside the first frame.
fn vbr_frames(b: &[u8], at: usize, h: &Header) -> Option<u64> {
    let side_info = match (h.mpeg1, h.mono) {
        (true, false) => 32,
        (true, true) | (false, false) => 17,
        (false, true) => 9,
    };
    let xing = at + 4 + side_info;
    if matches!(b.get(xing..xing + 4), Some(b"Xing" | b"Info")) {
        let flags = u32_be(b, xing + 4)?;
        if flags & 1 != 0 {
            return u32_be(b, xing + 8).map(u64::from);
        }
    }
    let vbri = at + 4 + 32;
    if b.get(vbri..vbri + 4) == Some(b"VBRI") {
        return u32_be(b, vbri + 14).map(u64::from);
    }
    None
}

pub(super) fn duration(b: &[u8]) -> Result<Duration, String> {
    let start = after_id3(b);
    let (at, first) = first_frame(b, start).ok_or("no MPEG frame header found")?;
    if first.layer == 3
        && let Some(frames) = vbr_frames(b, at, &first)
    {
        return samples_to_duration(
            frames * u64::from(first.samples),
            u64::from(first.sample_rate),
        )
        .ok_or_else(|| "duration overflows".into());
    }
    // Walk the frames; stop at the first byte that is not a frame header (ID3v1 tag, junk, end).
    let mut pos = at;
    let mut frames = 0u64;
    let mut samples = 0u64;
    while let Some(h) = header_at(b, pos) {
        if h.sample_rate != first.sample_rate || h.frame_len == 0 {
            break;
        }
        frames += 1;
        samples += u64::from(h.samples);
        pos += h.frame_len;
    }
    if frames <= 1 {
        // Cut short: CBR estimate from the remaining bytes.
        let tag = if b.len() >= 128 && b.get(b.len() - 128..b.len() - 125) == Some(b"TAG") {
            128
        } else {
            0
        };
        let audio_bytes = b.len().saturating_sub(at).saturating_sub(tag) as u64;
        let bytes_per_sec = u64::from(first.bitrate_kbps) * 1000 / 8;
        return samples_to_duration(audio_bytes, bytes_per_sec)
            .ok_or_else(|| "bitrate is 0".into());
    }
    samples_to_duration(samples, u64::from(first.sample_rate))
        .ok_or_else(|| "sample rate is 0".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mpeg1_and_mpeg2_layer3_headers() {
        let h = header_at(&[0xFF, 0xFB, 0x90, 0x00], 0).unwrap();
        assert_eq!(
            (h.frame_len, h.samples, h.sample_rate, h.bitrate_kbps),
            (417, 1152, 44_100, 128)
        );
        let h = header_at(&[0xFF, 0xF3, 0x84, 0x00], 0).unwrap();
        assert_eq!(
            (h.frame_len, h.samples, h.sample_rate, h.bitrate_kbps),
            (192, 576, 24_000, 64)
        );
        assert!(!h.mpeg1);
        // Reserved version, free/bad bitrate, reserved sample rate.
        assert!(header_at(&[0xFF, 0xEB, 0x90, 0x00], 0).is_none());
        assert!(header_at(&[0xFF, 0xFB, 0xF0, 0x00], 0).is_none());
        assert!(header_at(&[0xFF, 0xFB, 0x9C, 0x00], 0).is_none());
    }

    #[test]
    fn reads_frame_count_from_a_vbri_header() {
        let mut b = vec![0xFF, 0xFB, 0x90, 0x00];
        b.resize(417, 0);
        b[36..40].copy_from_slice(b"VBRI");
        b[50..54].copy_from_slice(&500u32.to_be_bytes());
        let h = header_at(&b, 0).unwrap();
        assert_eq!(vbr_frames(&b, 0, &h), Some(500));
    }

    #[test]
    fn a_buffer_cut_inside_the_first_frame_gives_a_cbr_estimate() {
        // 304 bytes of a 128 kbit/s (16 000 B/s) stream: 19 ms.
        let mut b = vec![0xFF, 0xFB, 0x90, 0x00];
        b.resize(304, 0x11);
        assert_eq!(duration(&b).unwrap(), Duration::from_millis(19));
        // A sync word followed by junk instead of a second frame is not a frame.
        b.resize(16_000, 0x11);
        assert!(duration(&b).is_err());
    }
}
