//! `hattama disc build`: the case disc's images from the terminal, with progress on stderr
//! and Ctrl+C to cancel.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hattama::config::Config;
use hattama::disc::image::{self, Maker, Progress};
use hattama::disc::{self, Media};
use hattama::output::{self, Output};
use hattama::paths::Paths;
use hattama::store::Store;
use hattama::tr;

use super::{fail, print_json};

/// The image of disc `number` of `of`: `out` itself for a single disc, else
/// `<stem>-<number>of<of>.iso` beside it.
pub fn image_path(out: &Path, number: usize, of: usize) -> PathBuf {
    if of == 1 {
        return out.to_owned();
    }
    let stem = out.file_stem().unwrap_or_default().to_string_lossy();
    let extension = out
        .extension()
        .map_or("iso".to_owned(), |e| e.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}-{number}of{of}.{extension}"))
}

fn show(progress: Progress) {
    eprint!("\r{}   ", progress.line());
    if progress.done >= progress.total {
        eprintln!();
    }
    let _ = std::io::stderr().flush();
}

pub fn build(
    paths: &Paths,
    config: &Config,
    (case, out, force): (&str, &Path, bool),
    (media, capacity): (&str, Option<u64>),
    json: bool,
) -> ExitCode {
    let Some(media) = Media::from_code(media) else {
        eprintln!(
            "{}: --media {media}: cd | dvd | dvd-dl | bd",
            tr!("error-label")
        );
        return ExitCode::FAILURE;
    };
    let mut store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    let capacity = capacity.unwrap_or(media.capacity());
    let (plans, unsealed) = match disc::plan_for(&store, paths, case, media, capacity) {
        Ok(planned) => planned,
        Err(error) => return fail(&error),
    };
    // Every image's name is checked before the first is written: a set is made whole or not.
    for plan in &plans {
        let path = image_path(out, plan.number, plan.of);
        if let Err(error) = output::may_write(&path, &paths.data, Output::DiscImage, force) {
            return fail(&error);
        }
    }
    for part in &unsealed {
        eprintln!(
            "{}",
            tr!(
                "disc-unsealed",
                session = part.session_id,
                part = part.number
            )
        );
    }
    let sealer = match hattama::seal::Sealer::open(paths, config) {
        Ok(sealer) => sealer,
        Err(error) => return fail(&error),
    };
    let trusted = hattama::seal::trusted_keys(paths);
    let maker = Maker {
        sealer: &sealer,
        trusted: &trusted,
        court: &config.court.name,
        made_by: &config.operator.name,
        replace_own_image: force,
    };
    let cancel = super::stop_signal();
    let mut built = Vec::new();
    for plan in &plans {
        let path = image_path(out, plan.number, plan.of);
        match image::build(plan, &maker, &path, &show, &cancel) {
            Ok(image) => {
                if let Err(error) = disc::record(
                    &mut store,
                    &image,
                    case,
                    (&config.court.name, &config.court.hall),
                    &config.operator.name,
                ) {
                    return fail(&error);
                }
                if !json {
                    println!("{}", image.summary());
                }
                built.push(image);
            }
            Err(error) => {
                eprintln!();
                return fail(&error);
            }
        }
    }
    if json {
        print_json(&serde_json::json!({
            "images": built,
            "unsealed": unsealed.iter().map(|p| serde_json::json!({
                "session_id": p.session_id, "part": p.number,
            })).collect::<Vec<_>>(),
        }));
    }
    ExitCode::SUCCESS
}

