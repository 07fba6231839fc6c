//! Translations: every user-visible string lives in `i18n/{kk,ru,en}/hattama.ftl`.
//!
//! The `tr!` macro checks message ids against the English file at compile time.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use fluent::FluentValue;
use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use i18n_embed::{LanguageLoader, unic_langid::LanguageIdentifier};
use rust_embed::RustEmbed;
use serde::{Deserialize, Serialize};

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Localizations;

/// The languages Hattama speaks, in the order they are offered.
pub const LANGUAGES: [&str; 3] = ["kk", "ru", "en"];

pub static LOADER: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    loader
        .load_fallback_language(&Localizations)
        .expect("the English messages are embedded at build time");
    // Unicode isolation marks would show up as garbage in terminals and logs.
    loader.set_use_isolating(false);
    loader
});

/// A translated message: `tr!("id")` or `tr!("id", name = value, ...)`.
#[macro_export]
macro_rules! tr {
    ($id:literal) => {
        i18n_embed_fl::fl!($crate::i18n::LOADER, $id)
    };
    ($id:literal, $($args:tt)*) => {
        i18n_embed_fl::fl!($crate::i18n::LOADER, $id, $($args)*)
    };
}

/// A sentence kept as data, translated where it is shown, so what was written in one language
/// reads in another: a message of the interface with its values, or text as a device or a
/// server said it (kept as it came). Made with [`said!`](crate::said).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Said {
    Text(String),
    Message {
        id: String,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        args: BTreeMap<String, Value>,
    },
}

/// A message's value: a number (Fluent chooses plural forms by it) or text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Number(serde_json::Number),
    Text(String),
    /// A sentence within the sentence, translated with it.
    Said(Box<Said>),
}

impl Said {
    pub fn message<const N: usize>(id: &str, args: [(&str, Value); N]) -> Self {
        Said::Message {
            id: id.to_owned(),
            args: args
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        }
    }

    /// In the language in use now.
    pub fn text(&self) -> String {
        self.text_in(&LOADER)
    }

    /// In `loader`'s language (see [`loader_for`]).
    pub fn text_in(&self, loader: &FluentLanguageLoader) -> String {
        match self {
            Said::Text(text) => text.clone(),
            Said::Message { id, args } if !loader.has(id) => {
                // Kept by a version whose messages this one no longer has: said as it was
                // kept, never as the loader's "no localization".
                let values: Vec<String> = args
                    .iter()
                    .map(|(name, value)| format!("{name}: {}", value.shown_in(loader)))
                    .collect();
                if values.is_empty() {
                    id.clone()
                } else {
                    format!("{id} ({})", values.join(", "))
                }
            }
            Said::Message { id, args } => {
                let args: HashMap<&str, FluentValue<'_>> = args
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.fluent_in(loader)))
                    .collect();
                loader.get_args(id, args)
            }
        }
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl From<String> for Said {
    fn from(text: String) -> Self {
        Said::Text(text)
    }
}

impl Value {
    /// As it reads beside its name, outside a message.
    fn shown_in(&self, loader: &FluentLanguageLoader) -> String {
        match self {
            Value::Number(number) => number.to_string(),
            Value::Text(text) => text.clone(),
            Value::Said(said) => said.text_in(loader),
        }
    }

    fn fluent_in(&self, loader: &FluentLanguageLoader) -> FluentValue<'_> {
        match self {
            Value::Number(number) => match number.as_i64() {
                Some(whole) => FluentValue::from(whole),
                None => FluentValue::from(number.as_f64().unwrap_or_default()),
            },
            Value::Text(text) => FluentValue::from(text.as_str()),
            Value::Said(said) => FluentValue::from(said.text_in(loader)),
        }
    }
}

macro_rules! value_from_number {
    ($($number:ty),*) => {$(
        impl From<$number> for Value {
            fn from(number: $number) -> Self {
                Value::Number(serde_json::Number::from(number))
            }
        }
    )*};
}
value_from_number!(u8, u16, u32, u64, usize, i8, i16, i32, i64);

