//! `hattama incidents`: the incidents awaiting their technical act (rule 29), and drawing an
//! act up from the terminal — for the head of office or the service organisation's employee
//! who confirms causes away from the secretary's window.

use std::process::ExitCode;

use hattama::act;
use hattama::config::Config;
use hattama::paths::Paths;
use hattama::store::Store;
use hattama::tr;

use super::{fail, print_json};

pub fn list(paths: &Paths, config: &Config, all: bool, json: bool) -> ExitCode {
    let store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    let zone = config.court.time_zone();
    let listed = match act::list(&store, all, zone, chrono::Utc::now()) {
        Ok(listed) => listed,
        Err(error) => return fail(&error),
    };
    if json {
        print_json(&serde_json::json!(listed));
    } else if listed.is_empty() {
        println!("{}", tr!("incidents-none"));
    } else {
        for listed in &listed {
            println!("{}", listed.line(zone));
        }
    }
    ExitCode::SUCCESS
}

pub struct ActArgs {
    pub id: i64,
    pub cause: String,
    pub confirmed_by: String,
    pub by: Option<String>,
}

pub fn draw_up(paths: &Paths, config: &Config, args: ActArgs, json: bool) -> ExitCode {
    let mut store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    let zone = config.court.time_zone();
    let by = args.by.unwrap_or_else(|| config.operator.name.clone());
    let drawn = match act::draw_up(
        &mut store,
        paths,
        args.id,
        &args.cause,
        &args.confirmed_by,
        &by,
        zone,
    ) {
        Ok(drawn) => drawn,
        Err(error) => return fail(&error),
    };
    let sealed = match drawn.reseal {
        Some(Ok(prepared)) => {
            let part_id = prepared.part_id();
            match hattama::seal::seal_prepared(&mut store, paths, part_id, Ok(prepared), config) {
                Ok(sealed) => Some(sealed),
                Err(error) => return fail(&error),
            }
        }
        Some(Err(error)) => return fail(&error),
        None => None,
    };
    let folder = sealed.as_ref().map(|sealed| sealed.folder.clone());
    if json {
        print_json(&serde_json::json!({ "act": drawn.act, "sealed": folder }));
    } else {
        let folder = folder.map(|f| f.display().to_string()).unwrap_or_default();
        println!(
            "{}",
            tr!("act-sealed-anew", number = args.id, folder = folder)
        );
    }
    ExitCode::SUCCESS
}
