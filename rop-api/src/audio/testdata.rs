//! Tiny generated audio files for tests.

/// A PCM WAV with `data_bytes` of silence.
pub(crate) fn wav_pcm(rate: u32, channels: u16, bits: u16, data_bytes: u32) -> Vec<u8> {
    let align = channels * bits / 8;
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_bytes).to_le_bytes());
    v.extend_from_slice(b"WAVE");
    v.extend_from_slice(b"LIST");
    v.extend_from_slice(&3u32.to_le_bytes());
    v.extend_from_slice(b"abc\0"); // odd chunk + pad byte
    v.extend_from_slice(b"fmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&channels.to_le_bytes());
    v.extend_from_slice(&rate.to_le_bytes());
    v.extend_from_slice(&(rate * u32::from(align)).to_le_bytes());
    v.extend_from_slice(&align.to_le_bytes());
    v.extend_from_slice(&bits.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_bytes.to_le_bytes());
    v.resize(v.len() + data_bytes as usize, 0);
    v
}

/// MPEG-1 layer III, 128 kbit/s, 44.1 kHz, stereo, no padding: 417-byte frames.
const FRAME_HEADER: [u8; 4] = [0xFF, 0xFB, 0x90, 0x00];
const FRAME_LEN: usize = 417;

fn frame() -> Vec<u8> {
    let mut f = FRAME_HEADER.to_vec();
    f.resize(FRAME_LEN, 0);
    f
}

/// `frames` CBR frames, optionally after an ID3v2 tag, followed by an ID3v1 tag.
pub(crate) fn mp3_cbr(frames: usize, id3: bool) -> Vec<u8> {
    let mut v = Vec::new();
    if id3 {
        v.extend_from_slice(b"ID3\x03\x00\x00\x00\x00\x00\x0A");
        v.extend_from_slice(&[0u8; 10]);
    }
    for _ in 0..frames {
        v.extend(frame());
    }
    let mut tag = b"TAG".to_vec();
    tag.resize(128, b' ');
    v.extend(tag);
    v
}

/// A Xing header frame claiming `frames` frames, followed by two real frames.
pub(crate) fn mp3_xing(frames: u32) -> Vec<u8> {
    let mut first = frame();
    let at = 4 + 32;
    first[at..at + 4].copy_from_slice(b"Xing");
    first[at + 4..at + 8].copy_from_slice(&1u32.to_be_bytes());
    first[at + 8..at + 12].copy_from_slice(&frames.to_be_bytes());
    let mut v = first;
    v.extend(frame());
    v.extend(frame());
    v
}

fn ogg_page(header_type: u8, granule: u64, serial: u32, seq: u32, packet: &[u8]) -> Vec<u8> {
    let mut v = b"OggS".to_vec();
    v.push(0);
    v.push(header_type);
    v.extend_from_slice(&granule.to_le_bytes());
    v.extend_from_slice(&serial.to_le_bytes());
    v.extend_from_slice(&seq.to_le_bytes());
    v.extend_from_slice(&[0u8; 4]); // CRC: not checked by the reader
    let mut lacing = vec![255u8; packet.len() / 255];
    lacing.push(u8::try_from(packet.len() % 255).unwrap_or(0));
    v.push(u8::try_from(lacing.len()).unwrap_or(255));
    v.extend(lacing);
    v.extend_from_slice(packet);
    v
}

/// An Ogg Vorbis stream whose last page ends at sample `last_granule`.
pub(crate) fn ogg_vorbis(rate: u32, last_granule: u64) -> Vec<u8> {
    let mut id = b"\x01vorbis".to_vec();
    id.extend_from_slice(&0u32.to_le_bytes());
    id.push(2);
    id.extend_from_slice(&rate.to_le_bytes());
    id.extend_from_slice(&[0u8; 13]);
    let mut v = ogg_page(2, 0, 7, 0, &id);
    v.extend(ogg_page(0, last_granule / 2, 7, 1, &[0x55; 300]));
    // A page of another stream and a page without a granule must be skipped.
    v.extend(ogg_page(0, last_granule, 7, 2, &[0x55; 40]));
    v.extend(ogg_page(4, u64::MAX, 7, 3, &[0x55; 20]));
    v.extend(ogg_page(4, 99_999_999, 9, 0, &[0x55; 20]));
    v
}

/// An Ogg Opus stream with `pre_skip` and the last granule `last_granule` (48 kHz).
pub(crate) fn ogg_opus(pre_skip: u16, last_granule: u64) -> Vec<u8> {
    let mut id = b"OpusHead".to_vec();
    id.push(1);
    id.push(2);
    id.extend_from_slice(&pre_skip.to_le_bytes());
    id.extend_from_slice(&16_000u32.to_le_bytes());
    id.extend_from_slice(&[0u8; 3]);
    let mut v = ogg_page(2, 0, 1, 0, &id);
    v.extend(ogg_page(4, last_granule, 1, 1, &[0x11; 100]));
    v
}
