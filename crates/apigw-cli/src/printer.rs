//! Output policy: when a listing is printed and where `--query` applies, one printer
//! per behaviour, as the AWS CLI's formatters decide it. The command loop only hands
//! each printer what arrived ([`Printer::page`], [`Printer::response`]) and how it
//! ended ([`Printer::finish`]); the printer decides what to write and when.
//!
//! - [`Buffered`] (json, table, yaml, off): the whole result once, after the last page,
//!   the query applied once to it; the resume token as `NextToken`.
//! - [`TextPages`] (text): each page's result list as it arrives, the query applied to
//!   each page, then the resume token as its own `NextToken` line.
//! - [`YamlStream`] (yaml-stream): each page whole, as the service sent it (its own
//!   `NextToken`), the query applied to each; no resume token.

use std::io;

use serde_json::{Map, Value};

use crate::output::{self, Format};
use crate::pager::Sink;
use crate::progress::Progress;
use crate::query::Query;
use crate::{EXIT_FAILURE, Failure, set_path, yaml};

/// What a printer needs to write: where, in which format, under which title, with which
/// query, and where the operation's result list sits in a page.
pub struct Output<'a> {
    pub sink: &'a mut Sink,
    pub format: Format,
    pub operation: &'static str,
    pub query: Option<&'a Query>,
    pub result_key: &'static str,
}

impl Output<'_> {
    /// `value`, or what `--query` makes of it.
    fn queried(&self, value: Value) -> Result<Value, Failure> {
        match self.query {
            None => Ok(value),
            Some(q) => q
                .apply(&value)
                .map_err(|e| Failure::new(EXIT_FAILURE, e.to_string())),
        }
    }

    /// Writes `value` in the output format (nothing for `off`).
    fn write(&mut self, value: &Value) -> Result<(), Failure> {
        write_out(self.sink, self.format, self.operation, value)
    }

    /// Writes what `--query` makes of `value`.
    fn print(&mut self, value: Value) -> Result<(), Failure> {
        let value = self.queried(value)?;
        self.write(&value)
    }
}

/// What a page hands its printer: the page whole, or only its result list.
pub enum PageView {
    /// The whole page in botocore form (for printers that print pages as they are).
    Whole(Value),
    /// The page's result list, if it has one.
    List(Option<Value>),
}

/// A policy for printing a listing.
pub trait Printer {
    /// Whether [`Printer::page`] wants pages whole ([`PageView::Whole`]).
    fn whole_pages(&self) -> bool {
        false
    }

    /// A page arrived.
    fn page(&mut self, page: PageView, progress: &Progress) -> Result<(), Failure>;

    /// The listing ended (or stopped after some pages arrived); `resume` is the token
    /// that continues it, if items remain. Not called when a failure came before any
    /// page: then nothing is printed.
    fn finish(&mut self, resume: Option<&str>) -> Result<(), Failure>;

    /// The one response of `--no-paginate`.
    fn response(&mut self, value: Value) -> Result<(), Failure>;
}

/// The printer for `format`.
pub fn for_format<'a>(out: Output<'a>) -> Box<dyn Printer + 'a> {
    match out.format {
        Format::Text => Box::new(TextPages { out }),
        Format::YamlStream => Box::new(YamlStream { out }),
        Format::Json | Format::Table | Format::Yaml | Format::Off => {
            Box::new(Buffered { out, items: None })
        }
    }
}

/// json, table, yaml and off: everything once, at the end.
pub struct Buffered<'a> {
    out: Output<'a>,
    items: Option<Vec<Value>>,
}

