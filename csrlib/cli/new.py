"""``csrlib new``: the options of a request turned into a builder, a key and output."""

from __future__ import annotations

import argparse
import errno
import os
import re
import stat
import sys
from typing import Any

from ..builder import CertificateRequestBuilder
from ..errors import BuildError
from ..model.extensions import KEY_USAGE_NAMES, SubjectAlternativeName
from ..model.general_names import split_general_names
from ..model.names import Name
from .addext import basic_constraints, key_usage, parse_addext, purposes

__all__ = ["add_key_options", "build_request", "count_argument", "new_arguments",
           "output_paths", "path_argument", "signer_from_args", "text_argument",
           "write_output"]

# ASCII digits only: str.isdigit() and int() also take superscripts, other
# scripts' digits, underscores and spaces ('²', '٣', '1_0', ' 1').
_NUMBER = re.compile(r"[0-9]{1,9}")


def path_argument(text: str) -> str:
    """Return a file name argument; raise ArgumentTypeError for an empty one or a NUL in it.

    Names that are not UTF-8 stay as the operating system gave them
    (``surrogateescape``): a file name is bytes.
    """
    if not text:
        raise argparse.ArgumentTypeError("empty file name")
    if "\0" in text:
        raise argparse.ArgumentTypeError("file name with a NUL character")
    return text


def text_argument(text: str) -> str:
    """Return a text argument; raise ArgumentTypeError when it is not valid UTF-8.

    Python hands bytes of the command line that are not UTF-8 over as lone
    surrogates (``surrogateescape``); text that goes into a request must be
    real characters.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise argparse.ArgumentTypeError(
            f"not valid UTF-8 text (character {exc.start + 1})") from None
    return text


def count_argument(text: str) -> int:
    """Return a count of 1 to 9 ASCII digits; raise ArgumentTypeError otherwise."""
    if _NUMBER.fullmatch(text) is None:
        raise argparse.ArgumentTypeError("expected a number of at most 9 digits 0-9")
    return int(text)


def _items(values: list[str] | None) -> list[str]:
    """Repeatable options that also take comma lists: ``--san a,b --san c``."""
    return [item.strip() for value in values or () for item in value.split(",") if item.strip()]


def new_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``csrlib new`` to its parser."""
    parser.add_argument("--subject", "-s", metavar="NAME", type=text_argument,
                        help='"CN=example.com,O=Example" (RFC 4514) or "/C=US/CN=example.com"')
    parser.add_argument("--san", action="append", metavar="TYPE:VALUE", type=text_argument,
                        help="subjectAltName entry, repeatable or comma-separated: "
                             "DNS:example.com, IP:192.0.2.1, email:a@example.com, "
                             "URI:https://..., RID:1.2.3, dirName:CN=x")
    parser.add_argument("--key-usage", action="append", metavar="USAGES", type=text_argument,
                        help="keyUsage bits (critical): " + ", ".join(KEY_USAGE_NAMES.values()))
    parser.add_argument("--eku", action="append", metavar="PURPOSES", type=text_argument,
                        help="extendedKeyUsage: serverAuth, clientAuth, codeSigning, "
                             "emailProtection, ... or dotted OIDs")
    parser.add_argument("--basic-constraints", metavar="SPEC", type=text_argument,
                        help='basicConstraints: "CA:FALSE" or "CA:TRUE,pathlen:0"')
    parser.add_argument("--addext", action="append", metavar="NAME=VALUE", type=text_argument,
                        help="an extension in OpenSSL's -addext syntax, repeatable: "
                             '"subjectAltName=DNS:a,IP:192.0.2.1", '
                             '"keyUsage=critical,digitalSignature", '
                             '"extendedKeyUsage=serverAuth", "basicConstraints=critical,CA:FALSE",'
                             ' "1.3.6.1.5.5.7.1.24=DER:3003020105" (any extension as DER)')
    password = parser.add_mutually_exclusive_group()
    password.add_argument("--challenge-password", metavar="TEXT", type=text_argument,
                          help="challengePassword attribute (visible in the request!)")
    password.add_argument("--challenge-password-file", metavar="FILE", type=path_argument,
                          help="read the challengePassword from FILE (first line)")
    parser.add_argument("--public-key", metavar="FILE", type=path_argument,
                        help="the key the request carries when it cannot sign (an ML-KEM "
                             "key: PEM or DER SubjectPublicKeyInfo), with --signer-cert")
    parser.add_argument("--signer-cert", metavar="FILE", type=path_argument,
                        help="the certificate of --key, named in a "
                             "privateKeyPossessionStatement (RFC 9883)")
    parser.add_argument("--out", "-o", metavar="FILE", type=path_argument,
                        help="write the request here (default: standard output); never an "
                        "existing file without --force")
    parser.add_argument("--der", action="store_true", help="write DER instead of PEM")
    add_key_options(parser)


