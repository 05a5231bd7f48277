"""The files ``show`` and ``verify`` read: named, found in directories, or standard input.

Files named on the command line are read whatever they are (a FIFO too,
``csrlib verify <(cmd)``), up to the input size limit, and never skipped.
Files found by walking a directory (``walked``) are read only when they are
regular files: each is opened without blocking and judged by ``fstat`` of
that descriptor; a FIFO, a device or a symlink to one is skipped ("not a
regular file"), and so is PEM text holding blocks but no request ("no
request (PRIVATE KEY)": the key ``csrlib new`` writes next to a request).
A skipped file leaves the exit status alone.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from ..der.tlv import DEFAULT_LIMITS
from ..errors import CSRError, DecodeError
from ..pem import detect_format, is_text, iter_pem_blocks, label_text
from ..request import PEM_LABELS, CertificateRequest, load_der, load_pem_all
from ..signers.files import InputTooLarge, NotRegularFile, read_bounded, read_stream

__all__ = ["SUFFIXES", "Skipped", "collect", "error_object", "load_file", "read_file"]

#: File names a directory walk picks up.
SUFFIXES = (".csr", ".req", ".pem", ".der", ".p10")
#: PEM labels named in a skip message, at most.
_LABELS_SHOWN = 4


class Skipped(Exception):
    """A file found in a directory that is not for us: not regular, or PEM without a request."""


def collect(paths: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """Yield ``(path, walked)`` for the files named and those found in directories named.

    A directory is walked for files ending in :data:`SUFFIXES` (``walked``
    True), in sorted order; symlinks to directories are not followed.
    """
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES):
                        yield os.path.join(root, name), True
        else:
            yield path, False


def read_file(path: str, walked: bool = False) -> bytes:
    """Return the octets of ``path`` (``-``: standard input), at most the size limit.

    Raises Skipped for a walked file that is not a regular file, OSError
    when it cannot be read (InputTooLarge past the limit).
    """
    limit = DEFAULT_LIMITS.max_size
    if path == "-" and not walked:
        return read_stream(sys.stdin.buffer, "standard input", limit)
    if walked:
        # A first look, so that a device is not even opened (opening some has
        # effects); the verdict that counts is fstat's, in read_bounded.
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = stat.S_IFREG  # read_bounded reports why
        if not stat.S_ISREG(mode):
            raise Skipped("not a regular file")
    try:
        return read_bounded(path, limit, regular_only=walked)
    except NotRegularFile:
        raise Skipped("not a regular file") from None


def _other_labels(data: bytes) -> list[str] | None:
    """Return the labels of PEM text holding blocks but no request; None otherwise."""
    if not is_text(data):
        return None
    labels: dict[str, None] = {}
    try:
        for label, der in iter_pem_blocks(data, PEM_LABELS):
            if der is not None:
                return None
            if label and len(labels) <= _LABELS_SHOWN:
                labels[label_text(label)] = None
    except CSRError:
        return None
    return list(labels) or None


def load_file(path: str, walked: bool, strict: bool) -> list[CertificateRequest]:
    """Return the requests of one file (PEM or DER, judged by the data's shape).

    Raises Skipped (walked files only: see the module docstring), OSError
    or CSRError (DecodeError for what is not a request).
    """
    data = read_file(path, walked)
    # PEM or DER from the data's shape, never by searching for "-----BEGIN".
    if detect_format(data) == "pem":
        if walked:
            labels = _other_labels(data)
            if labels is not None:
                shown = labels[:_LABELS_SHOWN] + (["..."] if len(labels) > _LABELS_SHOWN else [])
                raise Skipped(f"no request ({', '.join(shown)})")
        return load_pem_all(data, strict=strict)
    return [load_der(data, strict=strict)]


def error_object(exc: BaseException) -> dict[str, Any]:
    """Return an error as JSON data: ``{"kind", "offset", "path", "message"}``.

    ``kind`` is the DecodeError's kind (``nonminimal-length``...), ``io``
    for a file that cannot be read, or the error's class name; ``offset``
    and ``path`` are null where the error has none.
    """
    if isinstance(exc, DecodeError):
        return {"kind": exc.kind, "offset": exc.offset, "path": exc.path or None,
                "message": str(exc)}
    if isinstance(exc, InputTooLarge):
        return {"kind": "too-large", "offset": None, "path": None, "message": str(exc)}
    if isinstance(exc, OSError):
        message = exc.strerror or str(exc)
        return {"kind": "io", "offset": None, "path": None, "message": message}
    return {"kind": type(exc).__name__, "offset": None, "path": None, "message": str(exc)}
