"""csrlib.signers.files: atomic exclusive writes, bounded reads, same-file checks."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from csrlib import signers
from csrlib.signers.files import InputTooLarge, NotRegularFile, read_bounded, same_file, write_file

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes, FIFOs and links")
# Emscripten (Pyodide) has none of these: the tests that need one skip there.
needs_hard_links = pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")
needs_fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
needs_processes = pytest.mark.skipif(sys.platform in ("emscripten", "wasi"),
                                     reason="cannot start processes here")


def _leftovers(directory: Path) -> list[str]:
    return [name for name in os.listdir(directory) if name.startswith(".csrlib-")]


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@posix_only
def test_private_files_are_0600_whatever_the_umask(tmp_path: Path) -> None:
    before = os.umask(0)
    try:
        write_file(tmp_path / "key.pem", b"secret", private=True)
        write_file(tmp_path / "req.csr", b"public")
    finally:
        os.umask(before)
    assert _mode(tmp_path / "key.pem") == 0o600
    assert _mode(tmp_path / "req.csr") == 0o666  # not private: the umask decides
    assert (tmp_path / "key.pem").read_bytes() == b"secret"
    assert _leftovers(tmp_path) == []


def test_an_existing_file_is_refused_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "k.pem"
    target.write_bytes(b"old")
    with pytest.raises(FileExistsError) as info:
        write_file(target, b"new", private=True)
    assert info.value.filename == str(target)  # the name given, not the temporary file's
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


@posix_only
@needs_hard_links
def test_overwrite_makes_a_new_file(tmp_path: Path) -> None:
    # A file someone else made there (simulated: it has a second name, the
    # other user's handle on it, and a loose mode) must not receive the key.
    target = tmp_path / "k.pem"
    target.write_bytes(b"theirs")
    os.chmod(target, 0o666)
    os.link(target, tmp_path / "their-handle")
    inode = os.stat(target).st_ino
    write_file(target, b"secret key", overwrite=True, private=True)
    assert os.stat(target).st_ino != inode
    assert _mode(target) == 0o600
    assert target.read_bytes() == b"secret key"
    assert (tmp_path / "their-handle").read_bytes() == b"theirs"
    assert _leftovers(tmp_path) == []


@posix_only
@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_at_the_destination_is_never_followed(tmp_path: Path, dangling: bool) -> None:
    target = tmp_path / "elsewhere"
    if not dangling:
        target.write_bytes(b"precious")
    link = tmp_path / "k.pem"
    link.symlink_to(target)
    with pytest.raises(FileExistsError):
        write_file(link, b"secret", private=True)
    assert link.is_symlink()
    # --force replaces the link itself; the file it pointed to is untouched (or not made).
    write_file(link, b"secret", overwrite=True, private=True)
    assert not link.is_symlink() and link.read_bytes() == b"secret"
    assert _mode(link) == 0o600
    if dangling:
        assert not target.exists()
    else:
        assert target.read_bytes() == b"precious"
    assert _leftovers(tmp_path) == []


@posix_only
@needs_fifos
def test_only_regular_files_and_links_are_replaced(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(IsADirectoryError):
        write_file(tmp_path / "dir", b"x", overwrite=True)
    with pytest.raises(PermissionError) as info:
        write_file(tmp_path / "fifo", b"x", overwrite=True)
    assert info.value.filename == str(tmp_path / "fifo")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)
    with pytest.raises(FileExistsError):
        write_file(tmp_path / "dir", b"x")
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["write", "fsync", "replace", "link", "fchmod"])
def test_the_temporary_file_is_removed_on_every_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    if not hasattr(os, failing):
        pytest.skip(f"no os.{failing} here")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, failing, broken)
    target = tmp_path / "k.pem"
    with pytest.raises(OSError) as info:
        write_file(target, b"secret", overwrite=failing == "replace", private=True)
    assert info.value.errno == errno.EIO and info.value.filename == str(target)
    assert os.listdir(tmp_path) == []


@needs_hard_links
def test_a_destination_made_in_the_meantime_is_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Someone creates the destination between the checks and the write:
    # link(2) refuses it, atomically.
    target = tmp_path / "k.pem"
    real_link = os.link

    def racing_link(src: str, dst: str) -> None:
        Path(dst).write_bytes(b"theirs")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(FileExistsError):
        write_file(target, b"secret", private=True)
    assert target.read_bytes() == b"theirs"
    assert _leftovers(tmp_path) == []


@posix_only
@pytest.mark.parametrize("how", ["missing", "EPERM", "ENOTSUP", "EMLINK"])  # EMLINK: Pyodide
def test_without_hard_links_the_destination_is_created_exclusively(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "missing":
        monkeypatch.delattr(os, "link", raising=False)
    else:
        def no_links(src: str, dst: str) -> None:
            code = getattr(errno, how)
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "link", no_links, raising=False)
    target = tmp_path / "k.pem"
    write_file(target, b"secret", private=True)
    assert target.read_bytes() == b"secret" and _mode(target) == 0o600
    with pytest.raises(FileExistsError):
        write_file(target, b"other", private=True)
    assert target.read_bytes() == b"secret"
    (tmp_path / "link.pem").symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        write_file(tmp_path / "link.pem", b"secret", private=True)
    assert not (tmp_path / "nowhere").exists()
    assert _leftovers(tmp_path) == []


def test_errors_name_the_destination(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "k.pem"
    with pytest.raises(FileNotFoundError) as info:
        write_file(missing, b"x")
    assert info.value.filename == str(missing)
    with pytest.raises(FileNotFoundError):
        write_file("", b"x")


def test_save_private_key_keeps_its_contract(tmp_path: Path) -> None:
    signer = signers.generate("ed25519")
    path = tmp_path / "key.pem"
    signers.save_private_key(signer, path)
    if sys.platform != "win32":
        assert _mode(path) == 0o600
    with pytest.raises(FileExistsError):
        signers.save_private_key(signer, path)
    inode = os.stat(path).st_ino
    other = signers.generate("ed25519")
    signers.save_private_key(other, str(path), overwrite=True)
    assert signers.load_private_key(path.read_bytes()).public_key == other.public_key
    if sys.platform != "win32":
        assert os.stat(path).st_ino != inode and _mode(path) == 0o600
    assert _leftovers(tmp_path) == []


# -- reading ------------------------------------------------------------------


def test_read_bounded_reads_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(InputTooLarge) as info:
        read_bounded(path, 99)
    assert (info.value.filename, info.value.limit) == (str(path), 99)
    assert str(info.value) == "more than 99 octets (the input size limit)"
    with pytest.raises(IsADirectoryError):
        read_bounded(tmp_path, 100)


@posix_only
@needs_dev_zero
def test_read_bounded_stops_reading_an_endless_device() -> None:
    limit = 1 << 20
    tracemalloc.start()
    try:
        with pytest.raises(InputTooLarge):
            read_bounded("/dev/zero", limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * limit
    with pytest.raises(NotRegularFile):
        read_bounded("/dev/zero", limit, regular_only=True)
    assert read_bounded(os.devnull, limit) == b""


@posix_only
@needs_fifos
@needs_processes
def test_walked_fifos_are_not_waited_for(tmp_path: Path) -> None:
    # In a child process, so that a regression fails on the timeout instead
    # of hanging the suite; nothing is timed.
    fifo = tmp_path / "x.csr"
    os.mkfifo(fifo)
    code = ("import sys\nfrom csrlib.signers.files import NotRegularFile, read_bounded\n"
            "try:\n    read_bounded(sys.argv[1], 100, regular_only=True)\n"
            "except NotRegularFile:\n    print('skipped')\n")
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True,
                          text=True, check=False, timeout=120)
    assert done.stdout == "skipped\n", done.stderr


@posix_only
@needs_hard_links
def test_same_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "k.pem").write_bytes(b"k")
    os.link(tmp_path / "k.pem", tmp_path / "hard.pem")
    (tmp_path / "soft.pem").symlink_to("k.pem")
    (tmp_path / "dangling.pem").symlink_to("later.pem")
    (tmp_path / "sub").mkdir()
    cases = [
        ("k.pem", "./k.pem", True), ("k.pem", str(tmp_path / "k.pem"), True),
        ("k.pem", "hard.pem", True), ("k.pem", "soft.pem", True),
        ("k.pem", "sub/../k.pem", True), ("new.pem", "./new.pem", True),
        ("new.pem", "sub/../new.pem", True), ("later.pem", "dangling.pem", True),
        ("k.pem", "other.pem", False), ("new.pem", "sub/new.pem", False),
        ("k.pem", "sub", False),
    ]
    for a, b, expected in cases:
        assert same_file(a, b) is expected, (a, b)
        assert same_file(b, a) is expected, (b, a)

