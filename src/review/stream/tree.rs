//! The folder the judge's desk sees: each part's files as the server lists them, each file
//! with how its bytes are checked (by chunk, whole, or not at all).

use std::collections::BTreeMap;
use std::sync::Arc;

use object_store::path::Path as ObjectPath;

use crate::seal::part::MANIFEST;

/// How a file's bytes are held to its seal.
#[derive(Debug, Clone)]
pub(super) enum Check {
    /// Not known yet (the seal's lists are read at open).
    Pending,
    /// Each chunk against the seal's chunk list.
    Chunks {
        chunk_bytes: u64,
        sha256: Arc<Vec<String>>,
    },
    /// Read whole, against the SHA-256 the manifest lists.
    Whole { sha256: String },
    /// The seal's own files (manifest, signatures, sums): read whole, as they are; the seal
    /// check decides whether they hold.
    Seal,
    /// Not something that can be served: why.
    Refused(String),
}

#[derive(Debug)]
pub(super) enum Kind {
    Folder(BTreeMap<String, u64>),
    File {
        object: String,
        size: u64,
        check: Check,
    },
}

#[derive(Debug)]
pub(super) struct Node {
    pub(super) parent: u64,
    /// `<session>/<part>/<name>` under the case.
    pub(super) relative: String,
    pub(super) hidden: bool,
    pub(super) kind: Kind,
}

/// The case's part folders as the server lists them; inode N is `nodes[N - 1]`.
#[derive(Debug)]
pub(super) struct Tree {
    pub(super) nodes: Vec<Node>,
    /// The part folders (those holding a manifest), `<session>/<part>`.
    pub(super) parts: Vec<String>,
}

const ROOT: u64 = 1;

impl Tree {
    pub(super) fn of(objects: &[(String, u64)], base: &ObjectPath) -> Tree {
        let base = format!("{}/", base.as_ref());
        let relative: Vec<(&str, &str, u64)> = objects
            .iter()
            .filter_map(|(object, size)| {
                let relative = object.strip_prefix(&base)?;
                Some((relative, object.as_str(), *size))
            })
            .collect();
        let parts: Vec<String> = relative
            .iter()
            .filter_map(|(relative, _, _)| relative.strip_suffix(&format!("/{MANIFEST}")))
            .filter(|part| !part.is_empty() && !part.split('/').any(|piece| piece == "events"))
            .map(str::to_owned)
            .collect();
        let mut tree = Tree {
            nodes: vec![Node {
                parent: ROOT,
                relative: String::new(),
                hidden: false,
                kind: Kind::Folder(BTreeMap::new()),
            }],
            parts,
        };
        for (relative, object, size) in relative {
            // Only what lies directly in a part folder: the case's events are not shown.
            let Some((folder, name)) = relative.rsplit_once('/') else {
                continue;
            };
            if !tree.parts.iter().any(|part| part == folder) {
                continue;
            }
            let parent = tree.folder(folder);
            tree.add(
                parent,
                name,
                relative,
                Kind::File {
                    object: object.to_owned(),
                    size,
                    check: Check::Pending,
                },
            );
        }
        tree
    }

    pub(super) fn node(&self, ino: u64) -> Option<&Node> {
        let node = self.nodes.get(usize::try_from(ino).ok()?.checked_sub(1)?)?;
        (!node.hidden).then_some(node)
    }

    pub(super) fn add(&mut self, parent: u64, name: &str, relative: &str, kind: Kind) -> u64 {
        self.nodes.push(Node {
            parent,
            relative: relative.to_owned(),
            hidden: false,
            kind,
        });
        let ino = self.nodes.len() as u64;
        if let Kind::Folder(children) = &mut self.nodes[parent as usize - 1].kind {
            children.insert(name.to_owned(), ino);
        }
        ino
    }

    /// The folder at `relative`, made with its parents when new.
    pub(super) fn folder(&mut self, relative: &str) -> u64 {
        let mut at = ROOT;
        let mut path = String::new();
        for piece in relative.split('/') {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(piece);
            let existing = match &self.nodes[at as usize - 1].kind {
                Kind::Folder(children) => children.get(piece).copied(),
                Kind::File { .. } => None,
            };
            at = match existing {
                Some(ino) => ino,
                None => self.add(at, piece, &path, Kind::Folder(BTreeMap::new())),
            };
        }
        at
    }

    pub(super) fn find(&self, relative: &str) -> Option<u64> {
        self.nodes
            .iter()
            .position(|node| node.relative == relative)
            .map(|index| index as u64 + 1)
    }

    pub(super) fn hide(&mut self, part: &str) {
        let inside = format!("{part}/");
        for node in &mut self.nodes {
            if node.relative == part || node.relative.starts_with(&inside) {
                node.hidden = true;
            }
        }
    }
}
