"""Files: writing outputs whole or not at all, reading inputs that are regular files only, hashing files.

An output folder is staged beside its final place as ``.OUT.tmp-<host>-<pid>-<random>`` and
swapped in; the folder it replaces is moved aside as ``.OUT.old-<host>-<pid>-<random>`` until the
swap is done. A run that is killed leaves those folders behind: the next run for the same
output removes the ones whose process is gone (same host, dead pid) and no others.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
from pathlib import Path


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks of 1 MiB."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class OutputError(Exception):
    """The output path cannot be written."""


def beside(folder: Path, suffix: str) -> Path:
    """``DIR<suffix>`` next to ``DIR`` (e.g. ``compiled.explorer.html``)."""
    resolved = Path(folder).resolve()
    return resolved.parent / f"{resolved.name}{suffix}"


def write_text_atomic(out: Path, text: str, example_name: str) -> Path:
    """Write ``text`` to ``out`` aside, then rename it into place; a failure leaves ``out`` as it was."""
    out = Path(out)
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; pass a file name for --out, e.g. {out / example_name}")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _prefix(out: Path, kind: str) -> str:
    return f".{out.name}.{kind}-{_host()}-{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError as exc:  # EPERM: another user's live process
        return exc.errno == errno.EPERM
    return True


def remove_stale(out: Path) -> list[Path]:
    """Remove the staging folders of ``out`` left by runs that were killed; return them.

    Only folders (not links, not files) named ``.OUT.tmp-`` or ``.OUT.old-`` followed by this
    host's tag and the pid of a process that no longer exists are removed.
    """
    out = Path(out)
    pattern = re.compile(r"\.%s\.(?:tmp|old)-%s-([0-9]+)-[A-Za-z0-9_]+" % (re.escape(out.name), _host()))
    removed = []
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return removed
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if not m or not entry.is_dir(follow_symlinks=False) or _alive(int(m.group(1))):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def staging_folder(out: Path) -> Path:
    """A new empty folder beside ``out`` to write its next content in, with the usual permissions.

    Stale staging folders of ``out`` (from killed runs) are removed first. The folder gets the
    mode a plain ``mkdir`` would give (0777 less the umask, e.g. 0755), not mkdtemp's 0700, so
    that the output swapped in from it is readable as usual.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out)
    tmp = Path(tempfile.mkdtemp(prefix=_prefix(out, "tmp"), dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    return tmp


def swap_folder(new: Path, out: Path) -> None:
    """Put the complete folder ``new`` in the place of ``out``; if the swap fails, ``out`` is put back."""
    if not out.exists():
        os.replace(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=_prefix(out, "old"), dir=out.parent))
    os.rmdir(old)
    os.replace(out, old)
    try:
        os.replace(new, out)
    except BaseException:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


class NotRegularFile(OSError):
    """A path that exists but is not a regular file (a folder, a FIFO, a device, a socket)."""

    def __init__(self, path: Path, kind: str):
        self.kind = kind
        super().__init__(f"{path} is {kind}")


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def read_regular(path: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file (links to one are followed).

    The path is checked with ``os.stat`` before it is opened, so a FIFO or a device is never
    opened (reading one could block forever or never end); it is opened non-blocking and checked
    again, in case it was replaced in between. Raises FileNotFoundError, NotRegularFile or
    another OSError.
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(Path(path), file_kind(st.st_mode))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(Path(path), file_kind(st.st_mode))
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