/// `hattama disc hand-over`: every disc of the case's inventory handed to the archivist `to`,
/// said to the court server as signed events (they go with the next delivery).
pub fn hand_over(paths: &Paths, config: &Config, (case, to): (&str, &str), json: bool) -> ExitCode {
    if to.trim().is_empty() {
        eprintln!("{}: {}", tr!("error-label"), tr!("disc-handed-to-nobody"));
        return ExitCode::FAILURE;
    }
    let mut store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    let handed = disc::hand_over(
        &mut store,
        case,
        (&config.court.name, &config.court.hall),
        (&config.operator.name, to),
    );
    let discs = match handed {
        Ok(discs) => discs,
        Err(error) => return fail(&error),
    };
    show_discs(&discs, case, json, |disc| {
        tr!(
            "disc-handed",
            label = disc.label.clone(),
            disc = disc.disc,
            of = disc.of,
            to = to.to_owned()
        )
    });
    if discs.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

pub fn inventory(
    paths: &Paths,
    config: &Config,
    case: &str,
    html: Option<PathBuf>,
    json: bool,
) -> ExitCode {
    let store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    let discs = match store.discs_of(case) {
        Ok(discs) => discs,
        Err(error) => return fail(&error),
    };
    if let Some(file) = html {
        let page = disc::inventory::page(&config.court.name, case, &discs);
        if let Err(error) = output::write_chosen(&file, &paths.data, page.as_bytes()) {
            return fail(&error);
        }
    }
    show_discs(&discs, case, json, |disc| {
        format!(
            "{}\t{}/{}\t{}\t{}\t{}\t{}",
            disc.label,
            disc.disc,
            disc.of,
            disc.made_at,
            disc.made_by,
            disc.contents_sha256,
            disc.burn_result.as_deref().unwrap_or("-")
        )
    });
    ExitCode::SUCCESS
}

/// A case's discs as JSON, or one `line` each, or that there are none.
fn show_discs(
    discs: &[hattama::store::CaseDisc],
    case: &str,
    json: bool,
    line: impl Fn(&hattama::store::CaseDisc) -> String,
) {
    if json {
        print_json(&serde_json::json!(discs));
    } else if discs.is_empty() {
        println!("{}", tr!("disc-inventory-none", case = case.to_owned()));
    } else {
        for disc in discs {
            println!("{}", line(disc));
        }
    }
}

pub fn drives(json: bool) -> ExitCode {
    match disc::burn::drives() {
        Ok(drives) if json => {
            print_json(&serde_json::json!(drives));
            ExitCode::SUCCESS
        }
        Ok(drives) => {
            if drives.is_empty() {
                println!("{}", tr!("disc-drives-none"));
            }
            for drive in drives {
                println!("{}\t{}", drive.address, drive.name);
            }
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

pub fn burn(
    paths: &Paths,
    config: &Config,
    image: &Path,
    drive: Option<String>,
    json: bool,
) -> ExitCode {
    let drive = match drive {
        Some(drive) => drive,
        None => match disc::burn::drives() {
            Ok(drives) if drives.len() == 1 => drives[0].address.clone(),
            Ok(drives) if drives.is_empty() => {
                eprintln!(
                    "{}",
                    tr!("disc-no-drive", path = image.display().to_string())
                );
                return ExitCode::FAILURE;
            }
            Ok(drives) => {
                eprintln!("{}: --drive DEVICE", tr!("error-label"));
                for drive in drives {
                    eprintln!("  {}\t{}", drive.address, drive.name);
                }
                return ExitCode::FAILURE;
            }
            Err(error) => return fail(&error),
        },
    };
    let cancel = super::stop_signal();
    let show = |done: u64, total: u64| {
        eprint!("\r{}: {done} / {total} MB   ", tr!("disc-burning"));
        let _ = std::io::stderr().flush();
    };
    if let Err(error) = disc::burn::burn(image, &drive, &show, &cancel) {
        eprintln!();
        return fail(&error);
    }
    eprintln!("\n{}", tr!("disc-reading-back"));
    let read_back = match disc::burn::read_back(image, &drive) {
        Ok(read_back) => read_back,
        Err(error) => return fail(&error),
    };
    // The result goes in the case inventory, beside the image's entry.
    let recorded = disc::burn::contents_of(image).and_then(|contents| {
        let store = Store::open(&paths.database()).ok()?;
        let entry = store.discs_by_contents(&contents).ok()?.pop()?;
        store
            .disc_burned(
                entry.id,
                &drive,
                &read_back.summary(),
                &config.operator.name,
            )
            .ok()
            .map(|()| entry.id)
    });
    if json {
        print_json(&serde_json::json!({
            "drive": drive,
            "read_back": read_back,
            "inventory_id": recorded,
        }));
    } else {
        match &read_back {
            disc::burn::ReadBack::Match { sha256, .. } => println!(
                "{}",
                tr!(
                    "disc-burn-match",
                    drive = drive.clone(),
                    sha256 = sha256.clone()
                )
            ),
            differs => println!(
                "{}",
                tr!(
                    "disc-burn-differs",
                    drive = drive.clone(),
                    summary = differs.summary()
                )
            ),
        }
    }
    if read_back.matches() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_of_images_is_numbered_beside_the_name_given() {
        let out = Path::new("/discs/іс-7.iso");
        assert_eq!(image_path(out, 1, 1), out);
        assert_eq!(image_path(out, 2, 3), PathBuf::from("/discs/іс-7-2of3.iso"));
    }
}
