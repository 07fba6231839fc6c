//! The folder's FUSE face: lookups, attributes, reads and listings, read-only.

use std::ffi::OsStr;
use std::sync::Arc;
use std::time::SystemTime;

use fuser::{
    Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags, Generation, INodeNo, LockOwner,
    OpenFlags, ReplyAttr, ReplyData, ReplyDirectory, ReplyEntry, ReplyOpen, Request,
};

use super::TTL;
use super::shared::Shared;
use super::tree::Kind;

/// The FUSE face: a read-only tree of the case's part folders.
pub(super) struct StreamFs {
    pub(super) shared: Arc<Shared>,
}

impl StreamFs {
    fn attr(&self, ino: u64) -> Result<FileAttr, Errno> {
        let tree = self.shared.tree();
        let node = tree.node(ino).ok_or(Errno::ENOENT)?;
        let (kind, size, perm) = match &node.kind {
            Kind::Folder(_) => (FileType::Directory, 0, 0o555),
            Kind::File { size, .. } => (FileType::RegularFile, *size, 0o444),
        };
        let at = SystemTime::UNIX_EPOCH;
        Ok(FileAttr {
            ino: INodeNo(ino),
            size,
            blocks: size.div_ceil(512),
            atime: at,
            mtime: at,
            ctime: at,
            crtime: at,
            kind,
            perm,
            nlink: if kind == FileType::Directory { 2 } else { 1 },
            uid: rustix::process::getuid().as_raw(),
            gid: rustix::process::getgid().as_raw(),
            rdev: 0,
            blksize: 1 << 16,
            flags: 0,
        })
    }
}

impl Filesystem for StreamFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        let child = {
            let tree = self.shared.tree();
            match tree.node(parent.0).map(|node| &node.kind) {
                Some(Kind::Folder(children)) => {
                    name.to_str().and_then(|n| children.get(n).copied())
                }
                _ => None,
            }
        };
        match child.ok_or(Errno::ENOENT).and_then(|ino| self.attr(ino)) {
            Ok(attr) => reply.entry(&TTL, &attr, Generation(0)),
            Err(error) => reply.error(error),
        }
    }

    fn getattr(&self, _req: &Request, ino: INodeNo, _fh: Option<FileHandle>, reply: ReplyAttr) {
        match self.attr(ino.0) {
            Ok(attr) => reply.attr(&TTL, &attr),
            Err(error) => reply.error(error),
        }
    }

    fn open(&self, _req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        match self.shared.file(ino.0) {
            // What was checked once stays checked: the kernel may keep it between opens.
            Ok(_) => reply.opened(FileHandle(0), FopenFlags::FOPEN_KEEP_CACHE),
            Err(error) => reply.error(error),
        }
    }

    fn read(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyData,
    ) {
        match self.shared.read(ino.0, offset, u64::from(size)) {
            Ok(bytes) => reply.data(&bytes),
            Err(error) => reply.error(error),
        }
    }

    fn flush(
        &self,
        _req: &Request,
        _ino: INodeNo,
        _fh: FileHandle,
        _lock_owner: LockOwner,
        reply: fuser::ReplyEmpty,
    ) {
        // Nothing is ever written: closing a file has nothing to finish.
        reply.ok();
    }

    fn opendir(&self, _req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        match self.shared.tree().node(ino.0).map(|node| &node.kind) {
            Some(Kind::Folder(_)) => reply.opened(FileHandle(0), FopenFlags::empty()),
            Some(_) => reply.error(Errno::ENOTDIR),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn readdir(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        mut reply: ReplyDirectory,
    ) {
        let tree = self.shared.tree();
        let Some(node) = tree.node(ino.0) else {
            return reply.error(Errno::ENOENT);
        };
        let Kind::Folder(children) = &node.kind else {
            return reply.error(Errno::ENOTDIR);
        };
        let dots = [
            (".".to_owned(), ino.0, FileType::Directory),
            ("..".to_owned(), node.parent, FileType::Directory),
        ];
        let entries = children.iter().filter_map(|(name, child)| {
            let kind = match &tree.node(*child)?.kind {
                Kind::Folder(_) => FileType::Directory,
                Kind::File { .. } => FileType::RegularFile,
            };
            Some((name.clone(), *child, kind))
        });
        for (at, (name, child, kind)) in dots
            .into_iter()
            .chain(entries)
            .enumerate()
            .skip(offset as usize)
        {
            if reply.add(INodeNo(child), at as u64 + 1, kind, &name) {
                break;
            }
        }
        reply.ok();
    }
}