def add_key_options(parser: argparse.ArgumentParser) -> None:
    """Add the key options ``new`` uses."""
    key = parser.add_mutually_exclusive_group()
    key.add_argument("--key", "-k", metavar="FILE", type=path_argument,
                     help="sign with this private key (PEM or DER: PKCS#8, PKCS#1, SEC1)")
    key.add_argument("--new-key", metavar="SPEC", type=text_argument,
                     help="make a new key: ec:P-256 (the default), ec:P-384, ec:P-521, "
                          "ec:secp256k1, rsa:2048, rsa:3072, rsa:4096, ed25519, ed448, "
                          "ml-dsa-44, ml-dsa-65, ml-dsa-87")
    parser.add_argument("--key-out", metavar="FILE", type=path_argument,
                        help="where to save a new key (mode 0600)")
    parser.add_argument("--force", action="store_true",
                        help="replace --key-out and --out if they exist (by a new file, "
                             "never written into)")
    parser.add_argument("--hash", choices=("sha256", "sha384", "sha512"),
                        help="signature hash (default: SHA-256, or the curve's own hash)")
    parser.add_argument("--pss", action="store_true", help="RSA keys: sign with RSASSA-PSS")


def signer_from_args(args: argparse.Namespace, read: Any,
                     encryption: dict[str, Any] | None = None, load_key: Any = None) -> Any:
    """Return the signer the key options ask for, saving a new key first.

    ``encryption``: the ``save_private_key`` options of a new key (its
    password), from :func:`csrlib.cli.passwords.new_key_password`;
    ``load_key(args, read, data, **options)``: how a ``--key`` is read
    (:func:`csrlib.cli.passwords.load_key`, which decrypts).
    """
    from .. import signers

    options: dict[str, object] = {}
    if args.hash:
        options["hash"] = args.hash
    if args.key:
        if args.key_out:
            raise BuildError("--key-out is for a new key (--new-key), not with --key")
        if args.pss:
            options["pss"] = True
        if load_key is None:
            return signers.load_private_key(read(args.key), None, **options)
        return load_key(args, read, read(args.key), **options)
    if not args.key_out:
        raise BuildError("a new key needs --key-out FILE to be kept "
                         "(or sign with your own key: --key FILE)")
    signer = signers.generate("ec:P-256" if args.new_key is None else args.new_key)
    if options or args.pss:
        signer = signers.signer_for(signer.private_numbers, **options,
                                    **({"pss": True} if args.pss else {}))
    signers.save_private_key(signer, args.key_out, overwrite=args.force, **(encryption or {}))
    return signer


