//! The FUSE face of [`Tree`]: every request of the kernel answered from the model, with the
//! power switch. A cut freezes the filesystem: from then on every request fails with `EIO`
//! (a dead disk) until the test has killed what was running and thaws it.

use std::ffi::OsStr;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use fuser::{
    AccessFlags, Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags, Generation,
    INodeNo, LockOwner, OpenFlags, RenameFlags, ReplyAttr, ReplyCreate, ReplyData, ReplyDirectory,
    ReplyEmpty, ReplyEntry, ReplyOpen, ReplyStatfs, ReplyWrite, ReplyXattr, Request, TimeOrNow,
    WriteFlags,
};

use crate::tree::{Body, Forgotten, Kind, Node, ROOT, Tree};

/// Nothing is cached by the kernel: after a cut, what it asks is answered from the disk's view.
const TTL: Duration = Duration::ZERO;

/// The filesystem's state, shared by the FUSE thread and the control socket.
pub struct Power {
    pub tree: Tree,
    /// Cut and not yet thawed: every request fails.
    pub frozen: bool,
    /// Requests that change something, since the mount (writes, syncs, names, sizes).
    pub changes: u64,
    /// Cut before this change is made (`cut-after`).
    pub cut_at: Option<u64>,
    /// When the last cut happened, and what it took.
    pub last_cut: Option<(SystemTime, Forgotten)>,
    next_ino: u64,
    snapshots: std::collections::HashMap<String, Tree>,
}

impl Power {
    pub fn new() -> Self {
        Self {
            tree: Tree::new(),
            frozen: false,
            changes: 0,
            cut_at: None,
            last_cut: None,
            next_ino: ROOT + 1,
            snapshots: Default::default(),
        }
    }

    pub fn cut(&mut self) -> Forgotten {
        let forgotten = self.tree.cut();
        self.frozen = true;
        self.cut_at = None;
        self.last_cut = Some((SystemTime::now(), forgotten));
        forgotten
    }

    pub fn snapshot(&mut self, name: &str) {
        self.snapshots.insert(name.to_owned(), self.tree.clone());
    }

    /// Puts back a snapshot's files. Node numbers are never reused, so the kernel never
    /// mistakes a node of before for one of now.
    pub fn restore(&mut self, name: &str) -> bool {
        match self.snapshots.get(name) {
            Some(tree) => {
                self.tree = tree.clone();
                true
            }
            None => false,
        }
    }

    /// Lets a request that reads through, unless the disk is dead.
    fn read(&self) -> Result<(), Errno> {
        if self.frozen { Err(Errno::EIO) } else { Ok(()) }
    }

    /// Counts a request that changes something, and cuts the power before it if armed.
    fn change(&mut self) -> Result<(), Errno> {
        self.read()?;
        self.changes += 1;
        if self.cut_at.is_some_and(|at| self.changes >= at) {
            self.cut();
            return Err(Errno::EIO);
        }
        Ok(())
    }

    fn new_ino(&mut self) -> u64 {
        self.next_ino += 1;
        self.next_ino
    }
}

pub struct CutFs {
    pub power: Arc<Mutex<Power>>,
}

fn ino(number: INodeNo) -> u64 {
    u64::from(number)
}

fn attr(ino: u64, node: &Node) -> FileAttr {
    let size = node.size();
    FileAttr {
        ino: INodeNo(ino),
        size,
        blocks: size.div_ceil(512),
        atime: node.atime,
        mtime: node.mtime,
        ctime: node.ctime,
        crtime: node.ctime,
        kind: file_type(node.kind()),
        perm: (node.mode & 0o7777) as u16,
        nlink: if node.kind() == Kind::Folder {
            2
        } else {
            node.links
        },
        uid: node.uid,
        gid: node.gid,
        rdev: 0,
        blksize: 4096,
        flags: 0,
    }
}

fn file_type(kind: Kind) -> FileType {
    match kind {
        Kind::File => FileType::RegularFile,
        Kind::Folder => FileType::Directory,
        Kind::Link => FileType::Symlink,
    }
}

fn time(value: TimeOrNow) -> SystemTime {
    match value {
        TimeOrNow::SpecificTime(time) => time,
        TimeOrNow::Now => SystemTime::now(),
    }
}

impl CutFs {
    fn power(&self) -> MutexGuard<'_, Power> {
        self.power.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn attr_of(&self, number: u64) -> Result<FileAttr, Errno> {
        let power = self.power();
        power.read()?;
        Ok(attr(number, power.tree.node(number)?))
    }

    /// Makes a node and answers with its attributes.
    fn make(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        kind: Kind,
        target: Option<&OsStr>,
        mode: u32,
    ) -> Result<FileAttr, Errno> {
        let mut power = self.power();
        power.change()?;
        let number = power.new_ino();
        power.tree.add(
            ino(parent),
            name,
            number,
            kind,
            target,
            mode,
            (req.uid(), req.gid()),
        )?;
        Ok(attr(number, power.tree.node(number)?))
    }

