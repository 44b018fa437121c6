//! `serde` feature: timestamps as RFC 3339 strings, blobs as base64 strings.
#![cfg(feature = "serde")]

use aws_lite_runtime::{Blob, DateTime};
use serde::de::value::{Error, StrDeserializer};
use serde::de::IntoDeserializer;
use serde::ser::{Error as _, Impossible, Serialize, Serializer};
use serde::Deserialize;

/// A serializer that only accepts strings, to see exactly what is emitted.
struct StrOnly;

macro_rules! reject {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self $(, _: $arg)*) -> Result<String, Error> {
            Err(Error::custom(concat!("unexpected ", stringify!($name))))
        })*
    };
}

impl Serializer for StrOnly {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_string())
    }

    reject!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Err(Error::custom("unexpected some"))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(Error::custom("unexpected newtype struct"))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(Error::custom("unexpected newtype variant"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error::custom("unexpected seq"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error::custom("unexpected tuple"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error::custom("unexpected tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error::custom("unexpected tuple variant"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error::custom("unexpected map"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Error::custom("unexpected struct"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error::custom("unexpected struct variant"))
    }
}

fn de(text: &str) -> StrDeserializer<'_, Error> {
    text.into_deserializer()
}

#[test]
fn date_time_as_rfc3339() {
    let t = DateTime::from_millis(1_704_164_645_123);
    assert_eq!(t.serialize(StrOnly).unwrap(), "2024-01-02T03:04:05.123Z");
    assert_eq!(
        DateTime::deserialize(de("2024-01-02T03:04:05.123Z")).unwrap(),
        t
    );
    assert_eq!(
        DateTime::deserialize(de("2024-01-02T04:04:05.123+01:00")).unwrap(),
        t
    );
    let e = DateTime::deserialize(de("yesterday")).unwrap_err();
    assert!(e.to_string().contains("RFC 3339"), "{e}");
    // Unrepresentable years are a serialization error, not a panic.
    assert!(DateTime::from_secs(i64::MAX).serialize(StrOnly).is_err());
}

#[test]
fn blob_as_base64() {
    let b = Blob::new(b"foobar".to_vec());
    assert_eq!(b.serialize(StrOnly).unwrap(), "Zm9vYmFy");
    assert_eq!(Blob::deserialize(de("Zm9vYmFy")).unwrap(), b);
    assert_eq!(Blob::deserialize(de("")).unwrap(), Blob::default());
    let e = Blob::deserialize(de("Zm9v!")).unwrap_err();
    assert!(e.to_string().contains("byte 4"), "{e}");
}