def build_request(args: argparse.Namespace, read: Any) -> CertificateRequestBuilder:
    """Return the builder the request options describe (no key needed yet)."""
    if not args.subject and not args.san:
        raise BuildError('give a subject or a SAN, e.g. --subject "CN=example.com" '
                         "--san DNS:example.com")
    subject = args.subject or ""
    name = (Name.from_openssl(subject) if subject.startswith("/")
            else Name.from_rfc4514(subject))
    builder = CertificateRequestBuilder().subject(name)
    if args.san:
        # Split before a known "type:" only: a URI or dirName keeps its commas.
        names = [item for value in args.san for item in split_general_names(value)]
        builder = builder.add_extension(SubjectAlternativeName.from_strings(names))
    if args.key_usage:
        builder = builder.add_extension(key_usage(_items(args.key_usage), "--key-usage"))
    if args.eku:
        builder = builder.add_extension(purposes(_items(args.eku), "--eku"))
    if args.basic_constraints:
        builder = builder.add_extension(
            basic_constraints(_items([args.basic_constraints]), args.basic_constraints))
    for spec in args.addext or ():
        value, critical = parse_addext(spec)
        builder = builder.add_extension(value, critical=critical)
    password = args.challenge_password
    if args.challenge_password_file:
        raw = read(args.challenge_password_file)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BuildError(f"--challenge-password-file: not UTF-8 text (byte {exc.start} "
                             "is not)") from None
        password = text.splitlines()[0] if text else ""
    if password is not None:
        builder = builder.add_attribute("challengePassword", password)
    if args.public_key or args.signer_cert:
        # RFC 9883: a key that cannot sign, signed by a certificate's key.
        if not (args.public_key and args.signer_cert and args.key):
            raise BuildError("--public-key and --signer-cert go together, with --key (the "
                             "signature certificate's private key)")
        builder = builder.public_key(read(args.public_key))
        builder = builder.possession_statement(read(args.signer_cert))
    return builder


def output_paths(args: argparse.Namespace) -> None:
    """Raise BuildError when an output of ``new`` is the same file as another path it names.

    ``--out`` and ``--key-out`` are compared with each other and with the
    inputs ``--key`` and ``--challenge-password-file``
    (:func:`csrlib.signers.files.same_file`: the same inode, or the same
    path once symlinks are resolved).  Without ``--force``, an output that
    exists is refused here too, before a key is made; writing checks that
    again, atomically.
    """
    from ..signers.files import same_file

    outputs = [("--key-out", args.key_out),
               ("--out", None if args.out == "-" else args.out)]
    paths = [*outputs, ("--key", args.key),
             ("--challenge-password-file", args.challenge_password_file)]
    for option, path in outputs:
        if path is None:
            continue
        for other, other_path in paths:
            if other != option and other_path not in (None, "-") and same_file(path, other_path):
                raise BuildError(f"{option} and {other} name the same file: {path}")
        if not args.force and os.path.lexists(path) and not (
                option == "--out" and _is_stream(path)):
            raise FileExistsError(errno.EEXIST, "already exists", path)


def _is_stream(path: str) -> bool:
    """Return whether ``path`` leads to a FIFO or a character device (/dev/null, <(...))."""
    try:
        return _is_stream_mode(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def write_output(data: bytes | str, out: str | None, *, overwrite: bool = False) -> None:
    """Write a request to ``out`` (None or ``-``: standard output).

    A file is written as a new file that takes the name in one step
    (:func:`csrlib.signers.files.write_file`); an existing one only with
    ``overwrite``.  An existing FIFO or character device (``/dev/null``, a
    process substitution) is written into, as the user named it: it holds
    no file to replace.  Raises OSError (FileExistsError without
    ``overwrite``).
    """
    from ..signers.files import write_file

    raw = data.encode("ascii") if isinstance(data, str) else data
    if out is None or out == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    if _is_stream(out):
        # No O_CREAT, no O_TRUNC: this open can neither make nor shorten a file.
        fd = os.open(out, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
        try:
            # Judged again on the descriptor: the name may have changed since.
            if _is_stream_mode(os.fstat(fd).st_mode):
                view = memoryview(raw)
                while view:
                    view = view[os.write(fd, view):]
                return
        finally:
            os.close(fd)
    write_file(out, raw, overwrite=overwrite)


def _is_stream_mode(mode: int) -> bool:
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)