    fn empty(reply: ReplyEmpty, result: Result<(), Errno>) {
        match result {
            Ok(()) => reply.ok(),
            Err(error) => reply.error(error),
        }
    }

    fn entry(reply: ReplyEntry, result: Result<FileAttr, Errno>) {
        match result {
            Ok(attr) => reply.entry(&TTL, &attr, Generation(0)),
            Err(error) => reply.error(error),
        }
    }
}

impl Filesystem for CutFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        let result = (|| {
            let power = self.power();
            power.read()?;
            let child = power.tree.child(ino(parent), name)?;
            Ok(attr(child, power.tree.node(child)?))
        })();
        Self::entry(reply, result);
    }

    fn getattr(&self, _req: &Request, number: INodeNo, _fh: Option<FileHandle>, reply: ReplyAttr) {
        match self.attr_of(ino(number)) {
            Ok(attr) => reply.attr(&TTL, &attr),
            Err(error) => reply.error(error),
        }
    }

    fn setattr(
        &self,
        _req: &Request,
        number: INodeNo,
        mode: Option<u32>,
        uid: Option<u32>,
        gid: Option<u32>,
        size: Option<u64>,
        atime: Option<TimeOrNow>,
        mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        _fh: Option<FileHandle>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<fuser::BsdFileFlags>,
        reply: ReplyAttr,
    ) {
        let result = (|| {
            let mut power = self.power();
            power.change()?;
            let number = ino(number);
            if let Some(size) = size {
                power.tree.content_mut(number)?.truncate(size);
            }
            let node = power.tree.node_mut(number)?;
            if let Some(mode) = mode {
                node.mode = mode & 0o7777;
            }
            node.uid = uid.unwrap_or(node.uid);
            node.gid = gid.unwrap_or(node.gid);
            node.atime = atime.map_or(node.atime, time);
            node.mtime = mtime.map_or(node.mtime, time);
            node.ctime = SystemTime::now();
            Ok(attr(number, node))
        })();
        match result {
            Ok(attr) => reply.attr(&TTL, &attr),
            Err(error) => reply.error(error),
        }
    }

    fn readlink(&self, _req: &Request, number: INodeNo, reply: ReplyData) {
        let power = self.power();
        match power
            .read()
            .and_then(|()| power.tree.node(ino(number)))
            .map(|node| &node.body)
        {
            Ok(Body::Link { target }) => {
                use std::os::unix::ffi::OsStrExt;
                reply.data(target.as_bytes());
            }
            Ok(_) => reply.error(Errno::EINVAL),
            Err(error) => reply.error(error),
        }
    }

    fn mknod(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        _rdev: u32,
        reply: ReplyEntry,
    ) {
        // Regular files only: a test disk holds what Hattama writes.
        if mode & 0o170_000 != 0o100_000 {
            return reply.error(Errno::EPERM);
        }
        Self::entry(
            reply,
            self.make(req, parent, name, Kind::File, None, mode & !umask),
        );
    }

    fn mkdir(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        reply: ReplyEntry,
    ) {
        Self::entry(
            reply,
            self.make(req, parent, name, Kind::Folder, None, mode & !umask),
        );
    }

    fn unlink(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        let mut power = self.power();
        let result = power
            .change()
            .and_then(|()| power.tree.remove(ino(parent), name, false));
        Self::empty(reply, result);
    }

    fn rmdir(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        let mut power = self.power();
        let result = power
            .change()
            .and_then(|()| power.tree.remove(ino(parent), name, true));
        Self::empty(reply, result);
    }

    fn symlink(
        &self,
        req: &Request,
        parent: INodeNo,
        link_name: &OsStr,
        target: &Path,
        reply: ReplyEntry,
    ) {
        Self::entry(
            reply,
            self.make(
                req,
                parent,
                link_name,
                Kind::Link,
                Some(target.as_os_str()),
                0o777,
            ),
        );
    }

    fn rename(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        newparent: INodeNo,
        newname: &OsStr,
        flags: RenameFlags,
        reply: ReplyEmpty,
    ) {
        if flags.intersects(RenameFlags::RENAME_EXCHANGE | RenameFlags::RENAME_WHITEOUT) {
            return reply.error(Errno::EINVAL);
        }
        let mut power = self.power();
        let result = power.change().and_then(|()| {
            power.tree.rename(
                (ino(parent), name),
                (ino(newparent), newname),
                flags.contains(RenameFlags::RENAME_NOREPLACE),
            )
        });
        Self::empty(reply, result);
    }

    fn open(&self, _req: &Request, number: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        let power = self.power();
        match power.read().and_then(|()| power.tree.content(ino(number))) {
            // No FOPEN_KEEP_CACHE: the kernel drops what it cached of the file at each open.
            Ok(_) => reply.opened(FileHandle(0), FopenFlags::empty()),
            Err(error) => reply.error(error),
        }
    }

    fn read(
        &self,
        _req: &Request,
        number: INodeNo,
        _fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyData,
    ) {
        let power = self.power();
        match power.read().and_then(|()| power.tree.content(ino(number))) {
            Ok(content) => reply.data(&content.read(offset, size as usize)),
            Err(error) => reply.error(error),
        }
    }

    fn write(
        &self,
        _req: &Request,
        number: INodeNo,
        _fh: FileHandle,
        offset: u64,
        data: &[u8],
        _write_flags: WriteFlags,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyWrite,
    ) {
        let mut power = self.power();
        let result = power.change().and_then(|()| {
            power.tree.content_mut(ino(number))?.write(offset, data);
            Ok(())
        });
        match result {
            Ok(()) => reply.written(data.len() as u32),
            Err(error) => reply.error(error),
        }
    }

    fn flush(
        &self,
        _req: &Request,
        _ino: INodeNo,
        _fh: FileHandle,
        _lock_owner: LockOwner,
        reply: ReplyEmpty,
    ) {
        // Closing a file promises nothing about the disk.
        reply.ok();
    }

    fn fsync(
        &self,
        _req: &Request,
        number: INodeNo,
        _fh: FileHandle,
        _datasync: bool,
        reply: ReplyEmpty,
    ) {
        let mut power = self.power();
        let result = power.change().and_then(|()| power.tree.sync(ino(number)));
        Self::empty(reply, result);
    }

    fn opendir(&self, _req: &Request, number: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        let power = self.power();
        match power.read().and_then(|()| power.tree.list(ino(number))) {
            Ok(_) => reply.opened(FileHandle(0), FopenFlags::empty()),
            Err(error) => reply.error(error),
        }
    }

    fn readdir(
        &self,
        _req: &Request,
        number: INodeNo,
        _fh: FileHandle,
        offset: u64,
        mut reply: ReplyDirectory,
    ) {
        let power = self.power();
        let names = match power.read().and_then(|()| power.tree.list(ino(number))) {
            Ok(names) => names,
            Err(error) => return reply.error(error),
        };
        let dots = [
            (".".into(), ino(number), Kind::Folder),
            ("..".into(), ino(number), Kind::Folder),
        ];
        for (at, (name, child, kind)) in dots
            .into_iter()
            .chain(names)
            .enumerate()
            .skip(offset as usize)
        {
            if reply.add(INodeNo(child), at as u64 + 1, file_type(kind), &name) {
                break;
            }
        }
        reply.ok();
    }

    fn fsyncdir(
        &self,
        _req: &Request,
        number: INodeNo,
        _fh: FileHandle,
        _datasync: bool,
        reply: ReplyEmpty,
    ) {
        let mut power = self.power();
        let result = power.change().and_then(|()| power.tree.sync(ino(number)));
        Self::empty(reply, result);
    }

    fn statfs(&self, _req: &Request, _ino: INodeNo, reply: ReplyStatfs) {
        // A large, empty disk: the space checks of the programs under test pass.
        reply.statfs(1 << 28, 1 << 28, 1 << 28, 1 << 24, 1 << 24, 4096, 255, 4096);
    }

    fn getxattr(
        &self,
        _req: &Request,
        _ino: INodeNo,
        _name: &OsStr,
        _size: u32,
        reply: ReplyXattr,
    ) {
        reply.error(Errno::NO_XATTR);
    }

    fn listxattr(&self, _req: &Request, _ino: INodeNo, _size: u32, reply: ReplyXattr) {
        reply.size(0);
    }

    fn access(&self, _req: &Request, number: INodeNo, _mask: AccessFlags, reply: ReplyEmpty) {
        let result = self.attr_of(ino(number)).map(|_| ());
        Self::empty(reply, result);
    }

    fn create(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        _flags: i32,
        reply: ReplyCreate,
    ) {
        match self.make(req, parent, name, Kind::File, None, mode & !umask) {
            Ok(attr) => reply.created(
                &TTL,
                &attr,
                Generation(0),
                FileHandle(0),
                FopenFlags::empty(),
            ),
            Err(error) => reply.error(error),
        }
    }

    fn fallocate(
        &self,
        _req: &Request,
        number: INodeNo,
        _fh: FileHandle,
        offset: u64,
        length: u64,
        mode: i32,
        reply: ReplyEmpty,
    ) {
        if mode != 0 {
            return reply.error(Errno::ENOTSUP);
        }
        let mut power = self.power();
        let result = power.change().and_then(|()| {
            let content = power.tree.content_mut(ino(number))?;
            if offset + length > content.len() {
                content.truncate(offset + length);
            }
            Ok(())
        });
        Self::empty(reply, result);
    }
}
