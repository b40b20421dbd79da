//! A configuration profile's XML parsed by the browser's own `DOMParser`
//! into a [`profile::Value`]: the page needs no XML reader of its own (the
//! `plist` crate's would add about 40 KB to the download). The bytes pass
//! [`profile::checked_xml`] first (size, nesting depth, no entity
//! declarations), so walking the document is bounded.

use crate::profile::{self, Value};
use wasm_bindgen::JsCast;

/// The property list in a profile's bytes.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let xml = profile::checked_xml(bytes)?;
    let text =
        std::str::from_utf8(xml).map_err(|_| "the profile's XML is not UTF-8 text".to_string())?;
    let parser = web_sys::DomParser::new()
        .map_err(|_| "the browser's XML parser is not available".to_string())?;
    let document = parser
        .parse_from_string(text, web_sys::SupportedType::TextXml)
        .map_err(|_| "not a valid property list: the browser could not parse it".to_string())?;
    if let Some(error) = document.get_elements_by_tag_name("parsererror").item(0) {
        let detail = error.text_content().unwrap_or_default();
        let detail = detail.trim();
        let first_line = detail.lines().next().unwrap_or(detail);
        return Err(format!("not a valid property list: {first_line}"));
    }
    let root = document
        .document_element()
        .ok_or_else(|| "not a valid property list: the document is empty".to_string())?;
    if root.tag_name() != "plist" {
        return Err(format!(
            "not a valid property list: the document is <{}>, not <plist>",
            root.tag_name()
        ));
    }
    let top = root
        .first_element_child()
        .ok_or_else(|| "not a valid property list: <plist> is empty".to_string())?;
    value(&top)
}

fn children(element: &web_sys::Element) -> Vec<web_sys::Element> {
    let list = element.children();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|e| e.dyn_into::<web_sys::Element>().ok())
        .collect()
}

fn text(element: &web_sys::Element) -> String {
    element.text_content().unwrap_or_default()
}

fn value(element: &web_sys::Element) -> Result<Value, String> {
    match element.tag_name().as_str() {
        "dict" => {
            let items = children(element);
            let mut entries = Vec::new();
            for pair in items.chunks(2) {
                let [key, item] = pair else {
                    return Err("not a valid property list: a <dict> key has no value".into());
                };
                if key.tag_name() != "key" {
                    return Err(format!(
                        "not a valid property list: <{}> where a <key> belongs",
                        key.tag_name()
                    ));
                }
                entries.push((text(key), value(item)?));
            }
            Ok(Value::Dictionary(entries))
        }
        "array" => children(element)
            .iter()
            .map(value)
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        "string" => Ok(Value::String(text(element))),
        "integer" => text(element)
            .trim()
            .parse::<i64>()
            .map(Value::Integer)
            .map_err(|_| {
                format!(
                    "not a valid property list: <integer>{}</integer>",
                    text(element).trim()
                )
            }),
        "true" => Ok(Value::Boolean(true)),
        "false" => Ok(Value::Boolean(false)),
        "real" => Ok(Value::Other("a real number")),
        "date" => Ok(Value::Other("a date")),
        "data" => Ok(Value::Other("data")),
        other => Err(format!(
            "not a valid property list: <{other}> is not a property-list element"
        )),
    }
}
