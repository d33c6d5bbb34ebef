//! Decode stage: raw bytes → Unicode text, with a map from every decoded char back
//! to the raw byte where it starts.
//!
//! Order of evidence: BOM → charset given by the caller → charset declared in the
//! HTML (`<meta charset>`, `http-equiv`) → strict UTF-8 → statistical detection
//! (chardetng). A declared charset that produces decoding errors where another
//! candidate decodes cleanly is overruled: pages lie about their charset often
//! (archive copies, gb2312 labels on UTF-8 pages).

use encoding_rs::{BIG5, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

use crate::error::{Error, Result};

/// Text decoded from raw bytes.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// `starts[i]` is the raw byte offset where char `i` of `text` begins;
    /// one extra entry holds the raw length, so char `i` spans `starts[i]..starts[i+1]`.
    pub starts: Vec<u32>,
    pub encoding: &'static Encoding,
    /// Number of U+FFFD produced for undecodable bytes.
    pub replacements: usize,
    /// How the encoding was chosen (for diagnostics).
    pub evidence: Evidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    Bom,
    Caller,
    Declared,
    Utf8,
    Detected,
    /// A declared charset was overruled because another candidate decodes cleanly.
    Overruled,
}

impl Decoded {
    /// Output name of the encoding as the contract spells it (lower case; GBK and
    /// GB2312 are both reported as their superset gb18030).
    pub fn encoding_name(&self) -> String {
        encoding_label(self.encoding)
    }
}

pub fn encoding_label(enc: &'static Encoding) -> String {
    if enc == GBK || enc == GB18030 {
        "gb18030".to_string()
    } else {
        enc.name().to_ascii_lowercase()
    }
}

/// Resolve a WHATWG label (utf-8, gbk, gb2312, big5, ...).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
        .ok_or_else(|| Error::UnknownEncoding(label.to_string()))
}

/// Decode `bytes`. `caller` is a charset the caller knows (HTTP header, WARC, flag).
/// Never panics; undecodable bytes become U+FFFD and are counted.
pub fn decode(bytes: &[u8], caller: Option<&'static Encoding>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(bytes, bom_len, enc, Evidence::Bom);
    }
    // A NUL-rich prefix without a BOM is most likely UTF-16 text.
    if let Some(enc) = sniff_utf16(bytes) {
        return decode_with(bytes, 0, enc, Evidence::Detected);
    }
    let declared = caller
        .map(|e| (e, Evidence::Caller))
        .or_else(|| sniff_meta_charset(bytes).map(|e| (e, Evidence::Declared)));
    let utf8 = std::str::from_utf8(bytes).ok();
    let utf8_ok = utf8.is_some();
    if let Some((enc, ev)) = declared {
        // UTF-16 labels in a meta tag are always wrong (the tag itself is ASCII).
        let enc = if enc == UTF_16LE || enc == UTF_16BE {
            UTF_8
        } else {
            enc
        };
        let errors = count_errors(bytes, enc);
        if errors == 0 {
            return decode_with(bytes, 0, enc, ev);
        }
        if utf8_ok {
            return decode_with(bytes, 0, UTF_8, Evidence::Overruled);
        }
        let guess = detect(bytes);
        if guess != enc && count_errors(bytes, guess) < errors {
            return decode_with(bytes, 0, guess, Evidence::Overruled);
        }
        return decode_with(bytes, 0, enc, ev);
    }
    if let Some(text) = utf8 {
        return decode_valid_utf8(text, Evidence::Utf8);
    }
    // Valid UTF-8 cut short inside the last sequence (a truncated download).
    if let Err(e) = std::str::from_utf8(bytes)
        && e.error_len().is_none()
        && e.valid_up_to() > 0
    {
        return decode_with(bytes, 0, UTF_8, Evidence::Utf8);
    }
    // Mostly-UTF-8 with a few corrupt bytes is still UTF-8: legacy CJK
    // encodings would turn every multi-byte sequence into garbage.
    let guess = detect(bytes);
    let utf8_err = count_errors(bytes, UTF_8);
    let guess_err = count_errors(bytes, guess);
    if utf8_err <= guess_err {
        return decode_with(bytes, 0, UTF_8, Evidence::Detected);
    }
    decode_with(bytes, 0, guess, Evidence::Detected)
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    // A download cut inside a two-byte character leaves a lone lead byte at
    // the end: judge the encoding without it.
    let bytes = match bytes.split_last() {
        Some((last, head)) if *last >= 0x80 && !head.is_empty() => head,
        _ => bytes,
    };
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    // Without a hint chardetng tells Big5 from GBK well; the `.cn` hint below
    // would pull clean Big5 text to GBK.
    let plain = det.guess(None, chardetng::Utf8Detection::Allow);
    if plain == BIG5 && count_errors(bytes, BIG5) == 0 {
        return BIG5;
    }
    // `.cn` as TLD hint biases the detector towards GBK for ambiguous input.
    let enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    if enc == GBK { GB18030 } else { enc }
}

