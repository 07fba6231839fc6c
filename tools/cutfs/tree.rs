//! The model of a disk that forgets: every file and folder twice, as the programs see it now
//! and as the disk holds it. A file's data reaches the disk when the file is synced
//! (`fsync`/`fdatasync`); a folder's names (new files, renames, removals) when the folder
//! is synced. [`Tree::cut`] is a power cut: what the programs saw becomes what the disk held.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::sync::Arc;
use std::time::SystemTime;

use fuser::Errno;

/// Data is held in blocks shared between the two views until one of them is written.
const BLOCK: usize = 64 * 1024;

/// A file's bytes. The bytes of the last block past `len` are always zero.
#[derive(Clone, Default)]
pub struct Content {
    blocks: Vec<Arc<Vec<u8>>>,
    len: u64,
}

impl Content {
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn read(&self, offset: u64, size: usize) -> Vec<u8> {
        let end = self.len.min(offset.saturating_add(size as u64));
        let mut out = Vec::with_capacity(end.saturating_sub(offset) as usize);
        let mut at = offset;
        while at < end {
            let (block, within) = ((at / BLOCK as u64) as usize, (at % BLOCK as u64) as usize);
            let take = (BLOCK - within).min((end - at) as usize);
            out.extend_from_slice(&self.blocks[block][within..within + take]);
            at += take as u64;
        }
        out
    }

    pub fn write(&mut self, offset: u64, data: &[u8]) {
        let end = offset + data.len() as u64;
        self.grow(end);
        let mut at = offset;
        let mut rest = data;
        while !rest.is_empty() {
            let (block, within) = ((at / BLOCK as u64) as usize, (at % BLOCK as u64) as usize);
            let take = (BLOCK - within).min(rest.len());
            Arc::make_mut(&mut self.blocks[block])[within..within + take]
                .copy_from_slice(&rest[..take]);
            rest = &rest[take..];
            at += take as u64;
        }
        self.len = self.len.max(end);
    }

    pub fn truncate(&mut self, len: u64) {
        if len >= self.len {
            self.grow(len);
            self.len = len;
            return;
        }
        self.blocks.truncate(len.div_ceil(BLOCK as u64) as usize);
        let within = (len % BLOCK as u64) as usize;
        if within != 0
            && let Some(last) = self.blocks.last_mut()
        {
            Arc::make_mut(last)[within..].fill(0);
        }
        self.len = len;
    }

    fn grow(&mut self, len: u64) {
        let blocks = len.div_ceil(BLOCK as u64) as usize;
        while self.blocks.len() < blocks {
            self.blocks.push(Arc::new(vec![0; BLOCK]));
        }
    }
}

/// What a node is, in both views where it has two.
#[derive(Clone)]
pub enum Body {
    File {
        now: Content,
        disk: Content,
    },
    Folder {
        now: BTreeMap<OsString, u64>,
        disk: BTreeMap<OsString, u64>,
    },
    Link {
        target: OsString,
    },
}

/// The kinds a program can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Link,
}

#[derive(Clone)]
pub struct Node {
    pub body: Body,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub atime: SystemTime,
    pub mtime: SystemTime,
    pub ctime: SystemTime,
    /// Names that lead to it now.
    pub links: u32,
}

impl Node {
    pub fn kind(&self) -> Kind {
        match self.body {
            Body::File { .. } => Kind::File,
            Body::Folder { .. } => Kind::Folder,
            Body::Link { .. } => Kind::Link,
        }
    }

    pub fn size(&self) -> u64 {
        match &self.body {
            Body::File { now, .. } => now.len(),
            Body::Folder { .. } => 4096,
            Body::Link { target } => target.len() as u64,
        }
    }

    fn touch(&mut self) {
        let now = SystemTime::now();
        self.mtime = now;
        self.ctime = now;
    }
}

/// What a power cut took.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Forgotten {
    /// Files whose data differed from the disk's.
    pub files: u64,
    /// Folders whose names differed from the disk's.
    pub folders: u64,
    /// Bytes written but not synced (by length: a rewrite in place counts as its file).
    pub bytes: u64,
}

#[derive(Clone)]
pub struct Tree {
    nodes: HashMap<u64, Node>,
}

