//! RIFF/WAVE: duration = `data` chunk size / byte rate from the `fmt ` chunk.

use super::read::{u16_le, u32_le};
use super::samples_to_duration;
use std::time::Duration;

pub(super) fn is_wav(b: &[u8]) -> bool {
    b.get(0..4) == Some(b"RIFF") && b.get(8..12) == Some(b"WAVE")
}

pub(super) fn duration(b: &[u8]) -> Result<Duration, String> {
    let mut at = 12usize;
    let mut byte_rate: Option<u32> = None;
    let mut data: Option<u64> = None;
    while let (Some(id), Some(size)) = (b.get(at..at + 4), u32_le(b, at + 4)) {
        let body = at + 8;
        match id {
            b"fmt " => {
                let channels = u16_le(b, body + 2).ok_or("truncated fmt chunk")?;
                let rate = u32_le(b, body + 4).ok_or("truncated fmt chunk")?;
                let declared = u32_le(b, body + 8).ok_or("truncated fmt chunk")?;
                let align = u16_le(b, body + 12).ok_or("truncated fmt chunk")?;
                // Prefer the declared byte rate; fall back to rate × block align.
                let computed = rate.saturating_mul(u32::from(align.max(1)));
                byte_rate = Some(if declared > 0 { declared } else { computed });
                if channels == 0 || rate == 0 {
                    return Err("fmt chunk has no channels or no sample rate".into());
                }
            }
            b"data" => {
                let remaining = b.len().saturating_sub(body) as u64;
                // 0 and 0xFFFFFFFF mark a stream whose length was not known when writing.
                data = Some(if size == 0 || size == u32::MAX {
                    remaining
                } else {
                    u64::from(size)
                });
                break;
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        let next = u64::from(size) + u64::from(size & 1) + 8;
        at = match usize::try_from(next).ok().and_then(|n| at.checked_add(n)) {
            Some(n) => n,
            None => break,
        };
    }
    let byte_rate = byte_rate.ok_or("no fmt chunk")?;
    let data = data.ok_or("no data chunk")?;
    if byte_rate == 0 {
        return Err("byte rate is 0".into());
    }
    samples_to_duration(data, u64::from(byte_rate)).ok_or_else(|| "duration overflows".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_data_size_uses_the_bytes_present() {
        let mut b = crate::audio::testdata::wav_pcm(8000, 1, 8, 16_000);
        let at = b.len() - 16_000 - 4;
        b[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(duration(&b).unwrap(), Duration::from_secs(2));
    }
}
