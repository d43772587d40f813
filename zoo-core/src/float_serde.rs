//! Serde helpers that keep non-finite floats (NaN, ±∞) through formats such as JSON,
//! which has no literal for them. Finite values are written as numbers; others as the
//! strings `"NaN"`, `"inf"` and `"-inf"`.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Repr<'a> {
    Number(f64),
    Text(std::borrow::Cow<'a, str>),
}

fn to_repr(v: f64) -> Repr<'static> {
    if v.is_finite() {
        Repr::Number(v)
    } else if v.is_nan() {
        Repr::Text("NaN".into())
    } else if v > 0.0 {
        Repr::Text("inf".into())
    } else {
        Repr::Text("-inf".into())
    }
}

fn from_repr<E: de::Error>(r: Repr<'_>) -> Result<f64, E> {
    match r {
        Repr::Number(v) => Ok(v),
        Repr::Text(t) => match t.as_ref() {
            "NaN" => Ok(f64::NAN),
            "inf" => Ok(f64::INFINITY),
            "-inf" => Ok(f64::NEG_INFINITY),
            other => Err(E::custom(format!("not a number: {other:?}"))),
        },
    }
}

/// Serialise one `f64`.
pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    to_repr(*v).serialize(s)
}

/// Deserialise one `f64`.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    from_repr(Repr::deserialize(d)?)
}

/// The same encoding for `Vec<f64>`.
pub mod vec {
    use super::*;

    /// Serialise a vector.
    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for &x in v {
            seq.serialize_element(&to_repr(x))?;
        }
        seq.end()
    }

    /// Deserialise a vector.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<f64>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence of numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(r) = seq.next_element::<Repr<'de>>()? {
                    out.push(from_repr(r)?);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V)
    }
}

/// The same encoding for `Option<f64>`.
pub mod option {
    use super::*;

    /// Serialise an optional value.
    pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        v.map(to_repr).serialize(s)
    }

    /// Deserialise an optional value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Option::<Repr<'de>>::deserialize(d)?.map(from_repr).transpose()
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, Debug)]
    struct Holder {
        #[serde(with = "super")]
        one: f64,
        #[serde(with = "super::vec")]
        many: Vec<f64>,
        #[serde(with = "super::option")]
        maybe: Option<f64>,
    }

    #[test]
    fn non_finite_values_survive_json() {
        let h = Holder {
            one: f64::NAN,
            many: vec![1.5, f64::INFINITY, f64::NEG_INFINITY, 0.1 + 0.2],
            maybe: Some(f64::INFINITY),
        };
        let json = serde_json::to_string(&h).unwrap();
        let back: Holder = serde_json::from_str(&json).unwrap();
        assert!(back.one.is_nan());
        assert_eq!(back.many.len(), 4);
        assert_eq!(back.many[0].to_bits(), 1.5f64.to_bits());
        assert_eq!(back.many[1], f64::INFINITY);
        assert_eq!(back.many[2], f64::NEG_INFINITY);
        assert_eq!(back.many[3].to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(back.maybe, Some(f64::INFINITY));
    }
}