fn count_errors(bytes: &[u8], enc: &'static Encoding) -> usize {
    if enc == UTF_8 {
        return String::from_utf8_lossy(bytes).matches('\u{FFFD}').count()
            - bytecount_fffd_in_source(bytes);
    }
    let (text, _) = enc.decode_without_bom_handling(bytes);
    text.matches('\u{FFFD}').count()
}

/// U+FFFD that genuinely stand in the source (encoded as UTF-8) are not errors.
fn bytecount_fffd_in_source(bytes: &[u8]) -> usize {
    memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count()
}

fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let n = bytes.len().min(512) & !1;
    if n < 4 {
        return None;
    }
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for (i, b) in bytes[..n].iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 {
                even_nul += 1
            } else {
                odd_nul += 1
            }
        }
    }
    let pairs = n / 2;
    // ASCII in UTF-16 puts a NUL in every other byte; CJK text has few NULs but
    // then also no BOM, so we only claim UTF-16 on strong evidence.
    if odd_nul * 10 >= pairs * 3 && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 3 && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Find `<meta charset=...>` or `<meta http-equiv=... content="...charset=...">`
/// in the first 4 KiB (ASCII-compatible search, as browsers do).
pub fn sniff_meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut pos = 0;
    while let Some(i) = find(&lower[pos..], b"<meta") {
        let start = pos + i;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let label: Vec<u8> = rest
                    .iter()
                    .copied()
                    .take_while(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(b))
                    .collect();
                if let Some(enc) = Encoding::for_label_no_replacement(&label) {
                    return Some(enc);
                }
            }
        }
        pos = end.max(start + 1);
        if pos >= lower.len() {
            break;
        }
    }
    None
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decode with a known encoding, recording where each output char starts in `bytes`.
fn decode_with(bytes: &[u8], skip: usize, enc: &'static Encoding, evidence: Evidence) -> Decoded {
    let body = &bytes[skip..];
    let (text, starts) = if enc == UTF_8 {
        decode_utf8_mapped(body, skip)
    } else if enc == UTF_16LE || enc == UTF_16BE {
        decode_utf16_mapped(body, skip, enc == UTF_16LE)
    } else {
        decode_stream_mapped(body, skip, enc)
    };
    let replacements = memchr::memmem::find_iter(text.as_bytes(), "\u{FFFD}".as_bytes()).count()
        - if enc == UTF_8 {
            bytecount_fffd_in_source(body)
        } else {
            0
        };
    Decoded {
        text,
        starts,
        encoding: enc,
        replacements,
        evidence,
    }
}

/// Valid UTF-8 without a BOM (nearly every page), validated by the caller:
/// one copy, and a char starts at every byte that is not a continuation byte.
fn decode_valid_utf8(text: &str, evidence: Evidence) -> Decoded {
    let body = text.as_bytes();
    let chars = body.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    let mut starts = Vec::with_capacity(chars + 1);
    starts.extend(
        body.iter()
            .enumerate()
            .filter(|&(_, &b)| b & 0xC0 != 0x80)
            .map(|(i, _)| i as u32),
    );
    starts.push(body.len() as u32);
    Decoded {
        text: text.to_string(),
        starts,
        encoding: UTF_8,
        replacements: 0,
        evidence,
    }
}

