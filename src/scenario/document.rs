//! A scenario file as a plain TOML tree: read by toml's own parser (with
//! the span of every key and value), edited by the playground's controls,
//! written back with `toml_writer`.
//!
//! Serde is deliberately not in this path: its generated deserializers were
//! the largest single part of the browser download, and a tree walked by
//! hand also lets the typed pass report every wrong type at once.

use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml_writer::TomlWrite as _;

/// A problem found while reading: where, and what.
pub type Problem = (Range<usize>, String);

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    String(String),
    Integer(i64),
    /// As written: the format has no floats, but an edit must not change one.
    Float(String),
    Boolean(bool),
    /// As written (dates are not part of the format either).
    Datetime(String),
    Array(Vec<Node>),
    Table(Table),
}

impl Value {
    /// The type's name as a scenario author would say it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "a whole number",
            Value::Float(_) => "a decimal number",
            Value::Boolean(_) => "true or false",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_table(&self) -> Option<&Table> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    fn is_array_of_tables(&self) -> bool {
        matches!(self, Value::Array(items) if !items.is_empty()
            && items.iter().all(|i| matches!(i.value, Value::Table(_))))
    }
}

/// A value and the bytes of the file it came from (empty once edited).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Range<usize>,
}

impl Node {
    pub fn new(value: Value) -> Node {
        Node { value, span: 0..0 }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

/// Keys in the order the file wrote them; new keys go last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub entries: Vec<(Key, Node)>,
}

impl Table {
    /// Parses TOML text; every syntax error is reported at once.
    pub fn parse(text: &str) -> Result<Table, Vec<Problem>> {
        let (document, syntax) = DeTable::parse_recoverable(text);
        if !syntax.is_empty() {
            return Err(syntax
                .iter()
                .map(|e| (e.span().unwrap_or(0..0), e.message().trim_end().to_string()))
                .collect());
        }
        let mut problems = Vec::new();
        let table = from_de_table(document.get_ref(), &mut problems);
        if problems.is_empty() {
            Ok(table)
        } else {
            Err(problems)
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, n)| n)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k.name == key)
            .map(|(_, n)| n)
    }

    /// The true/false written at `[section] key`, if one is.
    pub fn flag(&self, section: &str, key: &str) -> Option<bool> {
        let section = self.get(section)?.value.as_table()?;
        section.get(key)?.value.as_bool()
    }

    /// Replaces the key's value in place, or adds the key at the end.
    pub fn insert(&mut self, key: &str, value: Value) {
        match self.get_mut(key) {
            Some(node) => *node = Node::new(value),
            None => self.entries.push((
                Key {
                    name: key.to_string(),
                    span: 0..0,
                },
                Node::new(value),
            )),
        }
    }

    pub fn remove(&mut self, key: &str) {
        self.entries.retain(|(k, _)| k.name != key);
    }

    /// The sub-table under `key`, created (at the end) when missing or not
    /// a table.
    pub fn table_mut(&mut self, key: &str) -> &mut Table {
        if !matches!(
            self.get(key),
            Some(Node {
                value: Value::Table(_),
                ..
            })
        ) {
            self.insert(key, Value::Table(Table::default()));
        }
        match self.get_mut(key) {
            Some(Node {
                value: Value::Table(t),
                ..
            }) => t,
            _ => unreachable!("inserted just above"),
        }
    }

    /// The TOML text: plain keys first, then `[tables]` and
    /// `[[arrays of tables]]`, each in the order they were written.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        write_table(&mut out, self, &mut Vec::new());
        out
    }
}

fn from_de_table(table: &DeTable<'_>, problems: &mut Vec<Problem>) -> Table {
    let mut entries: Vec<(Key, Node)> = table
        .iter()
        .map(|(key, value)| {
            let key = Key {
                name: key.get_ref().to_string(),
                span: key.span(),
            };
            (key, from_de_value(value.get_ref(), value.span(), problems))
        })
        .collect();
    // toml's table is ordered by key; the file's order is the spans' order.
    entries.sort_by_key(|(key, _)| key.span.start);
    Table { entries }
}

fn from_de_value(value: &DeValue<'_>, span: Range<usize>, problems: &mut Vec<Problem>) -> Node {
    let value = match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Integer(n),
            Err(_) => {
                problems.push((
                    span.clone(),
                    "this number is too large: whole numbers go up to 9223372036854775807".into(),
                ));
                Value::Integer(0)
            }
        },
        DeValue::Float(f) => Value::Float(f.as_str().to_string()),
        DeValue::Boolean(b) => Value::Boolean(*b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| from_de_value(item.get_ref(), item.span(), problems))
                .collect(),
        ),
        DeValue::Table(t) => Value::Table(from_de_table(t, problems)),
    };
    Node { value, span }
}

