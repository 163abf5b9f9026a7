//! Turning the bytes of an input file into text: UTF-8 with or without BOM, UTF-16 with BOM (Excel's
//! "Unicode text" export) and GB18030/GBK (Chinese Excel's default CSV export), in that order.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

/// Decoded text and the name of the encoding it was in; `None` when no supported encoding fits.
pub fn decode(bytes: &[u8]) -> Option<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).ok().map(|t| (t, "UTF-8"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, had_errors) = UTF_16LE.decode_without_bom_handling(rest);
        return (!had_errors).then(|| (text.into_owned(), "UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, had_errors) = UTF_16BE.decode_without_bom_handling(rest);
        return (!had_errors).then(|| (text.into_owned(), "UTF-16BE"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some((text.to_string(), "UTF-8"));
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    (!had_errors).then(|| (text.into_owned(), "GB18030"))
}

/// [`decode`] of bytes read into a vector: UTF-8 text (most files) becomes the string without
/// being copied.
pub fn decode_owned(mut bytes: Vec<u8>) -> Option<(String, &'static str)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        return String::from_utf8(bytes).ok().map(|t| (t, "UTF-8"));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some((text, "UTF-8")),
        Err(e) => decode(e.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_encoding() {
        let text = "期间,实收金额\n";
        assert_eq!(decode(text.as_bytes()), Some((text.into(), "UTF-8")));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(&bom), Some((text.into(), "UTF-8")));
        let (gbk, _, _) = GB18030.encode(text);
        assert_eq!(decode(&gbk), Some((text.into(), "GB18030")));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&utf16), Some((text.into(), "UTF-16LE")));
        for bytes in [text.as_bytes().to_vec(), bom, gbk.into_owned(), utf16] {
            assert_eq!(decode_owned(bytes.clone()), decode(&bytes));
        }
    }

    #[test]
    fn refuses_bytes_no_encoding_explains() {
        assert_eq!(decode(&[0xFF, 0xFF, 0x81]), None);
        assert_eq!(decode_owned(vec![0xFF, 0xFF, 0x81]), None);
        assert_eq!(decode_owned(vec![0xEF, 0xBB, 0xBF, 0xFF]), None);
    }
}
