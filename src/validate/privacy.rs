//! Privacy (domain.md §3 and §6, PRIV1–PRIV4): publishing residents' personal information without
//! their separate consent is unlawful (个人信息保护法第二十五条). Before anything is published,
//! every source file is scanned for mobile numbers, ID-card numbers and bank-card-like numbers, and
//! the columns where a private person could be named are checked for what looks like a personal
//! name. Masked forms (138****5678, 张*) pass: a `*` breaks the pattern on purpose. Companies,
//! and committee members in their role, may be named.

use std::ops::Range;
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::ledger::Origin;

/// Header names that announce personal data; a ledger column with such a name is refused.
pub const PERSONAL_HEADERS: &[&str] = &[
    "姓名",
    "业主",
    "业主姓名",
    "户主",
    "联系人",
    "电话",
    "手机",
    "手机号",
    "联系电话",
    "身份证",
    "身份证号",
    "身份证号码",
    "车牌",
    "车牌号",
    "银行账号",
    "银行卡号",
    "账号",
    "房号",
    "室号",
    "门牌号",
    "住址",
    "地址",
    "name",
    "phone",
    "mobile",
    "id_card",
    "plate",
    "bank_account",
];

pub fn is_personal_header(normalised: &str) -> bool {
    PERSONAL_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(normalised))
}

/// What a run of digits looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberKind {
    Mobile,
    IdCard,
    BankCard,
}

impl NumberKind {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            NumberKind::Mobile => ("手机号码", "a mobile number"),
            NumberKind::IdCard => ("身份证号码", "an ID-card number"),
            NumberKind::BankCard => ("银行卡号", "a bank-card number"),
        }
    }

    fn mask_example(self) -> &'static str {
        match self {
            NumberKind::Mobile => "138****5678",
            NumberKind::IdCard => "440401********1768",
            NumberKind::BankCard => "6222 **** **** 1234",
        }
    }
}

fn classify(run: &str) -> Option<NumberKind> {
    let all_digits = run.bytes().all(|b| b.is_ascii_digit());
    match run.len() {
        11 if all_digits && is_mobile(run) => Some(NumberKind::Mobile),
        // 86 13800138000: the country code written in front.
        13 if all_digits && run.starts_with("86") && is_mobile(&run[2..]) => {
            Some(NumberKind::Mobile)
        }
        15 if all_digits && looks_like_old_id(run) => Some(NumberKind::IdCard),
        18 if looks_like_id(run) => Some(NumberKind::IdCard),
        16..=19 if all_digits => Some(NumberKind::BankCard),
        _ => None,
    }
}

fn is_mobile(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1])
}

