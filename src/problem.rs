//! How an error is shown to a person: a title, one line on what to do, and details to copy.

use std::error::Error;

/// Implemented by every error a person may see, in the window or on the terminal.
pub trait Problem: Error {
    /// A short translated sentence naming what went wrong.
    fn title(&self) -> String;
    /// One translated line on what to do about it.
    fn help(&self) -> String;
    /// Technical details (the whole chain of causes), for copying into a report.
    fn details(&self) -> String {
        let mut text = self.to_string();
        if let Some(source) = self.source() {
            append_chain(&mut text, source);
        }
        text
    }
}

/// Appends `first` and every cause after it, one per line, skipping repeats.
fn append_chain(text: &mut String, first: &(dyn Error + 'static)) {
    let mut source = Some(first);
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str("\n  ");
            text.push_str(&line);
        }
        source = cause.source();
    }
}

/// The form used on a terminal.
pub fn render(problem: &dyn Problem) -> String {
    format!(
        "{}: {}\n{}\n{}:\n  {}",
        crate::tr!("error-label"),
        problem.title(),
        problem.help(),
        crate::tr!("details-label"),
        problem.details().replace('\n', "\n  ")
    )
}

/// Serializes a result with its error in words, as serde writes a `Result<T, String>`
/// (`{"Ok": …}` or `{"Err": "…"}`): for reports that scripts read, whose errors are typed.
pub fn in_words<T: serde::Serialize, E: std::fmt::Display, S: serde::Serializer>(
    result: &Result<T, E>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&result.as_ref().map_err(ToString::to_string), serializer)
}
