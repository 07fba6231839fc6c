//! The case inventory of discs as a printable page (HTML, one table, headings in Kazakh,
//! Russian and English), for the case file (rule 21) and the archivist (rule 22).

use crate::page::{escape, three};
use crate::store::CaseDisc;

/// The page for `case_number`'s discs.
pub fn page(court: &str, case_number: &str, discs: &[CaseDisc]) -> String {
    let mut rows = String::new();
    for disc in discs {
        let burned = match (&disc.burned_at, &disc.burn_result) {
            (Some(at), Some(result)) => format!(
                "{} — {} ({})",
                escape(at),
                escape(result),
                escape(disc.burned_to.as_deref().unwrap_or(""))
            ),
            _ => "—".to_owned(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{} / {}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&disc.label),
            disc.disc,
            disc.of,
            escape(&disc.media),
            disc.sessions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            disc.size,
            escape(&disc.contents_sha256),
            escape(&disc.made_at),
            escape(&disc.made_by),
            burned,
        ));
    }
    let headings = [
        "disc-inventory-label",
        "disc-inventory-disc",
        "disc-inventory-media",
        "disc-inventory-sessions",
        "disc-inventory-size",
        "disc-inventory-contents",
        "disc-inventory-made",
        "disc-inventory-by",
        "disc-inventory-burned",
    ]
    .iter()
    .map(|id| format!("<th>{}</th>", escape(&three(id))))
    .collect::<String>();
    let title = three("disc-inventory-title");
    crate::page::html(
        &format!("{title}: {case_number}"),
        &format!(
            "<h1>{title}</h1>\n<p>{court}</p>\n<p>{case_label}: <b>{case}</b></p>\n\
             <table>\n<tr>{headings}</tr>\n{rows}</table>\n<p>{check}</p>\n",
            title = escape(&title),
            court = escape(court),
            case_label = escape(&three("disc-inventory-case")),
            case = escape(case_number),
            check = escape(&three("disc-inventory-check")),
        ),
    )
}