/// The 15-digit ID cards issued before 1999: a region code, a birth date as YYMMDD and a
/// sequence number.
fn looks_like_old_id(run: &str) -> bool {
    let month: u32 = run[8..10].parse().unwrap_or(0);
    let day: u32 = run[10..12].parse().unwrap_or(0);
    !run.starts_with('0') && (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// 18 characters: a region code, a plausible birth date, a sequence number and a check character.
fn looks_like_id(run: &str) -> bool {
    let (body, check) = run.split_at(17);
    if !body.bytes().all(|b| b.is_ascii_digit())
        || !(check.bytes().all(|b| b.is_ascii_digit()) || check == "X" || check == "x")
    {
        return false;
    }
    if body.starts_with('0') {
        return false;
    }
    let year: u32 = body[6..10].parse().unwrap_or(0);
    let month: u32 = body[10..12].parse().unwrap_or(0);
    let day: u32 = body[12..14].parse().unwrap_or(0);
    (1900..=2099).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Where the next ASCII digit at or after `from` is (the text's length when there is none). Most
/// of a ledger is text without digits: it is passed over eight bytes at a time, each eight tested
/// at once for a byte that is a digit (`b ^ b'0'` below 10).
fn next_digit(text: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
    let mut i = from;
    while let Some(eight) = text.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(eight);
        let x = u64::from_ne_bytes(word) ^ ZEROS;
        // Some byte of `x` is below 10 exactly when this is not zero.
        if x.wrapping_sub(ONES * 10) & !x & HIGHS != 0 {
            break;
        }
        i += 8;
    }
    while i < text.len() && !text[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// Scans a whole file for personal numbers. Digits joined by a decimal point are amounts, not
/// numbers of a person, and are skipped. Full-width digits (１３８…) count as digits.
pub fn scan_numbers(file: &Arc<SourceFile>, diags: &mut Diagnostics) {
    for (span, kind) in personal_numbers(&file.text) {
        let (zh, en) = kind.labels();
        diags.push(
            Diagnostic::new("privacy-number")
                .at(file, span)
                .arg("kind_zh", zh)
                .arg("kind_en", en)
                .arg("masked", kind.mask_example()),
        );
    }
}

/// The personal numbers of `text` and where they are. A text with full-width digits is scanned
/// through a copy with them folded to ASCII, and the ranges are mapped back.
fn personal_numbers(text: &str) -> Vec<(Range<usize>, NumberKind)> {
    let bytes = text.as_bytes();
    // Full-width digits are EF BC 90–99 in UTF-8 (EF BC also starts common punctuation, ，：（）).
    let full_width = memchr::memmem::find_iter(bytes, b"\xEF\xBC")
        .any(|i| matches!(bytes.get(i + 2), Some(0x90..=0x99)));
    if !full_width {
        return scan_ascii(bytes);
    }
    let mut folded = Vec::with_capacity(bytes.len());
    // The original offset of each folded byte, and of the end.
    let mut origin = Vec::with_capacity(bytes.len() + 1);
    for (at, c) in text.char_indices() {
        if ('０'..='９').contains(&c) {
            folded.push(b'0' + (c as u32 - '０' as u32) as u8);
            origin.push(at);
        } else {
            let mut buffer = [0; 4];
            for &b in c.encode_utf8(&mut buffer).as_bytes() {
                folded.push(b);
                origin.push(at);
            }
        }
    }
    origin.push(text.len());
    scan_ascii(&folded)
        .into_iter()
        .map(|(span, kind)| {
            // A range ends after its last character: map the last byte, then step past it.
            let last = origin[span.end - 1];
            let end = last + text[last..].chars().next().map_or(1, char::len_utf8);
            (origin[span.start]..end, kind)
        })
        .collect()
}

/// Words that announce a telephone number written straight after them (Tel13800138000).
const PHONE_WORDS: &[&str] = &["tel", "phone", "mobile", "mob", "cell", "tele"];

/// Personal numbers in ASCII digits. A number may be written in groups separated by single spaces
/// or hyphens (138 0013 8000, 138-0013-8000, 86 138 0013 8000, 6222 0202 0011 2233 445), each of
/// at least three digits but a leading 86; a run glued to letters is a code (GS2025…) unless the
/// letters announce a phone.
fn scan_ascii(text: &[u8]) -> Vec<(Range<usize>, NumberKind)> {
    let mut found = Vec::new();
    // Reused for every run of digits (most of a ledger's are dates and amounts).
    let mut groups: Vec<Range<usize>> = Vec::new();
    let mut joined = String::new();
    let mut i = 0;
    while i < text.len() {
        i = next_digit(text, i);
        if i >= text.len() {
            break;
        }
        let start = i;
        // Groups of digits as (start, end); the X of an 18-character ID ends its group.
        groups.clear();
        let mut digits = 0;
        loop {
            let group_start = i;
            while i < text.len()
                && (text[i].is_ascii_digit()
                    || ((text[i] == b'X' || text[i] == b'x') && digits + i - group_start == 17))
            {
                i += 1;
            }
            digits += i - group_start;
            groups.push(group_start..i);
            let joins = i + 1 < text.len()
                && matches!(text[i], b' ' | b'-')
                && text[i + 1].is_ascii_digit()
                && digits < 20;
            if !joins {
                break;
            }
            i += 1;
        }
        let end = i;
        let decimal = (start > 0 && text[start - 1] == b'.')
            || (end < text.len()
                && text[end] == b'.'
                && text.get(end + 1).is_some_and(u8::is_ascii_digit));
        // The shortest personal number has 11 digits: dates and amounts stop here.
        if digits < 11
            || decimal
            || (glued_to_letters(text, start) && !after_phone_word(text, start))
        {
            continue;
        }
        let as_str = |r: &Range<usize>| std::str::from_utf8(&text[r.clone()]).unwrap_or("");
        joined.clear();
        joined.extend(groups.iter().map(as_str));
        // Groups of three digits or more; a leading 86 is the country code.
        let grouped = groups.len() > 1
            && groups
                .iter()
                .enumerate()
                .all(|(k, g)| g.len() >= 3 || (k == 0 && as_str(g) == "86"));
        if (groups.len() == 1 || grouped)
            && let Some(kind) = classify(&joined)
        {
            found.push((start..end, kind));
            continue;
        }
        // Groups that are not one number together may still each be one.
        if groups.len() > 1 {
            for g in &groups {
                if let Some(kind) = classify(as_str(g)) {
                    found.push((g.clone(), kind));
                }
            }
        }
    }
    found
}

fn glued_to_letters(text: &[u8], start: usize) -> bool {
    start > 0 && text[start - 1].is_ascii_alphabetic()
}

fn after_phone_word(text: &[u8], start: usize) -> bool {
    let word_start = text[..start]
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |p| p + 1);
    let word = std::str::from_utf8(&text[word_start..start]).unwrap_or("");
    PHONE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Common single-character surnames (the most frequent ~100 cover the great majority of people).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤乔齐康洪施牛葛樊殷詹阮庞聂焦耿鲁祝季柳温甘纪费俞骆童邢裴穆岳翟倪苗涂左申单包";

/// Words that show a name belongs to an organisation or a group, not to one person.
const ORGANISATION_WORDS: &[&str] = &[
    "公司",
    "中心",
    "店",
    "部",
    "站",
    "局",
    "委",
    "会",
    "厂",
    "行",
    "社",
    "院",
    "所",
    "队",
    "组",
    "集团",
    "小区",
    "业主",
    "车主",
    "住户",
    "居民",
    "物业",
    "政府",
    "街道",
    "社区",
    "银行",
    "商户",
    "工作室",
    "经营",
    "传媒",
    "科技",
    "通信",
    "电信",
    "移动",
    "联通",
    "铁塔",
    "丰巢",
    "快递",
];

/// Whether `value` looks like the name of a private person (2–4 Chinese characters starting with a
/// common surname, no organisation word, not masked).
pub fn looks_like_person(value: &str) -> bool {
    let mut v = value.trim();
    // 王建国（个体）, 李四(个人): a qualifier in brackets after the name; one that says the party
    // is an individual settles it.
    let mut individual = false;
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = v.strip_suffix(close)
            && let Some((name, qualifier)) = inner.rsplit_once(open)
        {
            individual = INDIVIDUAL_WORDS.iter().any(|w| qualifier.contains(w));
            v = name.trim();
            break;
        }
    }
    let chars: Vec<char> = v.chars().collect();
    if !(2..=4).contains(&chars.len()) || v.contains('*') || v.contains('某') {
        return false;
    }
    if !chars.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) {
        return false;
    }
    let surname = COMPOUND_SURNAMES
        .iter()
        .any(|s| v.starts_with(s) && chars.len() >= 3)
        || SURNAMES.contains(chars[0]);
    // Several-character words anywhere (…传媒, …物业…); one-character words only at the end
    // (…店, …站, …社), where they name a shop or an office: 刘会英 and 陈社英 are people.
    let organisation = ORGANISATION_WORDS.iter().any(|w| {
        if w.chars().count() > 1 {
            v.contains(w)
        } else {
            v.ends_with(w)
        }
    });
    surname && (individual || !organisation)
}

/// Two-character surnames (a name with one is three or four characters long).
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙", "夏侯", "长孙",
    "宇文", "司徒", "端木", "独孤", "南宫", "西门",
];

/// Words in a bracketed qualifier that mark a private person.
const INDIVIDUAL_WORDS: &[&str] = &["个体", "个人", "自然人", "业主"];

/// Reports `value` at `origin` when it looks like a private person's name.
pub fn check_party(value: &str, field: &str, origin: &Origin, diags: &mut Diagnostics) {
    if looks_like_person(value) {
        diags.push(
            Diagnostic::new("privacy-person-name")
                .at(&origin.file, origin.span.clone())
                .arg("value", value)
                .arg("field", field)
                .arg(
                    "masked",
                    format!("{}*", value.chars().next().unwrap_or('某')),
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> Vec<String> {
        let file = Arc::new(SourceFile::new(
            std::path::Path::new("x.csv"),
            "x.csv".into(),
            text.into(),
            "UTF-8",
        ));
        let mut diags = Diagnostics::new();
        scan_numbers(&file, &mut diags);
        diags
            .iter()
            .map(|d| file.text[d.span.clone().unwrap()].to_string())
            .collect()
    }

    #[test]
    fn finds_personal_numbers_and_spares_amounts_and_masks() {
        assert_eq!(findings("联系人,13800138000\n"), ["13800138000"]);
        assert_eq!(findings("110105199003071234\n"), ["110105199003071234"]);
        assert_eq!(findings("11010519900307123X,"), ["11010519900307123X"]);
        assert_eq!(
            findings("卡号 6222020200112233445"),
            ["6222020200112233445"]
        );
        assert!(findings("138****5678, 4404**********1768").is_empty());
        assert!(
            findings("\"13,800,138,000.00\", 13800138000.00, 2024-05-01, GS2025-0001").is_empty()
        );
        assert!(findings("0411-84000000").is_empty());
    }

    #[test]
    fn finds_numbers_written_in_groups_with_a_prefix_or_in_full_width() {
        for (text, number) in [
            ("电话 138-0013-8000。", "138-0013-8000"),
            ("联系 138 0013 8000,", "138 0013 8000"),
            ("或 8613800138000", "8613800138000"),
            ("或 86 138 0013 8000", "86 138 0013 8000"),
            ("Tel13800138000", "13800138000"),
            ("手机１３８００１３８０００，", "１３８００１３８０００"),
            ("身份证 110105900307123（旧15位）", "110105900307123"),
            ("110105 19900307 1234", "110105 19900307 1234"),
            ("卡号 6222 0202 0011 2233 445", "6222 0202 0011 2233 445"),
        ] {
            assert_eq!(findings(text), [number], "{text}");
        }
        // Dates, ranges, landlines, amounts and codes stay.
        for text in [
            "2025-03-05 12:00",
            "1000-2000 元",
            "0411-8400 0000",
            "320 301 299",
            "GS2025-0001",
            "INV13800138000",
            "１２３，４５６．００",
        ] {
            assert!(findings(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn the_next_digit_is_found_as_a_byte_by_byte_search_finds_it() {
        let naive = |text: &[u8], from: usize| {
            (from..text.len())
                .find(|&i| text[i].is_ascii_digit())
                .unwrap_or(text.len())
        };
        let mut texts: Vec<Vec<u8>> = vec![
            "物业服务费收入（2024年第1季度）".into(),
            "abcdefghijklmnop/:9".into(),
            b"\x00\x2f\x3a\xff\xb0\xb9\x39".to_vec(),
            Vec::new(),
        ];
        // Every byte value at every place of a 17-byte text of letters.
        for byte in 0..=255u8 {
            for at in 0..17 {
                let mut t = vec![b'x'; 17];
                t[at] = byte;
                texts.push(t);
            }
        }
        for text in &texts {
            for from in 0..=text.len() {
                assert_eq!(next_digit(text, from), naive(text, from), "{text:?} {from}");
            }
        }
    }

    #[test]
    fn tells_people_from_organisations() {
        assert!(looks_like_person("张三"));
        assert!(looks_like_person("王建国"));
        assert!(!looks_like_person("张*"));
        assert!(!looks_like_person("刘某"));
        assert!(!looks_like_person("小区车主（62户）"));
        assert!(!looks_like_person("中国铁塔"));
        assert!(!looks_like_person("大连某物业服务有限公司"));
        assert!(!looks_like_person("丰巢"));
        for person in [
            "刘会英",
            "陈社英",
            "欧阳娜娜",
            "乔丽",
            "王建国（个体）",
            "李四(个人)",
        ] {
            assert!(looks_like_person(person), "{person}");
        }
        for organisation in [
            "王记小吃店",
            "张村卫生站",
            "刘家合作社",
            "某快递站（代收点）",
        ] {
            assert!(!looks_like_person(organisation), "{organisation}");
        }
    }
}
