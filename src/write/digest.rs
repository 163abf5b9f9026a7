//! Feeding a serialisable value into a SHA-256 state without writing it out as text: a compact
//! binary form of serde's data model, made for fingerprints (the compound key) and never read back.
//!
//! Every value starts with a one-byte tag; strings and byte strings carry their length, numbers
//! are variable-length integers, and sequences, maps, tuples and structs end with an end tag that
//! no value starts with. A struct is written as its name and its field values in order, a field
//! skipped by `skip_serializing_if` as a skip tag in its place; field names are left out: for a
//! given type (the code is part of every fingerprint) the position says which field a value
//! belongs to. So two values of the same type that differ in anything they serialise differ in
//! their bytes, as they would in JSON, at about half the bytes and without any escaping.

use serde::Serialize;
use serde::ser;

/// How much is gathered before it is handed to the SHA-256 state (each hand-over has a cost of
/// its own; a compound's report is written in a few pieces).
const CHUNK: usize = 1 << 15;

const FALSE: u8 = 0x01;
const TRUE: u8 = 0x02;
const INT: u8 = 0x03;
const UINT: u8 = 0x04;
const INT128: u8 = 0x05;
const UINT128: u8 = 0x06;
const F32: u8 = 0x07;
const F64: u8 = 0x08;
const CHAR: u8 = 0x09;
const STR: u8 = 0x0A;
const BYTES: u8 = 0x0B;
const NONE: u8 = 0x0C;
const SOME: u8 = 0x0D;
const UNIT: u8 = 0x0E;
const UNIT_STRUCT: u8 = 0x0F;
const UNIT_VARIANT: u8 = 0x10;
const NEWTYPE_VARIANT: u8 = 0x11;
const SEQ: u8 = 0x12;
const TUPLE: u8 = 0x13;
const TUPLE_STRUCT: u8 = 0x14;
const TUPLE_VARIANT: u8 = 0x15;
const MAP: u8 = 0x16;
const STRUCT: u8 = 0x17;
const STRUCT_VARIANT: u8 = 0x18;
const SKIPPED: u8 = 0x19;
const END: u8 = 0x1A;

/// Feeds `value` into `state` in the form described above.
pub fn update<T: Serialize + ?Sized>(
    state: &mut ring::digest::Context,
    value: &T,
) -> Result<(), Error> {
    let mut writer = Writer {
        state,
        buf: Vec::with_capacity(CHUNK + 1024),
    };
    value.serialize(&mut writer)?;
    writer.state.update(&writer.buf);
    Ok(())
}

/// A value that could not be serialised (a `Serialize` impl reported an error).
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

struct Writer<'a> {
    state: &'a mut ring::digest::Context,
    buf: Vec<u8>,
}

impl Writer<'_> {
    fn spill(&mut self) {
        if self.buf.len() >= CHUNK {
            self.state.update(&self.buf);
            self.buf.clear();
        }
    }

    fn tag(&mut self, tag: u8) {
        self.buf.push(tag);
    }

    /// LEB128: seven bits a byte, low bits first, the high bit set on all but the last byte.
    fn varint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.buf.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.buf.push(n as u8);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.varint(bytes.len() as u64);
        if bytes.len() >= CHUNK {
            self.state.update(&self.buf);
            self.buf.clear();
            self.state.update(bytes);
        } else {
            self.buf.extend_from_slice(bytes);
            self.spill();
        }
    }
}

type Result<T = (), E = Error> = std::result::Result<T, E>;

