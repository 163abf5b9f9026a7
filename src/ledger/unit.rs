//! Unit identifiers (楼栋/单元/室) as committees write them — 3栋2单元301, 3-2-301, 11号楼1单元1101,
//! 5幢302室, A座1201 — normalised to building, entrance and room.

use std::fmt;

use super::amount::normalise_number_text;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct UnitId {
    pub building: String,
    pub entrance: Option<String>,
    pub room: String,
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entrance {
            Some(e) => write!(f, "{}栋{}单元{}", self.building, e, self.room),
            None => write!(f, "{}栋{}", self.building, self.room),
        }
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Splits `text` at the first of `markers`, returning the token before it and the rest.
fn take_until<'a>(text: &'a str, markers: &[&str]) -> Option<(&'a str, &'a str)> {
    markers
        .iter()
        .filter_map(|m| text.find(m).map(|i| (i, m.len())))
        .min_by_key(|(i, _)| *i)
        .map(|(i, len)| (&text[..i], &text[i + len..]))
}

impl UnitId {
    pub fn parse(text: &str) -> Option<UnitId> {
        let t = normalise_number_text(text).replace('－', "-");
        let t = t.trim_end_matches(['室', '户']).trim_end_matches("号房");
        let token = |s: &str| {
            let s = s.trim();
            (!s.is_empty() && s.chars().all(is_token_char)).then(|| s.to_uppercase())
        };
        // 3-2-301 or 3-301
        if t.contains('-') {
            let parts: Vec<&str> = t.split('-').collect();
            return match parts.as_slice() {
                [b, e, r] => Some(UnitId {
                    building: token(b)?,
                    entrance: Some(token(e)?),
                    room: token(r)?,
                }),
                [b, r] => Some(UnitId {
                    building: token(b)?,
                    entrance: None,
                    room: token(r)?,
                }),
                _ => None,
            };
        }
        let (building, rest) = take_until(t, &["号楼", "栋", "幢", "座", "楼"])?;
        let building = token(building.trim_end_matches('号'))?;
        let (entrance, room) = match take_until(rest, &["单元", "门"]) {
            Some((e, r)) => (Some(token(e)?), r),
            None => (None, rest),
        };
        Some(UnitId {
            building,
            entrance,
            room: token(room.trim_end_matches('号'))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(b: &str, e: Option<&str>, r: &str) -> UnitId {
        UnitId {
            building: b.into(),
            entrance: e.map(Into::into),
            room: r.into(),
        }
    }

    #[test]
    fn normalises_the_usual_spellings() {
        let u = unit("3", Some("2"), "301");
        for text in [
            "3栋2单元301",
            "3-2-301",
            "3号楼2单元301室",
            "３栋２单元３０１",
            "3幢2门301",
        ] {
            assert_eq!(UnitId::parse(text), Some(u.clone()), "{text}");
        }
        assert_eq!(
            UnitId::parse("11号楼1单元1101"),
            Some(unit("11", Some("1"), "1101"))
        );
        assert_eq!(UnitId::parse("5幢302室"), Some(unit("5", None, "302")));
        assert_eq!(UnitId::parse("A座1201"), Some(unit("A", None, "1201")));
        assert_eq!(UnitId::parse("5-302"), Some(unit("5", None, "302")));
        assert_eq!(u.to_string(), "3栋2单元301");
        for bad in ["", "301", "三栋301", "3-2-3-4", "3栋"] {
            assert_eq!(UnitId::parse(bad), None, "{bad}");
        }
    }
}
