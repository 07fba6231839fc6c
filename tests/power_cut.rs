//! Power cuts, for real: Hattama runs on `cutfs` (tools/cutfs), a filesystem that keeps every
//! write in memory until it is synced and, when the power is cut, forgets what was not —
//! data not synced, names in folders not synced — as a disk's page cache is lost. Each
//! scenario cuts at seeded random moments (the seed is printed; `HATTAMA_CUT_SEED` repeats
//! it), restarts Hattama as the next start would, and holds it to its promises. `make test`
//! runs a few cuts of each; `make crash` many, writing the figures into BENCHMARKS.md.

mod common;
#[path = "common/cutfs.rs"]
mod cutfs;

use cutfs::CutDisk;

#[test]
fn the_disk_forgets_what_was_not_synced_and_keeps_what_was() {
    use std::io::Write;
    let disk = CutDisk::mount();
    let kept = disk.path.join("kept.txt");
    let mut file = std::fs::File::create(&kept).expect("created");
    file.write_all(b"synced").expect("written");
    file.sync_all().expect("synced");
    std::fs::File::open(&disk.path)
        .and_then(|folder| folder.sync_all())
        .expect("folder synced");
    file.write_all(b", and then more").expect("written");
    drop(file);
    std::fs::write(disk.path.join("lost.txt"), b"never synced").expect("written");
    std::fs::create_dir(disk.path.join("lost folder")).expect("made");

    let answer = disk.cut();
    assert!(
        std::fs::read_dir(&disk.path).is_err(),
        "a cut disk answers nothing until the power is back"
    );
    disk.thaw();
    assert!(answer.contains("files=2"), "{answer}");
    assert_eq!(std::fs::read(&kept).expect("kept"), b"synced");
    assert!(
        !disk.path.join("lost.txt").exists(),
        "unsynced name forgotten"
    );
    assert!(!disk.path.join("lost folder").exists());

    // Armed: the cut comes before the 3rd change from now, whatever writes it.
    disk.cut_after(3);
    let mut file = std::fs::File::create(disk.path.join("second.txt")).expect("change 1");
    file.write_all(b"a").expect("change 2");
    assert!(file.write_all(b"b").is_err(), "change 3 meets a dead disk");
    assert!(disk.frozen());
    disk.thaw();
    assert!(!disk.path.join("second.txt").exists());
}