impl<'a, 'b> ser::Serializer for &'a mut Writer<'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result {
        self.tag(if v { TRUE } else { FALSE });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result {
        self.tag(INT);
        // Zigzag: small magnitudes of either sign take few bytes.
        self.varint(((v << 1) ^ (v >> 63)) as u64);
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result {
        self.tag(INT128);
        self.buf.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result {
        self.tag(UINT);
        self.varint(v);
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result {
        self.tag(UINT128);
        self.buf.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result {
        self.tag(F32);
        self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result {
        self.tag(F64);
        self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result {
        self.tag(CHAR);
        self.varint(u64::from(u32::from(v)));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result {
        self.tag(STR);
        self.bytes(v.as_bytes());
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result {
        self.tag(BYTES);
        self.bytes(v);
        Ok(())
    }

    fn serialize_none(self) -> Result {
        self.tag(NONE);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        self.tag(SOME);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        self.tag(UNIT);
        Ok(())
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result {
        self.tag(UNIT_STRUCT);
        self.bytes(name.as_bytes());
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.tag(UNIT_VARIANT);
        self.bytes(variant.as_bytes());
        Ok(())
    }

    /// Transparent, as in JSON (`Money(5)` is written as `5`).
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.tag(NEWTYPE_VARIANT);
        self.bytes(variant.as_bytes());
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self> {
        self.tag(SEQ);
        Ok(self)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self> {
        self.tag(TUPLE);
        Ok(self)
    }

    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<Self> {
        self.tag(TUPLE_STRUCT);
        self.bytes(name.as_bytes());
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self> {
        self.tag(TUPLE_VARIANT);
        self.bytes(variant.as_bytes());
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self> {
        self.tag(MAP);
        Ok(self)
    }

    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self> {
        self.tag(STRUCT);
        self.bytes(name.as_bytes());
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self> {
        self.tag(STRUCT_VARIANT);
        self.bytes(variant.as_bytes());
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Writer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Writer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Writer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Writer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeMap for &mut Writer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        key.serialize(&mut **self)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Writer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Result {
        value.serialize(&mut **self)
    }

    fn skip_field(&mut self, _: &'static str) -> Result {
        self.tag(SKIPPED);
        Ok(())
    }

    fn end(self) -> Result {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Writer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Result {
        value.serialize(&mut **self)
    }

    fn skip_field(&mut self, _: &'static str) -> Result {
        self.tag(SKIPPED);
        Ok(())
    }

    fn end(self) -> Result {
        self.tag(END);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn key<T: Serialize>(value: &T) -> Vec<u8> {
        let mut state = ring::digest::Context::new(&ring::digest::SHA256);
        update(&mut state, value).expect("serialisable");
        state.finish().as_ref().to_vec()
    }

    #[derive(Serialize)]
    struct Row {
        a: String,
        b: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        c: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        d: Option<i64>,
        e: Vec<String>,
    }

    fn row(a: &str, b: &str, c: Option<i64>, d: Option<i64>, e: &[&str]) -> Row {
        Row {
            a: a.into(),
            b: b.into(),
            c,
            d,
            e: e.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn values_that_serialise_differently_get_different_fingerprints() {
        let rows = [
            row("ab", "", None, None, &[]),
            row("a", "b", None, None, &[]),
            row("", "ab", None, None, &[]),
            row("a", "b", Some(1), None, &[]),
            row("a", "b", None, Some(1), &[]),
            row("a", "b", Some(-1), None, &[]),
            row("a", "b", Some(128), None, &[]),
            row("a", "b", None, None, &[""]),
            row("a", "b", None, None, &["", ""]),
            row("a", "b", None, None, &["物业费"]),
        ];
        let keys: Vec<Vec<u8>> = rows.iter().map(key).collect();
        for (i, k) in keys.iter().enumerate() {
            for (j, other) in keys.iter().enumerate().skip(i + 1) {
                assert_ne!(k, other, "rows {i} and {j}");
            }
        }
        // The same value, the same fingerprint.
        assert_eq!(key(&rows[3]), key(&row("a", "b", Some(1), None, &[])));
        // Where a sequence ends matters.
        assert_ne!(key(&(vec![1, 2], vec![3])), key(&(vec![1], vec![2, 3])));
        let mut map = BTreeMap::new();
        map.insert("k", 1);
        assert_ne!(key(&map), key(&vec![("k", 1)]));
        assert_ne!(key(&Some(0u8)), key(&0u8));
    }

    #[test]
    fn long_strings_are_fed_whole() {
        let long = "甲".repeat(CHUNK);
        let mut state = ring::digest::Context::new(&ring::digest::SHA256);
        update(&mut state, &(long.as_str(), 7u8)).expect("serialisable");
        let mut expected = ring::digest::Context::new(&ring::digest::SHA256);
        let mut bytes = vec![TUPLE, STR];
        let mut n = long.len() as u64;
        while n >= 0x80 {
            bytes.push((n as u8) | 0x80);
            n >>= 7;
        }
        bytes.push(n as u8);
        bytes.extend_from_slice(long.as_bytes());
        bytes.extend_from_slice(&[UINT, 7, END]);
        expected.update(&bytes);
        assert_eq!(state.finish().as_ref(), expected.finish().as_ref());
    }
}
