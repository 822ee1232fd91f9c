//! The AWS CLI's three output formats over botocore-shaped values, byte for byte:
//!
//! - `json`: Python's `json.dumps(value, indent=4, ensure_ascii=False)` and a newline;
//!   nothing at all for an empty object;
//! - `text`: tab-separated rows, one per object, headed by the upper-cased key that led
//!   there, scalar columns in sorted key order;
//! - `table`: nested boxed sections sized to the widest cell, shrunk to the terminal
//!   width (80 when stdout is not a terminal) by turning one-row tables vertical.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};
use unicode_width::UnicodeWidthChar;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Pretty-printed JSON.
    Json,
    /// Tab-separated text.
    Text,
    /// Boxed tables.
    Table,
    /// YAML (AWS CLI v2).
    Yaml,
    /// YAML, one list item per page as it arrives (AWS CLI v2).
    YamlStream,
    /// Nothing on stdout; the exit code still tells the outcome (newer AWS CLI v2).
    Off,
}

/// Python's `repr()` of a float (shortest round-trip digits; exponent form below 1e-4
/// and from 1e16 up).
pub fn python_float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    let sci = format!("{:e}", value.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..16).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exp_sign}{:02}", exponent.abs());
    }
    if exponent < 0 {
        let zeros = "0".repeat((-exponent - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let point = exponent as usize + 1;
    if digits.len() <= point {
        format!("{sign}{digits}{}.0", "0".repeat(point - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..point], &digits[point..])
    }
}

/// serde_json's pretty printer with Python's float spelling.
struct PythonFormatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for PythonFormatter {
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(python_float(value).as_bytes())
    }
    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        writer.write_all(python_float(f64::from(value)).as_bytes())
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Writes `value` as the AWS CLI's `json` output.
pub fn write_json(out: &mut impl Write, value: &Value) -> io::Result<()> {
    if value.as_object().is_some_and(Map::is_empty) {
        return Ok(());
    }
    let formatter = PythonFormatter(serde_json::ser::PrettyFormatter::with_indent(b"    "));
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    value.serialize(&mut serializer).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// Python's `str()` of a scalar.
fn python_str(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => python_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => s.clone(),
        // Not reached for scalars; kept total.
        other => other.to_string(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

// ---- text ------------------------------------------------------------------------

/// Writes `value` as the AWS CLI's `text` output.
pub fn write_text(out: &mut impl Write, value: &Value) -> io::Result<()> {
    text_value(out, value, None, None)
}

fn text_value(
    out: &mut impl Write,
    value: &Value,
    label: Option<&str>,
    columns: Option<&[String]>,
) -> io::Result<()> {
    match value {
        Value::Object(map) => text_object(out, map, label, columns),
        Value::Array(items) => text_list(out, items, label),
        scalar => writeln!(out, "{}", python_str(scalar)),
    }
}

fn text_list(out: &mut impl Write, items: &[Value], label: Option<&str>) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    if items.iter().any(Value::is_object) {
        // Every object of the list gets the same scalar columns: the union of theirs.
        let mut columns: Vec<String> = items
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|m| {
                m.iter()
                    .filter(|(_, v)| is_scalar(v))
                    .map(|(k, _)| k.clone())
            })
            .collect();
        columns.sort();
        columns.dedup();
        for item in items {
            text_value(out, item, label, Some(&columns))?;
        }
    } else if items.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = items.iter().filter(|v| is_scalar(v)).collect();
        if !scalars.is_empty() {
            text_scalars(out, &scalars, label)?;
        }
        for nested in items.iter().filter(|v| !is_scalar(v)) {
            text_value(out, nested, label, None)?;
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        text_scalars(out, &scalars, label)?;
    }
    Ok(())
}

fn text_scalars(out: &mut impl Write, items: &[&Value], label: Option<&str>) -> io::Result<()> {
    match label {
        Some(label) => {
            for item in items {
                writeln!(out, "{}\t{}", label.to_uppercase(), python_str(item))?;
            }
            Ok(())
        }
        None => {
            let row: Vec<String> = items.iter().map(|v| python_str(v)).collect();
            writeln!(out, "{}", row.join("\t"))
        }
    }
}

fn text_object(
    out: &mut impl Write,
    map: &Map<String, Value>,
    label: Option<&str>,
    columns: Option<&[String]>,
) -> io::Result<()> {
    let mut row = Vec::new();
    let mut nested: Vec<(&String, &Value)> = Vec::new();
    match columns {
        None => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in entries {
                if is_scalar(value) {
                    row.push(python_str(value));
                } else {
                    nested.push((key, value));
                }
            }
        }
        Some(columns) => {
            for key in columns {
                row.push(map.get(key).map(python_str).unwrap_or_default());
            }
            let mut rest: Vec<(&String, &Value)> =
                map.iter().filter(|(k, _)| !columns.contains(k)).collect();
            rest.sort_by(|a, b| a.0.cmp(b.0));
            nested = rest;
        }
    }
    if !row.is_empty() {
        if let Some(label) = label {
            row.insert(0, label.to_uppercase());
        }
        writeln!(out, "{}", row.join("\t"))?;
    }
    for (key, value) in nested {
        text_value(out, value, Some(key), None)?;
    }
    Ok(())
}

// ---- table -----------------------------------------------------------------------

/// Display width as the AWS CLI counts it: East Asian wide, full-width and ambiguous
/// characters take two cells, everything else one.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if c.width() == Some(2) || crate::ambiguous::is_ambiguous(c) {
                2
            } else {
                1
            }
        })
        .sum()
}

