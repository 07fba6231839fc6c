//! Translations: every user-visible string lives in `i18n/{kk,ru,en}/hattama.ftl`.
//!
//! The `tr!` macro checks message ids against the English file at compile time.

use std::sync::LazyLock;

use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use i18n_embed::{LanguageLoader, unic_langid::LanguageIdentifier};
use rust_embed::RustEmbed;

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