pub const ROOT: u64 = 1;

impl Tree {
    pub fn new() -> Self {
        let now = SystemTime::now();
        let root = Node {
            body: Body::Folder {
                now: BTreeMap::new(),
                disk: BTreeMap::new(),
            },
            mode: 0o755,
            uid: 0,
            gid: 0,
            atime: now,
            mtime: now,
            ctime: now,
            links: 1,
        };
        Self {
            nodes: HashMap::from([(ROOT, root)]),
        }
    }

    pub fn node(&self, ino: u64) -> Result<&Node, Errno> {
        self.nodes.get(&ino).ok_or(Errno::ENOENT)
    }

    pub fn node_mut(&mut self, ino: u64) -> Result<&mut Node, Errno> {
        self.nodes.get_mut(&ino).ok_or(Errno::ENOENT)
    }

    fn names(&self, folder: u64) -> Result<&BTreeMap<OsString, u64>, Errno> {
        match &self.node(folder)?.body {
            Body::Folder { now, .. } => Ok(now),
            _ => Err(Errno::ENOTDIR),
        }
    }

    fn names_mut(&mut self, folder: u64) -> Result<&mut BTreeMap<OsString, u64>, Errno> {
        let node = self.node_mut(folder)?;
        node.touch();
        match &mut node.body {
            Body::Folder { now, .. } => Ok(now),
            _ => Err(Errno::ENOTDIR),
        }
    }

    pub fn child(&self, folder: u64, name: &OsStr) -> Result<u64, Errno> {
        self.names(folder)?.get(name).copied().ok_or(Errno::ENOENT)
    }

    /// The names in a folder now, with their nodes.
    pub fn list(&self, folder: u64) -> Result<Vec<(OsString, u64, Kind)>, Errno> {
        Ok(self
            .names(folder)?
            .iter()
            .filter_map(|(name, &ino)| Some((name.clone(), ino, self.nodes.get(&ino)?.kind())))
            .collect())
    }