#[derive(Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    widths: Vec<usize>,
}

impl Section {
    fn update_widths(&mut self, cells: &[String]) {
        if self.widths.is_empty() {
            self.widths = cells.iter().map(|c| width(c)).collect();
        } else {
            for (w, c) in self.widths.iter_mut().zip(cells) {
                *w = (*w).max(width(c));
            }
        }
    }

    fn add_header(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.update_widths(&row);
        self.rows.push(row);
    }

    /// Column widths with `padding`, scaled to add up to `max` (Python's rounding).
    fn column_widths(&self, padding: usize, max: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<usize> = self.widths.iter().map(|w| w + padding).collect();
        let Some(max) = max else { return unscaled };
        if unscaled.is_empty() {
            return unscaled;
        }
        let total: usize = unscaled.iter().sum();
        let factor = max as f64 / total as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (factor * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off = scaled.iter().sum::<i64>() - max as i64;
        while off != 0 {
            let order: Vec<usize> = if off < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off > 0 {
                    scaled[i] -= 1;
                    off -= 1;
                } else {
                    scaled[i] += 1;
                    off += 1;
                }
                if off == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self) -> usize {
        let columns: usize = self
            .column_widths(0, None)
            .iter()
            .map(|w| w + 4)
            .sum::<usize>()
            + 2;
        let with_indent = columns + 2 * self.indent;
        (width(&self.title) + 2 + 2 * self.indent).max(with_indent)
    }
}

struct Table {
    sections: Vec<Section>,
}

impl Table {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section {
            title: title.to_owned(),
            indent,
            ..Section::default()
        });
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0)
    }

    fn render(mut self, out: &mut impl Write, terminal_width: usize) -> io::Result<()> {
        let mut max = self.max_width();
        if max > terminal_width {
            // One-row tables with headers become two-column key/value tables.
            for section in &mut self.sections {
                if section.rows.len() == 1 && !section.headers.is_empty() {
                    let mut vertical = Section {
                        title: section.title.clone(),
                        indent: section.indent,
                        ..Section::default()
                    };
                    for (header, cell) in section.headers.iter().zip(&section.rows[0]) {
                        vertical.add_row(vec![header.clone(), cell.clone()]);
                    }
                    *section = vertical;
                }
            }
            max = self.max_width();
        }
        writeln!(out, "{}", "-".repeat(max))?;
        for section in &self.sections {
            render_section(out, section, max)?;
        }
        Ok(())
    }
}

fn center(text: &str, length: usize, left: &str, right: &str) -> String {
    let text_len = width(text) as i64;
    // May be negative for text wider than the cell; it then only shifts the right side.
    let start = length as i64 / 2 - text_len / 2 - 1;
    let so_far = width(left) as i64 + start + text_len;
    let right_spaces = (length as i64 - width(right) as i64 - so_far).max(0) as usize;
    format!(
        "{left}{}{text}{}{right}",
        " ".repeat(start.max(0) as usize),
        " ".repeat(right_spaces)
    )
}

fn align_left(text: &str, length: usize, left: &str, right: &str) -> String {
    let text_len = width(text);
    let padding = if length >= text_len + 2 + width(left) + width(right) {
        2
    } else {
        0
    };
    let so_far = left.len() + padding + text_len;
    let fill = length.saturating_sub(so_far + right.len());
    format!(
        "{left}{}{text}{}{right}",
        " ".repeat(padding),
        " ".repeat(fill)
    )
}

fn line_break(widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            line.push('+');
            line.push_str(&"-".repeat(w.saturating_sub(2)));
            line.push('+');
        } else {
            line.push_str(&"-".repeat(w.saturating_sub(1)));
            line.push('+');
        }
    }
    line
}

