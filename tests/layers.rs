//! Modules are layers: a module uses the ones below it, never one above, so no two of them
//! lean on each other. Read from the code itself, for the library's top-level modules, the
//! program's, and the children of every module that has them: each `crate::name` (or
//! `super::name` between siblings, `crate::parent::name`, and the names in a
//! `…::{name, …}` group) in a module's files is an edge, comments and test code left out.
//! A cycle among the edges fails the test, naming the files that make it.
//!
//! `cargo test --test layers -- --nocapture` prints each level's layers from the bottom up.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// For each module, the modules it uses and the files that use them.
type Edges = BTreeMap<String, BTreeMap<String, BTreeSet<PathBuf>>>;

/// The code of a file without comments and without its `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let mut kept = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        kept.push_str(line.split(" // ").next().unwrap_or_default());
        kept.push('\n');
    }
    kept
}

/// The modules a module's own file declares (`mod a;`, `pub mod b;`, `pub(crate) mod c;`),
/// test modules left out.
fn declared(file: &Path) -> Vec<String> {
    let text = fs::read_to_string(file).unwrap_or_default();
    code(&text)
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub(crate) mod ")
                .or_else(|| line.strip_prefix("pub(super) mod "))
                .or_else(|| line.strip_prefix("pub mod "))
                .or_else(|| line.strip_prefix("mod "))?;
            rest.strip_suffix(';').map(|name| name.trim().to_string())
        })
        .collect()
}

/// The names reached right after `prefix` (`crate::`, `super::`, `crate::seal::`): the one
/// name of `prefix name::…`, or the first-level names of `prefix {a::b, c, d::{e, f}}`.
fn reached(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut from = 0;
    while let Some(found) = code[from..].find(prefix) {
        let at = from + found;
        let before = code[..at].chars().next_back();
        from = at + prefix.len();
        let rest = &code[from..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // `super::super::x` read with the prefix `super::`, or `a_crate::`.
        }
        if let Some(group) = rest.strip_prefix('{') {
            let (mut depth, mut name, mut first) = (0, String::new(), true);
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if first && !name.is_empty() {
                            names.insert(std::mem::take(&mut name));
                        }
                        first = true;
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && first {
                    if c.is_alphanumeric() || c == '_' {
                        name.push(c);
                    } else if !name.is_empty() {
                        names.insert(std::mem::take(&mut name));
                        first = false;
                    }
                }
            }
            if first && !name.is_empty() {
                names.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
    }
    names
}

/// A module of the tree: its own file, the folder its children live in, and the path the
/// crate names it by (`crate::seal`).
struct Module {
    file: PathBuf,
    folder: PathBuf,
    path: String,
}

impl Module {
    fn child(&self, name: &str) -> Option<Module> {
        let flat = self.folder.join(format!("{name}.rs"));
        let nested = self.folder.join(name).join("mod.rs");
        let file = [flat, nested].into_iter().find(|file| file.is_file())?;
        Some(Module {
            file,
            folder: self.folder.join(name),
            path: format!("{}::{name}", self.path),
        })
    }

    fn children(&self) -> Vec<String> {
        declared(&self.file)
    }

    /// Every file of the module, each with how deep it is below the module's own file
    /// (`super::` × depth names the module's siblings), test files left out.
    fn files(&self) -> Vec<(PathBuf, usize)> {
        let mut found = vec![(self.file.clone(), 1)];
        for name in self.children() {
            if let Some(child) = self.child(&name) {
                found.extend(
                    child
                        .files()
                        .into_iter()
                        .map(|(file, depth)| (file, depth + 1)),
                );
            }
        }
        found
    }
}

/// The edges between `module`'s children.
fn edges(module: &Module, root: &Path) -> Edges {
    let children = module.children();
    let mut edges = Edges::new();
    for name in &children {
        let Some(child) = module.child(name) else {
            continue;
        };
        let mut to = BTreeMap::<String, BTreeSet<PathBuf>>::new();
        for (file, depth) in child.files() {
            let code = code(&fs::read_to_string(&file).expect("a source file"));
            let mut used = reached(&code, &format!("{}::", module.path));
            if module.path != "crate" {
                used.extend(reached(&code, &"super::".repeat(depth)));
            }
            for used in used {
                if used != *name && children.contains(&used) {
                    let shown = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
                    to.entry(used).or_default().insert(shown);
                }
            }
        }
        edges.insert(name.clone(), to);
    }
    edges
}

/// The layers from the bottom: each module in the first layer above everything it uses. What
/// is left over uses, or stands on, modules that use each other.
fn layers(edges: &Edges) -> (Vec<Vec<String>>, BTreeSet<String>) {
    let mut placed = BTreeSet::<String>::new();
    let mut layers = Vec::new();
    loop {
        let layer: Vec<String> = edges
            .iter()
            .filter(|(module, to)| {
                !placed.contains(*module) && to.keys().all(|used| placed.contains(used))
            })
            .map(|(module, _)| module.clone())
            .collect();
        if layer.is_empty() {
            break;
        }
        placed.extend(layer.iter().cloned());
        layers.push(layer);
    }
    let left = edges
        .keys()
        .filter(|module| !placed.contains(*module))
        .cloned()
        .collect();
    (layers, left)
}

/// Every module with two children or more, from the crate's root down.
fn parents(module: Module, found: &mut Vec<Module>) {
    let children = module.children();
    let kids: Vec<Module> = children
        .iter()
        .filter_map(|name| module.child(name))
        .collect();
    if kids.len() > 1 {
        found.push(module);
    }
    for kid in kids {
        parents(kid, found);
    }
}

#[test]
fn every_module_uses_only_the_ones_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut checked = Vec::new();
    for crate_root in ["lib.rs", "main.rs"] {
        let top = Module {
            file: src.join(crate_root),
            folder: src.clone(),
            path: "crate".to_owned(),
        };
        parents(top, &mut checked);
    }
    let mut knots = String::new();
    for module in &checked {
        let edges = edges(module, root);
        let (layers, left) = layers(&edges);
        let shown = module.file.strip_prefix(root).unwrap_or(&module.file);
        println!("{} ({}):", module.path, shown.display());
        for (height, layer) in layers.iter().enumerate() {
            println!("  layer {height}: {}", layer.join(", "));
        }
        for name in &left {
            for (used, by) in &edges[name] {
                if left.contains(used) {
                    let by: Vec<_> = by.iter().map(|file| file.display().to_string()).collect();
                    knots.push_str(&format!(
                        "\n  in {}: {name} → {used} ({})",
                        module.path,
                        by.join(", ")
                    ));
                }
            }
        }
    }
    let names: Vec<&str> = checked.iter().map(|module| module.path.as_str()).collect();
    for expected in ["crate", "crate::seal", "crate::recorder", "crate::screen"] {
        assert!(names.contains(&expected), "{expected} is read: {names:?}");
    }
    assert!(
        knots.is_empty(),
        "these modules are not layered (each line is a reference from one to the other; the \
         cycles are among them):{knots}"
    );
}