    /// Makes a new node named `name` in `folder`; `ino` is its number (never used before).
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        folder: u64,
        name: &OsStr,
        ino: u64,
        kind: Kind,
        target: Option<&OsStr>,
        mode: u32,
        (uid, gid): (u32, u32),
    ) -> Result<(), Errno> {
        if self.names(folder)?.contains_key(name) {
            return Err(Errno::EEXIST);
        }
        let body = match kind {
            Kind::File => Body::File {
                now: Content::default(),
                disk: Content::default(),
            },
            Kind::Folder => Body::Folder {
                now: BTreeMap::new(),
                disk: BTreeMap::new(),
            },
            Kind::Link => Body::Link {
                target: target.unwrap_or_default().to_owned(),
            },
        };
        let now = SystemTime::now();
        self.nodes.insert(
            ino,
            Node {
                body,
                mode,
                uid,
                gid,
                atime: now,
                mtime: now,
                ctime: now,
                links: 1,
            },
        );
        self.names_mut(folder)?.insert(name.to_owned(), ino);
        Ok(())
    }

    /// Removes a name (`folder: true` for rmdir, which wants an empty folder).
    pub fn remove(&mut self, parent: u64, name: &OsStr, folder: bool) -> Result<(), Errno> {
        let ino = self.child(parent, name)?;
        let node = self.node(ino)?;
        match (folder, node.kind()) {
            (true, Kind::Folder) if !self.names(ino)?.is_empty() => return Err(Errno::ENOTEMPTY),
            (true, Kind::Folder) | (false, Kind::File | Kind::Link) => {}
            (true, _) => return Err(Errno::ENOTDIR),
            (false, Kind::Folder) => return Err(Errno::EISDIR),
        }
        self.names_mut(parent)?.remove(name);
        let node = self.node_mut(ino)?;
        node.links = node.links.saturating_sub(1);
        node.ctime = SystemTime::now();
        Ok(())
    }

    /// `rename(2)` with `RENAME_NOREPLACE` when `no_replace`.
    pub fn rename(
        &mut self,
        (from, name): (u64, &OsStr),
        (to, new_name): (u64, &OsStr),
        no_replace: bool,
    ) -> Result<(), Errno> {
        let moved = self.child(from, name)?;
        self.names(to)?;
        if let Ok(replaced) = self.child(to, new_name) {
            if replaced == moved {
                return Ok(());
            }
            if no_replace {
                return Err(Errno::EEXIST);
            }
            let moved_kind = self.node(moved)?.kind();
            let replaced_kind = self.node(replaced)?.kind();
            match (moved_kind, replaced_kind) {
                (Kind::Folder, Kind::Folder) if !self.names(replaced)?.is_empty() => {
                    return Err(Errno::ENOTEMPTY);
                }
                (Kind::Folder, Kind::Folder) => {}
                (Kind::Folder, _) => return Err(Errno::ENOTDIR),
                (_, Kind::Folder) => return Err(Errno::EISDIR),
                _ => {}
            }
            let node = self.node_mut(replaced)?;
            node.links = node.links.saturating_sub(1);
        }
        self.names_mut(from)?.remove(name);
        self.names_mut(to)?.insert(new_name.to_owned(), moved);
        self.node_mut(moved)?.ctime = SystemTime::now();
        Ok(())
    }

    pub fn content_mut(&mut self, ino: u64) -> Result<&mut Content, Errno> {
        let node = self.node_mut(ino)?;
        node.touch();
        match &mut node.body {
            Body::File { now, .. } => Ok(now),
            Body::Folder { .. } => Err(Errno::EISDIR),
            Body::Link { .. } => Err(Errno::EINVAL),
        }
    }

    pub fn content(&self, ino: u64) -> Result<&Content, Errno> {
        match &self.node(ino)?.body {
            Body::File { now, .. } => Ok(now),
            Body::Folder { .. } => Err(Errno::EISDIR),
            Body::Link { .. } => Err(Errno::EINVAL),
        }
    }

    /// `fsync` of a file, or of a folder: what the programs see of it is on the disk.
    pub fn sync(&mut self, ino: u64) -> Result<(), Errno> {
        match &mut self.node_mut(ino)?.body {
            Body::File { now, disk } => *disk = now.clone(),
            Body::Folder { now, disk } => *disk = now.clone(),
            Body::Link { .. } => {}
        }
        Ok(())
    }

    /// Everything on the disk, as `sync(1)` would.
    pub fn sync_all(&mut self) {
        let all: Vec<u64> = self.nodes.keys().copied().collect();
        for ino in all {
            let _ = self.sync(ino);
        }
    }

    /// The power cut: every file and folder is what the disk held; what no name on the disk
    /// leads to is gone.
    pub fn cut(&mut self) -> Forgotten {
        let mut forgotten = Forgotten::default();
        for node in self.nodes.values_mut() {
            match &mut node.body {
                Body::File { now, disk } => {
                    let differs = now.len != disk.len
                        || now
                            .blocks
                            .iter()
                            .zip(&disk.blocks)
                            .any(|(a, b)| !Arc::ptr_eq(a, b));
                    if differs {
                        forgotten.files += 1;
                        forgotten.bytes += now.len.abs_diff(disk.len).max(1);
                    }
                    *now = disk.clone();
                }
                Body::Folder { now, disk } => {
                    if now != disk {
                        forgotten.folders += 1;
                    }
                    *now = disk.clone();
                }
                Body::Link { .. } => {}
            }
        }
        // What is reachable from the root, and how many names lead to each node.
        let mut links: HashMap<u64, u32> = HashMap::from([(ROOT, 1)]);
        let mut seen = HashSet::from([ROOT]);
        let mut queue = vec![ROOT];
        while let Some(ino) = queue.pop() {
            if let Some(Body::Folder { now, .. }) = self.nodes.get(&ino).map(|node| &node.body) {
                for &child in now.values() {
                    *links.entry(child).or_default() += 1;
                    if seen.insert(child) {
                        queue.push(child);
                    }
                }
            }
        }
        self.nodes.retain(|ino, _| seen.contains(ino));
        for (ino, node) in &mut self.nodes {
            node.links = links.get(ino).copied().unwrap_or(0);
        }
        forgotten
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: (u32, u32) = (0, 0);

    fn file(tree: &mut Tree, folder: u64, name: &str, ino: u64) {
        tree.add(
            folder,
            OsStr::new(name),
            ino,
            Kind::File,
            None,
            0o644,
            OWNER,
        )
        .expect("added");
    }

    #[test]
    fn content_reads_what_was_written_across_blocks_and_zeroes_what_grew() {
        let mut content = Content::default();
        let data: Vec<u8> = (0..200_000u32).map(|n| (n % 251) as u8).collect();
        content.write(10, &data);
        assert_eq!(content.len(), 200_010);
        assert_eq!(content.read(10, data.len()), data);
        assert_eq!(content.read(0, 10), vec![0; 10]);
        content.truncate(70_000);
        content.truncate(140_000);
        assert_eq!(content.read(69_990, 20)[..10], data[69_980..69_990]);
        assert_eq!(content.read(70_000, 70_000), vec![0; 70_000]);
        assert!(content.read(140_000, 10).is_empty());
    }

    #[test]
    fn unsynced_data_and_names_are_forgotten_synced_ones_stay() {
        let mut tree = Tree::new();
        file(&mut tree, ROOT, "kept", 2);
        tree.content_mut(2).expect("file").write(0, b"synced");
        tree.sync(2).expect("synced");
        tree.sync(ROOT).expect("folder synced");
        tree.content_mut(2).expect("file").write(6, b" and not");
        file(&mut tree, ROOT, "new", 3);
        tree.content_mut(3).expect("file").write(0, b"never synced");
        tree.sync(3).expect("data synced, its name is not");

        let forgotten = tree.cut();
        assert_eq!(
            forgotten.files, 1,
            "the new file's data was synced, only its name was not"
        );
        assert_eq!(forgotten.folders, 1);
        assert_eq!(tree.content(2).expect("kept").read(0, 100), b"synced");
        assert_eq!(tree.child(ROOT, OsStr::new("new")), Err(Errno::ENOENT));
        assert!(tree.node(3).is_err(), "a node no name leads to is gone");
    }

    #[test]
    fn a_rename_is_on_the_disk_once_its_folder_is_synced() {
        let mut tree = Tree::new();
        file(&mut tree, ROOT, "a.tmp", 2);
        tree.content_mut(2).expect("file").write(0, b"new");
        tree.sync(2).expect("synced");
        tree.rename((ROOT, OsStr::new("a.tmp")), (ROOT, OsStr::new("a")), false)
            .expect("renamed");
        tree.cut();
        assert!(
            tree.child(ROOT, OsStr::new("a")).is_err(),
            "rename forgotten"
        );

        file(&mut tree, ROOT, "b.tmp", 3);
        tree.sync(3).expect("synced");
        tree.rename((ROOT, OsStr::new("b.tmp")), (ROOT, OsStr::new("b")), false)
            .expect("renamed");
        tree.sync(ROOT).expect("folder synced");
        tree.cut();
        assert_eq!(tree.child(ROOT, OsStr::new("b")), Ok(3));
        assert_eq!(tree.child(ROOT, OsStr::new("b.tmp")), Err(Errno::ENOENT));
    }

    #[test]
    fn rename_without_replacing_and_folder_rules_hold() {
        let mut tree = Tree::new();
        file(&mut tree, ROOT, "a", 2);
        file(&mut tree, ROOT, "b", 3);
        assert_eq!(
            tree.rename((ROOT, OsStr::new("a")), (ROOT, OsStr::new("b")), true),
            Err(Errno::EEXIST)
        );
        tree.add(ROOT, OsStr::new("d"), 4, Kind::Folder, None, 0o755, OWNER)
            .expect("folder");
        file(&mut tree, 4, "inside", 5);
        assert_eq!(
            tree.remove(ROOT, OsStr::new("d"), true),
            Err(Errno::ENOTEMPTY)
        );
        assert_eq!(
            tree.remove(ROOT, OsStr::new("d"), false),
            Err(Errno::EISDIR)
        );
        tree.rename((ROOT, OsStr::new("a")), (ROOT, OsStr::new("b")), false)
            .expect("replaced");
        assert_eq!(tree.child(ROOT, OsStr::new("b")), Ok(2));
        assert_eq!(tree.node(3).expect("open files stay").links, 0);
    }
}
