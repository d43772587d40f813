//! A reader for dense ARFF files (Weka's Attribute-Relation File Format), enough for the
//! numeric and nominal tables sparse-regression benchmarks use.
//!
//! Supported: `%` comment lines, `@relation`, `@attribute` with `numeric`, `real` or
//! `integer` types or a nominal list `{a, b, …}`, quoted (`'…'` or `"…"`) names and
//! values, and dense `@data` rows. Nominal values are encoded as their position in the
//! declaration (`{Rock, Mine}` gives Rock = 0, Mine = 1), as liac-arff does for ZOOpt.
//! Not supported (reported as errors): sparse rows `{…}`, missing values `?`, string,
//! date and relational attributes.

use crate::data::Dataset;
use crate::error::DataError;

/// The type of an ARFF attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttributeKind {
    /// `numeric`, `real` or `integer`.
    Numeric,
    /// A nominal attribute with its values, in declaration order.
    Nominal(Vec<String>),
}

/// One column of an ARFF table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The attribute's name, without quotes.
    pub name: String,
    /// Its type.
    pub kind: AttributeKind,
}

/// A parsed ARFF table: every value as `f64`, nominal values encoded by position.
#[derive(Debug, Clone, PartialEq)]
pub struct Arff {
    /// The `@relation` name.
    pub relation: String,
    /// The columns.
    pub attributes: Vec<Attribute>,
    /// The rows, one value per attribute.
    pub rows: Vec<Vec<f64>>,
}

impl Arff {
    /// Parses an ARFF document.
    ///
    /// ```
    /// let text = "@relation toy\n@attribute a real\n@attribute 'c' {no, yes}\n@data\n0.5,yes\n1.5,no\n";
    /// let table = zoo_subset::Arff::parse(text)?;
    /// assert_eq!(table.rows, vec![vec![0.5, 1.0], vec![1.5, 0.0]]);
    /// # Ok::<(), zoo_subset::DataError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Arff, DataError> {
        let mut relation = String::new();
        let mut attributes = Vec::new();
        let mut rows = Vec::new();
        let mut in_data = false;
        for (number, raw) in text.lines().enumerate() {
            let line_no = number + 1;
            let err = |message: String| DataError::Arff {
                line: line_no,
                message,
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('%') {
                continue;
            }
            if in_data {
                rows.push(parse_row(line, &attributes).map_err(err)?);
                continue;
            }
            let (keyword, rest) = split_keyword(line);
            match keyword.to_ascii_lowercase().as_str() {
                "@relation" => relation = unquote(rest.trim()).to_owned(),
                "@attribute" => attributes.push(parse_attribute(rest).map_err(err)?),
                "@data" => {
                    if attributes.is_empty() {
                        return Err(err("@data before any @attribute".into()));
                    }
                    in_data = true;
                }
                _ => return Err(err(format!("unexpected header line {line:?}"))),
            }
        }
        if !in_data {
            return Err(DataError::Arff {
                line: text.lines().count(),
                message: "no @data section".into(),
            });
        }
        Ok(Arff {
            relation,
            attributes,
            rows,
        })
    }

    /// The table as a regression data set: the last attribute is the target, the others
    /// are the features.
    pub fn into_dataset(self) -> Result<Dataset, DataError> {
        let columns = self.attributes.len().saturating_sub(1);
        let rows = self.rows.len();
        if columns == 0 || rows == 0 {
            return Err(DataError::Empty { rows, columns });
        }
        // The fields are public: a table built by hand may have rows of another length.
        if let Some((r, row)) = self
            .rows
            .iter()
            .enumerate()
            .find(|(_, row)| row.len() != columns + 1)
        {
            return Err(DataError::Arff {
                line: r + 1,
                message: format!(
                    "data row {} has {} values for {} attributes",
                    r + 1,
                    row.len(),
                    columns + 1
                ),
            });
        }
        let value = |r: usize, c: usize| {
            self.rows
                .get(r)
                .and_then(|row| row.get(c))
                .copied()
                .unwrap_or(f64::NAN)
        };
        let x = nalgebra::DMatrix::from_fn(rows, columns, value);
        let y = nalgebra::DVector::from_fn(rows, |r, _| value(r, columns));
        let mut names = self.attributes.into_iter().map(|a| a.name);
        let feature_names: Vec<String> = names.by_ref().take(columns).collect();
        let target_name = names.next().unwrap_or_default();
        Dataset::new(x, y)?.with_names(feature_names, target_name)
    }
}

/// Splits `@keyword rest`.
fn split_keyword(line: &str) -> (&str, &str) {
    match line.find(char::is_whitespace) {
        Some(i) => (&line[..i], &line[i..]),
        None => (line, ""),
    }
}

