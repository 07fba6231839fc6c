use super::planning::pack;
use super::*;

#[test]
fn labels_are_iso_9660_letters_from_the_case_number() {
    let tag = |case: &str| volume_label(case, 1, 1)[..4].to_owned();
    assert_eq!(
        volume_label("2-1234/2026", 1, 1),
        format!("{}_2_1234_2026", tag("2-1234/2026"))
    );
    assert_eq!(
        volume_label("2-1234/2026", 2, 3),
        format!("{}_2OF3_2_1234_2026", tag("2-1234/2026"))
    );
    assert!(volume_label("Іс № 7-қ/2026", 1, 1).ends_with("_IS_7_Q_2026"));
    let long = volume_label("2-123456789012345678901234567890", 10, 12);
    assert_eq!(long.len(), 32, "{long}");
    assert!(long[4..].starts_with("_10OF12_"), "{long}");
    assert!(
        long.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    );
}

#[test]
fn the_16_characters_joliet_keeps_differ_for_every_disc_and_case() {
    let joliet = |case: &str, number, of| -> String {
        volume_label(case, number, of).chars().take(16).collect()
    };
    let mut seen = std::collections::BTreeSet::new();
    for case in [
        "2-5678/2026",
        "2-5678/2026-ә",
        "2-5678/2026-а",
        "2-5678/2026-1",
    ] {
        for (number, of) in [(1, 1), (1, 3), (2, 3), (3, 3)] {
            let label = joliet(case, number, of);
            assert!(
                seen.insert(label.clone()),
                "{case} {number}/{of}: {label} twice"
            );
        }
    }
}

fn part(session_id: i64, files: &[(&str, u64)]) -> PartOnDisc {
    PartOnDisc {
        session_id,
        part: 1,
        source: PathBuf::new(),
        path: format!("s{session_id}/part-01"),
        files: files.iter().map(|(n, s)| (n.to_string(), *s)).collect(),
        elsewhere: Vec::new(),
    }
}

fn names(disc: &[PartOnDisc]) -> Vec<String> {
    disc.iter()
        .flat_map(|p| {
            p.files
                .iter()
                .map(move |(n, _)| format!("s{}/{n}", p.session_id))
        })
        .collect()
}

#[test]
fn whole_parts_fill_discs_in_order_and_a_long_part_is_spread_with_its_seal() {
    let seal = [("manifest.json", 10), ("audio.opus", 40)];
    let short = |id| part(id, &[seal[0], seal[1], ("recording-001.mkv", 300)]);
    let long = part(
        3,
        &[
            seal[0],
            seal[1],
            ("recording-001.mkv", 450),
            ("recording-002.mkv", 450),
            ("recording-003.mkv", 100),
        ],
    );
    let discs = pack(vec![short(1), short(2), long, short(4)], 1000, Media::Cd).expect("packed");
    assert_eq!(
        discs.iter().map(|d| names(d)).collect::<Vec<_>>(),
        [
            // Two short parts, then the long part's first file with its seal.
            vec![
                "s1/manifest.json",
                "s1/audio.opus",
                "s1/recording-001.mkv",
                "s2/manifest.json",
                "s2/audio.opus",
                "s2/recording-001.mkv",
            ],
            vec![
                "s3/manifest.json",
                "s3/audio.opus",
                "s3/recording-001.mkv",
                "s3/recording-002.mkv",
            ],
            vec![
                "s3/manifest.json",
                "s3/audio.opus",
                "s3/recording-003.mkv",
                "s4/manifest.json",
                "s4/audio.opus",
                "s4/recording-001.mkv",
            ],
        ]
    );
    assert!(
        discs
            .iter()
            .all(|d| d.iter().map(PartOnDisc::bytes).sum::<u64>() <= 1000)
    );
    let pieces: Vec<&PartOnDisc> = discs
        .iter()
        .flatten()
        .filter(|p| p.session_id == 3)
        .collect();
    assert_eq!(pieces[0].elsewhere, [("recording-003.mkv".to_owned(), 3)]);
    assert_eq!(
        pieces[1].elsewhere,
        [
            ("recording-001.mkv".to_owned(), 2),
            ("recording-002.mkv".to_owned(), 2)
        ]
    );
}

#[test]
fn a_recording_file_larger_than_a_disc_is_refused() {
    let too_big = part(1, &[("manifest.json", 10), ("recording-001.mkv", 995)]);
    assert!(matches!(
        pack(vec![too_big], 1000, Media::Cd),
        Err(DiscError::PartTooLarge { session: 1, .. })
    ));
}

#[test]
fn media_capacities_are_the_blanks_sold() {
    assert_eq!(Media::Cd.capacity(), 736_970_752);
    assert_eq!(Media::Dvd.capacity(), 4_700_372_992);
    assert_eq!(Media::from_code("dvd-dl"), Some(Media::DvdDl));
    assert_eq!(Media::from_code("floppy"), None);
}