impl From<f64> for Value {
    fn from(number: f64) -> Self {
        serde_json::Number::from_f64(number).map_or(Value::Text(number.to_string()), Value::Number)
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Text(text)
    }
}

impl From<Said> for Value {
    fn from(said: Said) -> Self {
        Value::Said(Box::new(said))
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(text.to_owned())
    }
}

/// A sentence kept as data: `said!("id")` or `said!("id", name = value, ...)`, checked against
/// the English file at compile time as `tr!` is, translated where it is shown.
#[macro_export]
macro_rules! said {
    ($id:literal) => {{
        let _checked = || $crate::tr!($id);
        $crate::i18n::Said::message($id, [])
    }};
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let _checked = || $crate::tr!($id, $($name = ""),+);
        $crate::i18n::Said::message(
            $id,
            [$((stringify!($name), $crate::i18n::Value::from($value))),+],
        )
    }};
}

/// A loader speaking `code` (`kk`, `ru`, `en`) whatever the interface language: for
/// documents written in all three languages at once (a disc's README). Use with
/// `i18n_embed_fl::fl!(loader, "id", ...)`.
pub fn loader_for(code: &str) -> FluentLanguageLoader {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    let requested: Vec<LanguageIdentifier> = code.parse().into_iter().collect();
    if let Err(error) = i18n_embed::select(&loader, &Localizations, &requested) {
        tracing::warn!("cannot load translations for {code:?}: {error}");
    }
    loader.set_use_isolating(false);
    loader
}

/// Switches the interface language. `wanted` is a configured code (`kk`, `ru`, `en`);
/// when empty, the system's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) decides when it is
/// one of Hattama's languages. English is the fallback.
pub fn select(wanted: &str) {
    let code = if wanted.is_empty() {
        system_language()
    } else {
        wanted.to_owned()
    };
    let requested: Vec<LanguageIdentifier> = code.parse().into_iter().collect();
    if let Err(error) = i18n_embed::select(&*LOADER, &Localizations, &requested) {
        tracing::warn!("cannot load translations for {code:?}: {error}");
    }
    LOADER.set_use_isolating(false);
}

/// The first of Hattama's languages named by the locale variables, else `en`.
pub fn system_language() -> String {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .map(|value| {
            value
                .split(['_', '.', '@'])
                .next()
                .unwrap_or("")
                .to_lowercase()
        })
        .filter(|code| LANGUAGES.contains(&code.as_str()))
        .unwrap_or_else(|| "en".to_owned())
}

/// The language currently in use, as a code such as `kk`.
pub fn current() -> String {
    LOADER.current_language().language.as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message kept by an older version, whose id this one no longer has, reads as it was
    /// kept (its id and values), in every language.
    #[test]
    fn a_kept_message_this_version_lacks_reads_as_kept() {
        let said = Said::message(
            "check-removed-long-ago",
            [("frames", 50.into()), ("camera", "Зал 5".to_owned().into())],
        );
        for language in ["kk", "ru", "en"] {
            assert_eq!(
                said.text_in(&loader_for(language)),
                "check-removed-long-ago (camera: Зал 5, frames: 50)"
            );
        }
        let bare = Said::message("check-removed-long-ago", []);
        assert_eq!(bare.text_in(&loader_for("en")), "check-removed-long-ago");
    }

    fn ids(language: &str) -> Vec<String> {
        let file = Localizations::get(&format!("{language}/hattama.ftl"))
            .unwrap_or_else(|| panic!("{language}/hattama.ftl is embedded"));
        let text = std::str::from_utf8(&file.data).expect("translations are UTF-8");
        let mut ids: Vec<String> = text
            .lines()
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim().to_owned()))
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn every_language_has_every_message() {
        let english = ids("en");
        assert!(english.len() > 20, "the English file has its messages");
        for language in ["kk", "ru"] {
            assert_eq!(
                ids(language),
                english,
                "{language} has the same message ids as en"
            );
        }
    }

    #[test]
    fn selecting_a_language_translates() {
        select("ru");
        let russian = crate::tr!("app-name");
        select("en");
        let english = crate::tr!("app-name");
        assert_eq!(english, "Hattama");
        assert_ne!(russian, english);
    }
}