fn parse_attribute(rest: &str) -> Result<Attribute, String> {
    let rest = rest.trim();
    let (name, kind) = if let Some(q) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let end = rest[1..]
            .find(q)
            .ok_or_else(|| format!("unclosed quote in attribute {rest:?}"))?;
        (&rest[1..=end], rest[end + 2..].trim())
    } else {
        let (name, kind) = split_keyword(rest);
        (name, kind.trim())
    };
    if name.is_empty() {
        return Err("attribute without a name".into());
    }
    let kind = if let Some(list) = kind.strip_prefix('{') {
        let list = list
            .strip_suffix('}')
            .ok_or_else(|| format!("unclosed nominal list in attribute {name:?}"))?;
        let values: Vec<String> = split_fields(list).into_iter().map(str::to_owned).collect();
        if values.is_empty() || values.iter().any(String::is_empty) {
            return Err(format!("empty nominal value in attribute {name:?}"));
        }
        AttributeKind::Nominal(values)
    } else {
        match kind.to_ascii_lowercase().as_str() {
            "numeric" | "real" | "integer" => AttributeKind::Numeric,
            other => return Err(format!("unsupported type {other:?} of attribute {name:?}")),
        }
    };
    Ok(Attribute {
        name: name.to_owned(),
        kind,
    })
}

fn parse_row(line: &str, attributes: &[Attribute]) -> Result<Vec<f64>, String> {
    if line.starts_with('{') {
        return Err("sparse ARFF rows are not supported".into());
    }
    let fields = split_fields(line);
    if fields.len() != attributes.len() {
        return Err(format!(
            "{} values for {} attributes",
            fields.len(),
            attributes.len()
        ));
    }
    fields
        .iter()
        .zip(attributes)
        .map(|(&field, attribute)| {
            if field == "?" {
                return Err(format!("missing value for {:?}", attribute.name));
            }
            match &attribute.kind {
                AttributeKind::Numeric => field
                    .parse::<f64>()
                    .map_err(|_| format!("{field:?} is not a number ({:?})", attribute.name)),
                AttributeKind::Nominal(values) => values
                    .iter()
                    .position(|v| v == field)
                    .map(|i| i as f64)
                    .ok_or_else(|| format!("{field:?} is not a value of {:?}", attribute.name)),
            }
        })
        .collect()
}

/// Splits on commas outside quotes; trims each field and strips its quotes.
fn split_fields(line: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => {
                fields.push(unquote(line[start..i].trim()));
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = line[start..].trim();
    if !(last.is_empty() && fields.is_empty()) {
        fields.push(unquote(last));
    }
    fields
}

fn unquote(s: &str) -> &str {
    for q in ['\'', '"'] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    const TOY: &str = "% a comment\n\
        @RELATION toy\n\
        \n\
        @attribute 'first one' REAL\n\
        @attribute second integer\n\
        @attribute class { 'Rock', Mine}\n\
        @data\n\
        % rows follow\n\
        0.25, 3, Mine\n\
        1e-3,-2,'Rock'\n";

    #[test]
    fn parses_names_types_and_rows() {
        let t = Arff::parse(TOY).unwrap();
        assert_eq!(t.relation, "toy");
        assert_eq!(t.attributes[0].name, "first one");
        assert_eq!(t.attributes[1].kind, AttributeKind::Numeric);
        assert_eq!(
            t.attributes[2].kind,
            AttributeKind::Nominal(vec!["Rock".into(), "Mine".into()])
        );
        assert_eq!(t.rows, vec![vec![0.25, 3.0, 1.0], vec![0.001, -2.0, 0.0]]);
    }

    #[test]
    fn builds_a_dataset_with_the_last_column_as_target() {
        let d = Arff::parse(TOY).unwrap().into_dataset().unwrap();
        assert_eq!((d.rows(), d.columns()), (2, 2));
        assert_eq!(d.y.as_slice(), &[1.0, 0.0]);
        assert_eq!(d.feature_names, ["first one", "second"]);
        assert_eq!(d.target_name, "class");
    }

    #[test]
    fn reports_bad_lines_with_their_number() {
        let bad_value = "@relation r\n@attribute a real\n@data\n1.0\nx\n";
        assert!(matches!(
            Arff::parse(bad_value),
            Err(DataError::Arff { line: 5, .. })
        ));
        let missing = "@relation r\n@attribute a real\n@attribute b real\n@data\n1.0,?\n";
        assert!(matches!(
            Arff::parse(missing),
            Err(DataError::Arff { line: 5, .. })
        ));
        let width = "@relation r\n@attribute a real\n@data\n1,2\n";
        assert!(Arff::parse(width).is_err());
        let unknown = "@relation r\n@attribute c {a, b}\n@data\nz\n";
        assert!(Arff::parse(unknown).is_err());
        let string_type = "@relation r\n@attribute s string\n@data\n";
        assert!(Arff::parse(string_type).is_err());
        let sparse = "@relation r\n@attribute a real\n@data\n{0 1}\n";
        assert!(Arff::parse(sparse).is_err());
        assert!(Arff::parse("@relation r\n@attribute a real\n").is_err());
    }
}