#[test]
fn the_reader_finds_every_form_of_a_path() {
    let text = "use crate::{a::{b, c}, d, e::f};\nlet x = crate::g::h();\n// crate::i\n\
                use super::super::k;\nuse super::{l, m::n};\nlet y = my_crate::o;\n\
                #[cfg(test)]\nmod tests { use crate::j; }\n";
    let found: Vec<_> = reached(&code(text), "crate::").into_iter().collect();
    assert_eq!(found, ["a", "d", "e", "g"]);
    let found: Vec<_> = reached(&code(text), "super::").into_iter().collect();
    assert_eq!(found, ["l", "m", "super"]);
    let found: Vec<_> = reached(&code(text), "super::super::").into_iter().collect();
    assert_eq!(found, ["k"]);
}

#[test]
fn a_cycle_is_left_over_and_what_stands_below_it_is_layered() {
    let edge = |to: &[&str]| -> BTreeMap<String, BTreeSet<PathBuf>> {
        to.iter()
            .map(|name| (name.to_string(), BTreeSet::new()))
            .collect()
    };
    let edges: Edges = [
        ("paths", edge(&[])),
        ("store", edge(&["paths", "check"])),
        ("check", edge(&["store"])),
        ("app", edge(&["check"])),
    ]
    .into_iter()
    .map(|(name, to)| (name.to_string(), to))
    .collect();
    let (layers, left) = layers(&edges);
    assert_eq!(layers, [["paths"]]);
    assert_eq!(
        left.into_iter().collect::<Vec<_>>(),
        ["app", "check", "store"]
    );
}
