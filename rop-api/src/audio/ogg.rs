//! Ogg: duration = last granule position of the first stream / its sample rate.
//!
//! The sample rate comes from the first packet: Vorbis (`\x01vorbis`, rate at byte 12) or Opus
//! (`OpusHead`; granules always count 48 kHz samples, minus the pre-skip).

use super::read::{u16_le, u32_le, u64_le};
use super::samples_to_duration;
use std::time::Duration;

const CAPTURE: &[u8; 4] = b"OggS";
const HEADER_LEN: usize = 27;

pub(super) fn is_ogg(b: &[u8]) -> bool {
    b.get(0..4) == Some(CAPTURE)
}

struct Page {
    granule: u64,
    serial: u32,
    data_start: usize,
}

fn page_at(b: &[u8], at: usize) -> Option<Page> {
    if b.get(at..at + 4)? != CAPTURE || *b.get(at + 4)? != 0 {
        return None;
    }
    let granule = u64_le(b, at + 6)?;
    let serial = u32_le(b, at + 14)?;
    let segments = usize::from(*b.get(at + 26)?);
    let data_start = at + HEADER_LEN + segments;
    b.get(at + HEADER_LEN..data_start)?;
    Some(Page {
        granule,
        serial,
        data_start,
    })
}

pub(super) fn duration(b: &[u8]) -> Result<Duration, String> {
    let first = page_at(b, 0).ok_or("truncated first page")?;
    let packet = b.get(first.data_start..).unwrap_or_default();
    let (rate, pre_skip) = if packet.starts_with(b"\x01vorbis") {
        let rate = u32_le(packet, 12).ok_or("truncated Vorbis identification header")?;
        (u64::from(rate), 0u64)
    } else if packet.starts_with(b"OpusHead") {
        let pre_skip = u16_le(packet, 10).ok_or("truncated Opus identification header")?;
        (48_000, u64::from(pre_skip))
    } else {
        return Err("neither a Vorbis nor an Opus stream".into());
    };
    if rate == 0 {
        return Err("sample rate is 0".into());
    }
    // The last page of the first stream with a granule position (-1 means "none on this page").
    let mut granule = None;
    let mut end = b.len();
    while let Some(pos) = rfind(b.get(..end).unwrap_or_default(), CAPTURE) {
        if let Some(page) = page_at(b, pos)
            && page.serial == first.serial
            && page.granule != u64::MAX
        {
            granule = Some(page.granule);
            break;
        }
        end = pos;
    }
    let granule = granule.ok_or("no page with a granule position")?;
    samples_to_duration(granule.saturating_sub(pre_skip), rate)
        .ok_or_else(|| "duration overflows".into())
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}