fn render_section(out: &mut impl Write, section: &Section, max: usize) -> io::Result<()> {
    let bars = "|".repeat(section.indent);
    let mut line = |text: String| writeln!(out, "{bars}{text}{bars}");
    let max = max.saturating_sub(section.indent * 2);
    if !section.title.is_empty() {
        line(center(&section.title, max, "|", "|"))?;
        if section.headers.is_empty() && section.rows.is_empty() {
            line(format!("+{}+", "-".repeat(max.saturating_sub(2))))?;
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, Some(max));
        let mut text = String::new();
        for (i, (w, header)) in widths.iter().zip(&section.headers).enumerate() {
            text.push_str(&center(header, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        line(line_break(&widths))?;
        line(text)?;
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(4, Some(max));
        if widths.is_empty() {
            return Ok(());
        }
        line(line_break(&widths))?;
        for row in &section.rows {
            let mut text = String::new();
            for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
                text.push_str(&align_left(cell, *w, if i == 0 { "|" } else { "" }, "|"));
            }
            line(text)?;
        }
        line(line_break(&widths))?;
    }
    Ok(())
}

fn scalar_keys(map: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let mut headers: Vec<String> = map
        .iter()
        .filter(|(_, v)| is_scalar(v))
        .map(|(k, _)| k.clone())
        .collect();
    let mut more: Vec<String> = map
        .iter()
        .filter(|(_, v)| !is_scalar(v))
        .map(|(k, _)| k.clone())
        .collect();
    headers.sort();
    more.sort();
    (headers, more)
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

fn build_table(table: &mut Table, title: Option<&str>, value: &Value, indent: usize) -> bool {
    if is_empty(value) {
        return false;
    }
    if let Some(title) = title {
        table.new_section(title, indent);
    }
    match value {
        Value::Array(items) => {
            if items.first().is_some_and(Value::is_object) {
                table_from_list(table, items, indent, title);
            } else {
                for item in items {
                    match item {
                        Value::Array(cells) if cells.iter().all(is_scalar) => {
                            table
                                .current()
                                .add_row(cells.iter().map(python_str).collect());
                        }
                        scalar if is_scalar(scalar) => {
                            table.current().add_row(vec![python_str(scalar)])
                        }
                        other => {
                            build_table(table, None, other, 0);
                        }
                    }
                }
            }
        }
        Value::Object(map) => table_from_object(table, map, indent),
        _ => {}
    }
    true
}

fn table_from_object(table: &mut Table, map: &Map<String, Value>, indent: usize) {
    let (headers, more) = scalar_keys(map);
    if headers.len() == 1 {
        let key = &headers[0];
        table
            .current()
            .add_row(vec![key.clone(), python_str(&map[key])]);
    } else if !headers.is_empty() {
        let row = headers.iter().map(|k| python_str(&map[k])).collect();
        table.current().add_header(headers);
        table.current().add_row(row);
    }
    for key in more {
        build_table(table, Some(&key), &map[&key], indent + 1);
    }
}

fn table_from_list(table: &mut Table, items: &[Value], indent: usize, title: Option<&str>) {
    let mut headers: Vec<String> = Vec::new();
    let mut more: Vec<String> = Vec::new();
    for item in items {
        if let Some(map) = item.as_object() {
            let (h, m) = scalar_keys(map);
            headers.extend(h);
            more.extend(m);
        }
    }
    headers.sort();
    headers.dedup();
    more.sort();
    more.dedup();
    table.current().add_header(headers.clone());
    for (i, item) in items.iter().enumerate() {
        let Some(map) = item.as_object() else {
            continue;
        };
        if i > 0 && !more.is_empty() {
            table.new_section(title.unwrap_or(""), indent);
            table.current().add_header(headers.clone());
        }
        let row = headers
            .iter()
            .map(|h| map.get(h).map(python_str).unwrap_or_default())
            .collect();
        table.current().add_row(row);
        for key in &more {
            if let Some(value) = map.get(key) {
                build_table(table, Some(key), value, indent + 1);
            }
        }
    }
}

/// Writes `value` as the AWS CLI's `table` output titled `title`, fitted to
/// `terminal_width`.
pub fn write_table(
    out: &mut impl Write,
    title: &str,
    value: &Value,
    terminal_width: usize,
) -> io::Result<()> {
    let mut table = Table {
        sections: Vec::new(),
    };
    if build_table(&mut table, Some(title), value, 0) {
        table.render(out, terminal_width)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_are_spelled_as_python_repr() {
        for (value, text) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (123.456, "123.456"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (-2.5, "-2.5"),
            (1e15, "1000000000000000.0"),
            (123456789.0, "123456789.0"),
        ] {
            assert_eq!(python_float(value), text, "{value}");
        }
    }

    #[test]
    fn json_matches_pythons_indent_4() {
        let mut out = Vec::new();
        write_json(
            &mut out,
            &json!({"Items": [{"A": 1, "B": [], "C": {}, "D": "é"}], "N": 0.5}),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n    \"Items\": [\n        {\n            \"A\": 1,\n            \"B\": [],\n            \"C\": {},\n            \"D\": \"é\"\n        }\n    ],\n    \"N\": 0.5\n}\n"
        );
        let mut out = Vec::new();
        write_json(&mut out, &json!({})).unwrap();
        assert!(out.is_empty(), "an empty result prints nothing");
    }

    #[test]
    fn text_rows_use_the_union_of_scalar_keys() {
        let mut out = Vec::new();
        write_text(
            &mut out,
            &json!({"Items": [{"B": "b1", "A": true, "M": {"k": "v"}}, {"A": false, "C": 3}]}),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ITEMS\tTrue\tb1\t\nM\tv\nITEMS\tFalse\t\t3\n"
        );
    }
}
