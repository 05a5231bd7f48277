"""Key passwords on the command line: from a file, an environment variable, or
a ``getpass`` prompt when a terminal is attached.

Never from the command line itself (``ps`` and shell histories show it):
there is no option that takes a password as its value.  A password file's
first line is the password (its line ending removed); an empty password is
refused.  Messages name the file or the variable, never the password.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from ..errors import BuildError, InvalidKey
from .new import path_argument, text_argument

__all__ = ["add_password_options", "load_key", "new_key_password"]

Reader = Callable[[str], bytes]


def add_password_options(parser: argparse.ArgumentParser, *, encrypt: bool) -> None:
    """Add ``--key-password-file`` and ``--key-password-env`` (and ``--encrypt``)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--key-password-file", metavar="FILE", type=path_argument,
                        help="read the key password from the first line of FILE")
    source.add_argument("--key-password-env", metavar="VAR", type=text_argument,
                        help="read the key password from the environment variable VAR")
    if encrypt:
        parser.add_argument("--encrypt", action="store_true",
                            help="encrypt the new key (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC); "
                                 "the password comes from --key-password-file, "
                                 "--key-password-env or a prompt")
        parser.add_argument("--kdf-iterations", metavar="N", type=int, default=None,
                            help="PBKDF2 iterations when encrypting (default 600000)")


def _given(args: argparse.Namespace, read: Reader) -> bytes | None:
    if getattr(args, "key_password_file", None):
        raw = read(args.key_password_file)
        line = raw.split(b"\n", 1)[0].removesuffix(b"\r")
        if not line:
            raise BuildError(f"--key-password-file {args.key_password_file}: the first line "
                             "is empty")
        return line
    name = getattr(args, "key_password_env", None)
    if name:
        value = os.environ.get(name)
        if not value:
            raise BuildError(f"--key-password-env: the environment variable {name} is not set "
                             "or is empty")
        return value.encode("utf-8", "surrogateescape")
    return None


def _prompt(text: str) -> bytes:
    import getpass

    return getpass.getpass(text).encode("utf-8", "surrogateescape")


def _terminal() -> bool:
    return sys.stdin.isatty() and sys.platform != "emscripten"


def load_key(args: argparse.Namespace, read: Reader, data: bytes, **options: Any) -> Any:
    """Return the signer of the key ``data``, decrypting it with the password options,
    or with a password asked on the terminal when the key needs one."""
    from .. import signers

    password = _given(args, read)
    try:
        return signers.load_private_key(data, password, **options)
    except InvalidKey as exc:
        if password is not None or "a password is needed" not in str(exc) or not _terminal():
            if "a password is needed" in str(exc):
                raise InvalidKey(f"{exc}: use --key-password-file FILE or "
                                 "--key-password-env VAR") from None
            raise
    return signers.load_private_key(data, _prompt("Password for the private key: "), **options)


def new_key_password(args: argparse.Namespace, read: Reader) -> dict[str, Any]:
    """Return the ``save_private_key`` options for a new key: {} unless ``--encrypt``.

    The password comes from the options or, on a terminal, a prompt asked
    twice.  Raises BuildError when there is none to be had.
    """
    if not getattr(args, "encrypt", False):
        if getattr(args, "key_password_file", None) or getattr(args, "key_password_env", None):
            raise BuildError("a key password option for a new key needs --encrypt")
        if getattr(args, "kdf_iterations", None) is not None:
            raise BuildError("--kdf-iterations needs --encrypt")
        return {}
    if args.kdf_iterations is not None and not 1000 <= args.kdf_iterations <= 10_000_000:
        raise BuildError("--kdf-iterations: PBKDF2 needs 1,000 to 10,000,000 iterations")
    password = _given(args, read)
    if password is None:
        if not _terminal():
            raise BuildError("--encrypt needs --key-password-file FILE, --key-password-env VAR "
                             "or a terminal to ask on")
        password = _prompt("Password for the new key: ")
        if _prompt("Again: ") != password:
            raise BuildError("the passwords differ")
        if not password:
            raise BuildError("an empty password does not protect a key")
    options: dict[str, Any] = {"password": password}
    if args.kdf_iterations is not None:
        options["iterations"] = args.kdf_iterations
    return options
