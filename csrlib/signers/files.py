"""Files done safely: bounded reads and atomic, exclusive writes of keys and requests.

Writing (:func:`write_file`): the data goes to a new file with a random name
(``secrets``) in the destination's directory, created with ``O_EXCL`` and
``O_NOFOLLOW`` (mode 0600 for private keys), written, ``fsync``-ed, and then
put in place in one step:

* without ``overwrite``, ``os.link(temporary, destination)``, which fails if
  the destination exists in any form (file, directory, symlink, dangling or
  not); the temporary name is then removed.  The check and the creation are
  one system call, so nothing created meanwhile is ever replaced;
* with ``overwrite``, ``os.replace(temporary, destination)``: the
  destination's name now points to the new file (a new inode), so a file
  someone else created there never receives the data and keeps none of its
  permissions, and a symlink at the destination is replaced itself, never
  written through.  Only a regular file or a symlink is replaced: a
  directory, device, FIFO or socket there is refused.

The temporary file is removed on every failure.  Where hard links are
missing (Windows without NTFS, FAT, some network file systems, Pyodide's
in-memory file system), the no-overwrite case falls back to creating the
destination itself with ``O_CREAT | O_EXCL | O_NOFOLLOW``: still never an
existing file and never through a symlink, but a reader may see the file
while it is being written.  ``fchmod`` is used where it exists; on Windows
a mode only sets the read-only flag, and a key is as private as the
directory's ACL makes it.

Reading (:func:`read_bounded`): at most a limit plus one octets, so
``/dev/zero`` or a huge file is an error naming the limit, not a
MemoryError; with ``regular_only`` (files found by walking a directory) the
file is opened with ``O_NONBLOCK`` (a FIFO does not block the open) and
judged by ``fstat`` of the descriptor opened, not by a separate ``stat`` of
the name that could change in between.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
from typing import BinaryIO

from ..errors import CSRError

__all__ = ["InputTooLarge", "NotRegularFile", "read_bounded", "read_stream", "same_file",
           "write_file"]

_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 16


class InputTooLarge(CSRError):
    """An input file or stream holds more octets than the size limit.

    ``filename`` names the input, ``limit`` is the limit; the message says
    both without the name: ``more than 1048576 octets (the input size limit)``.
    """

    def __init__(self, filename: str, limit: int) -> None:
        self.filename = filename
        self.limit = limit
        super().__init__(f"more than {limit} octets (the input size limit)")


class NotRegularFile(OSError):
    """A file found by walking a directory is not a regular file (a FIFO, a device...)."""


def _read_fd(fd: int, name: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = os.read(fd, min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    if remaining <= 0:
        raise InputTooLarge(name, limit)
    return b"".join(chunks)


def read_stream(stream: BinaryIO, name: str, limit: int) -> bytes:
    """Return what ``stream`` holds, up to ``limit`` octets.

    Raises InputTooLarge when it holds more (after reading ``limit + 1``
    octets, never the rest), OSError when it cannot be read.
    """
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    if remaining <= 0:
        raise InputTooLarge(name, limit)
    return b"".join(chunks)


def read_bounded(path: str | os.PathLike[str], limit: int, *, regular_only: bool = False) -> bytes:
    """Return the contents of the file at ``path``, at most ``limit`` octets.

    A FIFO or a device named here is read (blocking until its writer
    writes: ``csrlib show <(cmd)``), but never past ``limit + 1`` octets.
    With ``regular_only`` the open does not block and anything but a
    regular file raises NotRegularFile.  Raises InputTooLarge over the
    limit, IsADirectoryError for a directory, OSError when it cannot be
    read.
    """
    name = os.fspath(path)
    flags = os.O_RDONLY | _O_BINARY | _O_CLOEXEC | (_O_NONBLOCK if regular_only else 0)
    fd = os.open(name, flags)
    try:
        # The descriptor's own status: the name may point elsewhere by now.
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
        if not stat.S_ISREG(info.st_mode):
            if regular_only:
                raise NotRegularFile(errno.EINVAL, "not a regular file", name)
        elif info.st_size > limit:
            raise InputTooLarge(name, limit)
        return _read_fd(fd, name, limit)
    finally:
        os.close(fd)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Return whether two paths name the same file, or would once written.

    Existing files are compared by device and inode (``os.path.samefile``,
    which also sees hard links and symlinks); otherwise the paths are
    compared with every symlink of an existing prefix resolved
    (``os.path.realpath``), so ``k.pem`` and ``./k.pem`` are the same file
    before either exists.
    """
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        pass
    try:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
    except (OSError, ValueError):
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _create(path: str, mode: int, private: bool) -> int:
    """Return a descriptor of a new file at ``path`` (made here: removed again on failure)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY
                 | _O_CLOEXEC, mode)
    if private and hasattr(os, "fchmod"):
        # The umask can only take bits away from 0600; this also states it exactly.
        try:
            os.fchmod(fd, mode)
        except BaseException:
            os.close(fd)
            _unlink_quietly(path)
            raise
    return fd


def _fill(fd: int, data: bytes) -> None:
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_directory(directory: str) -> None:
    # POSIX: the rename or link is durable once the directory is synced.
    # Best effort: Windows cannot open directories, some file systems refuse.
    if sys.platform == "win32":
        return
    try:
        fd = os.open(directory, os.O_RDONLY | _O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _no_hard_links(exc: OSError) -> bool:
    """Return whether ``os.link`` failed because the file system has no hard links.

    Emscripten (Pyodide) answers EMLINK, which a fresh file with one link
    could not otherwise get; FAT and some network file systems EPERM or
    ENOTSUP; Windows on FAT ERROR_INVALID_FUNCTION, which Python maps to
    EINVAL.
    """
    if sys.platform == "win32" and exc.errno == errno.EINVAL:
        return True
    return exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS,
                         errno.EXDEV, errno.EMLINK)


def _put_exclusive(temporary: str, destination: str, data: bytes, mode: int,
                   private: bool) -> None:
    link = getattr(os, "link", None)
    if link is not None:
        try:
            link(temporary, destination)
            return
        except FileExistsError:
            raise
        except OSError as exc:
            if not _no_hard_links(exc):
                raise
    # No hard links here: create the destination itself, exclusively.
    fd = _create(destination, mode, private)
    try:
        _fill(fd, data)
    except BaseException:
        _unlink_quietly(destination)
        raise


def _temporary(directory: str, mode: int, private: bool) -> tuple[int, str]:
    """Return a descriptor and the name of a new, empty file in ``directory``."""
    for _ in range(8):
        # 64 random bits: a name that exists is an attacker guessing, or a collision.
        name = os.path.join(directory, f".csrlib-{secrets.token_hex(8)}.tmp")
        try:
            return _create(name, mode, private), name
        except FileExistsError:
            continue
    raise OSError(errno.EAGAIN, "no free temporary file name", directory)


def _check_replaceable(destination: str) -> None:
    """Raise OSError unless ``destination`` is absent, a regular file or a symlink.

    Replacing a device, a FIFO or a socket (``--force --out /dev/null`` run
    as root) would destroy something that is not a file of ours.
    """
    try:
        mode = os.lstat(destination).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), destination)
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise PermissionError(errno.EPERM, "not a regular file, not replaced", destination)


def write_file(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False,
               private: bool = False) -> None:
    """Write ``data`` to a new file at ``path``, atomically (see the module docstring).

    ``private`` makes the file 0600 (keys); otherwise the umask decides, as
    for any new file.  Raises FileExistsError when ``path`` exists and
    ``overwrite`` is False, and OSError for anything else that fails, both
    naming ``path`` (never the temporary file, which is always removed).
    """
    destination = os.fspath(path)
    if not destination:
        raise FileNotFoundError(errno.ENOENT, "empty file name", destination)
    directory = os.path.dirname(destination) or os.curdir
    mode = 0o600 if private else 0o666
    try:
        if overwrite:
            _check_replaceable(destination)
        fd, temporary = _temporary(directory, mode, private)
        placed = False
        try:
            _fill(fd, data)
            if overwrite:
                # rename(2) replaces the name: a symlink there is replaced, not followed.
                os.replace(temporary, destination)
                placed = True
            else:
                _put_exclusive(temporary, destination, data, mode, private)
        finally:
            if not placed:
                _unlink_quietly(temporary)
        _sync_directory(directory)
    except OSError as exc:
        # Name the file the user gave, never the temporary one.
        raise type(exc)(exc.errno, exc.strerror or str(exc), destination) from None
