//! The translations (`i18n/`) and the built-in profiles (`assets/`) are embedded in the
//! program: a change to one of them must rebuild it, or it would speak stale words.
fn main() {
    println!("cargo:rerun-if-changed=i18n");
    println!("cargo:rerun-if-changed=assets");
    println!("cargo:rerun-if-changed=i18n.toml");
}