impl Printer for Buffered<'_> {
    fn page(&mut self, page: PageView, _: &Progress) -> Result<(), Failure> {
        let PageView::List(Some(found)) = page else {
            return Ok(());
        };
        match found {
            Value::Array(list) => match &mut self.items {
                Some(all) => all.extend(list),
                // The first page's list is kept as it is, not copied.
                None => self.items = Some(list),
            },
            other => self.items.get_or_insert_with(Vec::new).push(other),
        }
        Ok(())
    }

    fn finish(&mut self, resume: Option<&str>) -> Result<(), Failure> {
        let mut result = Map::new();
        if let Some(items) = self.items.take() {
            set_path(&mut result, self.out.result_key, Value::Array(items));
        }
        if let Some(token) = resume {
            result.insert("NextToken".into(), Value::String(token.to_owned()));
        }
        self.out.print(Value::Object(result))
    }

    fn response(&mut self, value: Value) -> Result<(), Failure> {
        self.out.print(value)
    }
}

/// text: page by page, then the resume token.
pub struct TextPages<'a> {
    out: Output<'a>,
}

impl Printer for TextPages<'_> {
    fn page(&mut self, page: PageView, progress: &Progress) -> Result<(), Failure> {
        let found = match page {
            PageView::List(found) => found,
            PageView::Whole(_) => return Ok(()),
        };
        let mut current = Map::new();
        set_path(
            &mut current,
            self.out.result_key,
            found.unwrap_or(Value::Null),
        );
        let current = self.out.queried(Value::Object(current))?;
        progress.suspend(|| self.out.write(&current))
    }

    fn finish(&mut self, resume: Option<&str>) -> Result<(), Failure> {
        let Some(token) = resume else {
            return Ok(());
        };
        let mut inner = Map::new();
        inner.insert("NextToken".into(), Value::String(token.to_owned()));
        let mut outer = Map::new();
        outer.insert("NextToken".into(), Value::Object(inner));
        self.out.print(Value::Object(outer))
    }

    fn response(&mut self, value: Value) -> Result<(), Failure> {
        self.out.print(value)
    }
}

/// yaml-stream: each page whole as it arrives; no resume token (the pages carry the
/// service's own `NextToken`, as AWS CLI v2 prints them).
pub struct YamlStream<'a> {
    out: Output<'a>,
}

impl Printer for YamlStream<'_> {
    fn whole_pages(&self) -> bool {
        true
    }

    fn page(&mut self, page: PageView, progress: &Progress) -> Result<(), Failure> {
        let PageView::Whole(value) = page else {
            return Ok(());
        };
        let value = self.out.queried(value)?;
        progress.suspend(|| self.out.write(&value))
    }

    fn finish(&mut self, _: Option<&str>) -> Result<(), Failure> {
        Ok(())
    }

    fn response(&mut self, value: Value) -> Result<(), Failure> {
        let value = self.out.queried(value)?;
        if value.as_object().is_some_and(Map::is_empty) {
            return Ok(()); // as the AWS CLI: an empty response streams nothing
        }
        self.out.write(&value)
    }
}

/// Writes `value` in `format` to `sink` (nothing for `off`); a closed pipe is not an
/// error.
pub fn write_out(
    sink: &mut Sink,
    format: Format,
    title: &str,
    value: &Value,
) -> Result<(), Failure> {
    if format == Format::Off {
        return Ok(());
    }
    let width = if sink.is_terminal() {
        terminal_width().unwrap_or(80)
    } else {
        80
    };
    let result = sink.write(|mut out| match format {
        Format::Json => output::write_json(&mut out, value),
        Format::Text => output::write_text(&mut out, value),
        Format::Table => output::write_table(&mut out, title, value, width),
        Format::Yaml => yaml::write_yaml(&mut out, value),
        Format::YamlStream => yaml::write_yaml_stream_item(&mut out, value),
        Format::Off => Ok(()),
    });
    match result {
        // A closed pipe (`| head`) is not an error of ours.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Failure::new(
            EXIT_FAILURE,
            format!("cannot write the output: {e}"),
        )),
        _ => Ok(()),
    }
}

fn terminal_width() -> Option<usize> {
    terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| usize::from(w.0))
}