fn decode_utf8_mapped(body: &[u8], base: usize) -> (String, Vec<u32>) {
    let mut text = String::with_capacity(body.len());
    let mut starts = Vec::with_capacity(body.len() / 2);
    for chunk in body.utf8_chunks() {
        let off = chunk.valid().as_ptr() as usize - body.as_ptr() as usize;
        text.push_str(chunk.valid());
        starts.extend(
            chunk
                .valid()
                .char_indices()
                .map(|(i, _)| (base + off + i) as u32),
        );
        if !chunk.invalid().is_empty() {
            let off = chunk.invalid().as_ptr() as usize - body.as_ptr() as usize;
            starts.push((base + off) as u32);
            text.push('\u{FFFD}');
        }
    }
    starts.push((base + body.len()) as u32);
    (text, starts)
}

fn decode_utf16_mapped(body: &[u8], base: usize, le: bool) -> (String, Vec<u32>) {
    let units = body.chunks(2).map(|c| {
        if c.len() < 2 {
            0xFFFF_u16 // odd trailing byte: decodes to U+FFFD below
        } else if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut text = String::with_capacity(body.len());
    let mut starts = Vec::with_capacity(body.len() / 2);
    let mut pos = base;
    for r in char::decode_utf16(units) {
        let (c, width) = match r {
            Ok('\u{FFFF}') => ('\u{FFFD}', 1),
            Ok(c) => (c, c.len_utf16() * 2),
            Err(_) => ('\u{FFFD}', 2),
        };
        starts.push(pos as u32);
        text.push(c);
        pos += width;
    }
    starts.push((base + body.len()) as u32);
    (text, starts)
}

/// Legacy multi-byte encodings: feed the decoder one byte at a time and
/// attribute each char produced to the bytes consumed since the previous one.
fn decode_stream_mapped(body: &[u8], base: usize, enc: &'static Encoding) -> (String, Vec<u32>) {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(body.len() * 3 / 2);
    let mut starts = Vec::with_capacity(body.len());
    let mut char_start = 0usize;
    let mut buf = [0u8; 64];
    // Runs of ASCII decode identically in every encoding chardetng/WHATWG offers
    // except UTF-16 and ISO-2022-JP; take the fast path for them.
    let ascii_safe = enc != encoding_rs::ISO_2022_JP;
    let mut i = 0;
    while i < body.len() {
        if ascii_safe && body[i] < 0x80 && char_start == i {
            let c = body[i] as char;
            starts.push((base + i) as u32);
            text.push(c);
            i += 1;
            char_start = i;
            continue;
        }
        // `last` stays false here: the flush below is the one final call.
        let (_, _, written, _) = decoder.decode_to_utf8(&body[i..i + 1], &mut buf, false);
        i += 1;
        if written > 0 {
            let s = std::str::from_utf8(&buf[..written]).unwrap_or("\u{FFFD}");
            let n = s.chars().count();
            for (k, c) in s.chars().enumerate() {
                // When several chars come out at once (an error followed by an
                // ASCII byte), the earlier ones own the earlier bytes.
                let st = if k + 1 == n && n > 1 {
                    i - 1
                } else {
                    char_start
                };
                starts.push((base + st) as u32);
                text.push(c);
            }
            char_start = i;
        }
    }
    if !body.is_empty() {
        let (_, _, written, _) = decoder.decode_to_utf8(&[], &mut buf, true);
        if written > 0 {
            for c in std::str::from_utf8(&buf[..written])
                .unwrap_or("\u{FFFD}")
                .chars()
            {
                starts.push((base + char_start) as u32);
                text.push(c);
            }
        }
    }
    starts.push((base + body.len()) as u32);
    (text, starts)
}

/// True when the bytes look like binary data (images, archives) rather than text
/// in any encoding: NUL bytes outside UTF-16, or a known magic number.
pub fn looks_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1F\x8B", "gzip data"),
        (b"\x7FELF", "ELF executable"),
    ];
    for (m, what) in MAGIC {
        if bytes.starts_with(m) {
            return Some(what);
        }
    }
    if Encoding::for_bom(bytes).is_some() || sniff_utf16(bytes).is_some() {
        return None;
    }
    let head = &bytes[..bytes.len().min(8192)];
    // Text in any of the encodings read here holds few C0 controls beyond
    // tab, line breaks, form feed and escape (ISO-2022's shifts); random or
    // compressed bytes hold one in nine. One pass counts NULs and controls.
    let (mut nul, mut controls) = (0usize, 0usize);
    for &b in head {
        if b < 0x20 || b == 0x7F {
            nul += usize::from(b == 0);
            controls += usize::from(!matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B));
        }
    }
    if nul * 100 > head.len().max(1) {
        return Some("binary data (NUL bytes)");
    }
    if controls * 100 > head.len().max(1) * 3 {
        return Some("binary data (control bytes)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_map(d: &Decoded, raw: &[u8]) {
        assert_eq!(d.starts.len(), d.text.chars().count() + 1);
        for (i, c) in d.text.chars().enumerate() {
            let (s, e) = (d.starts[i] as usize, d.starts[i + 1] as usize);
            assert!(s <= e && e <= raw.len());
            if c != '\u{FFFD}' {
                let (back, bad) = d.encoding.decode_without_bom_handling(&raw[s..e]);
                assert!(!bad);
                assert_eq!(back, c.to_string());
            }
        }
    }

    #[test]
    fn control_bytes_are_binary_but_text_with_tabs_is_not() {
        // Bytes spread evenly over 0..=255, as compressed or random data are.
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(97) % 251) as u8 + 1)
            .collect();
        assert_eq!(looks_binary(&noise), Some("binary data (control bytes)"));
        let text = "第一段\t两市签署协议。\r\n第二段。\n".repeat(50);
        assert_eq!(looks_binary(text.as_bytes()), None);
        let (gbk, _, _) = GBK.encode(&text);
        assert_eq!(looks_binary(&gbk), None);
    }

    #[test]
    fn utf8_plain() {
        let raw = "青岛市与撒马尔罕市".as_bytes();
        let d = decode(raw, None);
        assert_eq!(d.encoding, UTF_8);
        check_map(&d, raw);
    }

    #[test]
    fn gbk_and_big5_detected_and_mapped() {
        let s = "1月24日,青岛市与乌兹别克斯坦撒马尔罕市在北京签署协议,缔结友好城市关系。至此,青岛市的国际友城拓展至12个国家的15个城市。";
        let (gbk, _, _) = GBK.encode(s);
        let d = decode(&gbk, None);
        assert_eq!(d.encoding_name(), "gb18030");
        assert_eq!(d.text, s);
        check_map(&d, &gbk);
        let t = "1月24日,青島市與烏茲別克斯坦撒馬爾罕市在北京簽署協議,締結友好城市關係。至此,青島市的國際友城拓展至12個國家的15個城市。";
        let (b5, _, _) = BIG5.encode(t);
        let d = decode(&b5, None);
        assert_eq!(d.encoding_name(), "big5");
        assert_eq!(d.text, t);
        check_map(&d, &b5);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let s = "青岛 2024 年";
        let mut le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le, None);
        assert_eq!(d.encoding, UTF_16LE);
        assert_eq!(d.text, s);
        check_map(&d, &le);
        let mut be = vec![];
        for u in "<html>ascii heavy text</html>".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be, None).encoding, UTF_16BE);
    }

    #[test]
    fn declared_charset_is_overruled_when_wrong() {
        let page = "<html><head><meta charset=\"gb2312\"></head><body>青岛市与撒马尔罕市缔结友好城市关系</body></html>";
        let d = decode(page.as_bytes(), None);
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.evidence, Evidence::Overruled);
        let page = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">青岛市";
        let (bytes, _, _) = GBK.encode(page);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding_name(), "gb18030");
        assert_eq!(d.evidence, Evidence::Declared);
    }

    #[test]
    fn never_panics_on_garbage() {
        for raw in [
            &b""[..],
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            b"\xe9\x9d",
            b"\xc7\xe0\xb5",
            b"\xff\xfe\x00",
            b"\xfe\xff\xd8\x00",
        ] {
            let d = decode(raw, None);
            check_map(&d, raw);
        }
    }

    #[test]
    fn truncated_multibyte_counts_a_replacement() {
        let mut raw = "青岛".as_bytes().to_vec();
        raw.pop();
        let d = decode(&raw, None);
        assert_eq!(d.replacements, 1);
    }
}
