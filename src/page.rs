//! Printable pages (HTML): the pieces they share.

/// Text made safe inside HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One message in the three languages, `kk / ru / en`.
pub fn three(id: &str) -> String {
    crate::i18n::LANGUAGES
        .iter()
        .map(|code| crate::i18n::loader_for(code).get(id))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// A whole page: `title`, then `body` (already HTML), in the pages' common style.
pub fn html(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>\n\
         <style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;width:100%}}\
         td,th{{border:1px solid #444;padding:4px 6px;font-size:11pt;vertical-align:top}}\
         code{{font-size:8pt;word-break:break-all}}</style></head>\n<body>\n{body}</body></html>\n",
        title = escape(title),
    )
}