// Writing into a String cannot fail, so the fmt::Results below are ignored.

fn write_table(out: &mut String, table: &Table, path: &mut Vec<String>) {
    let is_section = |v: &Value| matches!(v, Value::Table(_)) || v.is_array_of_tables();
    for (key, node) in table.entries.iter().filter(|(_, n)| !is_section(&n.value)) {
        let _ = out.key(key.name.as_str());
        out.push_str(" = ");
        write_inline(out, &node.value);
        out.push('\n');
    }
    for (key, node) in table.entries.iter().filter(|(_, n)| is_section(&n.value)) {
        path.push(key.name.clone());
        match &node.value {
            Value::Table(sub) => {
                write_header(out, path, false);
                write_table(out, sub, path);
            }
            Value::Array(items) => {
                for item in items {
                    if let Value::Table(sub) = &item.value {
                        write_header(out, path, true);
                        write_table(out, sub, path);
                    }
                }
            }
            _ => {}
        }
        path.pop();
    }
}

fn write_header(out: &mut String, path: &[String], array: bool) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(if array { "[[" } else { "[" });
    for (i, key) in path.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        let _ = out.key(key.as_str());
    }
    out.push_str(if array { "]]\n" } else { "]\n" });
}

fn write_inline(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => {
            let _ = out.value(s.as_str());
        }
        Value::Integer(n) => {
            let _ = out.value(*n);
        }
        Value::Float(text) | Value::Datetime(text) => out.push_str(text),
        Value::Boolean(b) => {
            let _ = out.value(*b);
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_inline(out, &item.value);
            }
            out.push(']');
        }
        Value::Table(table) => {
            out.push('{');
            for (i, (key, node)) in table.entries.iter().enumerate() {
                out.push_str(if i > 0 { ", " } else { " " });
                let _ = out.key(key.name.as_str());
                out.push_str(" = ");
                write_inline(out, &node.value);
            }
            out.push_str(if table.entries.is_empty() { "}" } else { " }" });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_the_file_wrote() {
        let table = Table::parse("title = \"t\"\nios = \"18.2\"\nduration = \"1m\"\n").unwrap();
        let keys: Vec<&str> = table.entries.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(keys, ["title", "ios", "duration"]);
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "title = \"t\"\n[vpn]\nexclude_apns = true\n";
        let table = Table::parse(text).unwrap();
        let vpn = table.get("vpn").unwrap().value.as_table().unwrap();
        let (key, node) = &vpn.entries[0];
        assert_eq!(&text[key.span.clone()], "exclude_apns");
        assert_eq!(&text[node.span.clone()], "true");
    }

    #[test]
    fn writes_tables_after_plain_keys_and_round_trips() {
        let text = "[vpn]\nexclude_apns = true\nincluded_routes = [\"10.0.0.0/8\"]\n\n[[flow]]\nname = \"a \\\"quoted\\\" name\"\n\n[[flow]]\nname = \"b\"\n";
        let mut table = Table::parse(text).unwrap();
        table.insert("title", Value::String("t".into()));
        let written = table.to_toml();
        assert_eq!(
            written,
            "title = \"t\"\n\n[vpn]\nexclude_apns = true\nincluded_routes = [\"10.0.0.0/8\"]\n\n[[flow]]\nname = 'a \"quoted\" name'\n\n[[flow]]\nname = \"b\"\n"
        );
        let again = Table::parse(&written).unwrap();
        assert_eq!(again.to_toml(), written);
    }

    #[test]
    fn keeps_numbers_and_odd_keys_writable() {
        let text = "\"a key\" = 1.5e3\nn = 0x10\nnested = { x = 1 }\n";
        let table = Table::parse(text).unwrap();
        assert_eq!(table.get("n").unwrap().value, Value::Integer(16));
        let written = table.to_toml();
        assert_eq!(written, "\"a key\" = 1.5e3\nn = 16\n\n[nested]\nx = 1\n");
        assert!(Table::parse(&written).is_ok());
    }

    #[test]
    fn reports_syntax_errors_and_huge_numbers() {
        assert!(
            Table::parse("title = \"t\nios = 1\n[vpn\n")
                .unwrap_err()
                .len()
                >= 2
        );
        let problems = Table::parse("seed = 18446744073709551615\n").unwrap_err();
        assert!(problems[0].1.contains("too large"), "{problems:?}");
        assert_eq!(problems[0].0, 7..27);
    }
}
