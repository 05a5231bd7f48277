"""The ``csrlib`` command line (standard library ``argparse`` only).

``csrlib new | show | verify | lint | keygen | asn1``.  Only command line code
touches files, the terminal and the environment; everything below it takes
and returns bytes.

One rule for every command: results go to standard output; an error is one
line on standard error (``csrlib: error: ...``, or ``csrlib COMMAND: error:
...`` for a usage mistake; ``--debug`` shows the traceback).  Exit status 0:
done; 1: a check ran and failed (``verify``: a signature or the policy);
2: the command could not do its job (bad arguments, a file that cannot be
read, input that is not a request or not DER).  ``verify`` reports each
file on its own line of standard output and exits with the worst status;
``asn1`` prints the tree up to the first departure from DER, then the error.

Everything printed is inert text: every line goes through
:func:`csrlib.cli.text.escape` (control, format and other non-printable
characters as ``\\n``, ``\\x1b``, ``\\u202e``...), JSON through
:func:`csrlib.cli.text.json_text`.  Inputs are read up to the input size
limit (``csrlib.asn1.Limits().max_size``, 1 MiB), and files are written as new
files that take their name in one step (:mod:`csrlib.signers.files`).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

from .._version import __version__
from ..der.tlv import DEFAULT_LIMITS
from ..errors import CSRError
from ..pem import detect_format, pem_blocks
from ..signers.files import InputTooLarge, read_bounded, read_stream
from .asn1 import dump_lines
from .new import (
    build_request,
    count_argument,
    new_arguments,
    output_paths,
    path_argument,
    signer_from_args,
    text_argument,
    write_output,
)
from .passwords import add_password_options, load_key, new_key_password
from .text import escape, print_line

__all__ = ["main"]

T = TypeVar("T")


def _read_input(path: str) -> bytes:
    """Return the contents of the file ``path`` (``-``: standard input), at most the size limit.

    Raises InputTooLarge past ``csrlib.asn1.Limits().max_size`` octets
    (after reading one more, never the rest: ``/dev/zero`` is an error, not
    a MemoryError) and OSError when it cannot be read.  A FIFO named here
    is read, waiting for its writer (``csrlib show <(cmd)``).
    """
    limit = DEFAULT_LIMITS.max_size
    if path == "-":
        return read_stream(sys.stdin.buffer, "standard input", limit)
    return read_bounded(path, limit)


def _cmd_asn1(args: argparse.Namespace) -> int:
    data = _read_input(args.file)
    # PEM or DER from the data's shape alone: DER holding PEM text is DER.
    blocks = pem_blocks(data) if detect_format(data) == "pem" else []
    ders = [der for _, der in blocks if der is not None] if blocks else [data]
    for der in ders:
        # The tree up to the first departure from DER, which is then the error.
        for line in dump_lines(der, strict=not args.lenient):
            print_line(line)
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    output_paths(args)  # no output may be an input or the other output
    builder = build_request(args, _read_input)  # checked before any key is made or saved
    encryption = {} if args.key else new_key_password(args, _read_input)  # asked first
    signer = _with_spinner(lambda: signer_from_args(args, _read_input, encryption, load_key),
                           args.new_key or "", args.key is None)
    req = builder.sign(signer)
    write_output(req.der if args.der else req.to_pem(), args.out, overwrite=args.force)
    if args.key_out and args.out:
        print_line(f"wrote {args.out} and the new key {args.key_out} (mode 0600)", sys.stderr)
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from .policy_file import load_policy
    from .show_files import run_show

    return run_show(args.files, args.json, args.lenient, load_policy(args.policy))


def _cmd_verify(args: argparse.Namespace) -> int:
    from .policy_file import load_policy
    from .verify import run_verify

    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    signer = None
    if args.signer_cert is not None:
        from ..model.certificate import Certificate

        try:
            signer = Certificate.load(_read_input(args.signer_cert)).der
        except CSRError as exc:
            raise UsageError(f"--signer-cert {args.signer_cert}: not a certificate: "
                             f"{exc}") from None
    return run_verify(args.files, args.lenient, load_policy(args.policy), args.jobs,
                      as_json=args.json, signer_certificate=signer)


def _cmd_lint(args: argparse.Namespace) -> int:
    from ..lint import Blocklist
    from .lint import load_profile, run_lint

    profile = load_profile(args.profile)
    blocklist = None
    if args.blocklist is not None:
        text = read_bounded(args.blocklist, 64 << 20).decode("ascii", "replace")
        blocklist = Blocklist.from_text(text)
    names = None
    if args.expect_names is not None:
        names = [n.strip() for part in args.expect_names for n in part.split(",") if n.strip()]
    return run_lint(args.files, profile, names, blocklist, args.json)


def _cmd_keygen(args: argparse.Namespace) -> int:
    from .. import signers
    from ..model.keys import PublicKey
    from ..pem import encode_pem
    from ..signers.files import write_file

    if args.public_out is not None and os.path.abspath(args.public_out) == os.path.abspath(
            args.out):
        raise UsageError("--public-out must name another file than --out")
    for path in (args.out, args.public_out):
        if path is not None and not args.force and os.path.lexists(path):
            # Before the key is made (RSA takes a while); the write checks again, atomically.
            raise FileExistsError(errno.EEXIST, "already exists", path)
    encryption = new_key_password(args, _read_input)  # asked before the work
    if args.spec.startswith("ml-kem-"):
        # A KEM key (RFC 9935): no signer; its request is signed by another key (RFC 9883).
        kem = signers.generate_ml_kem(args.spec)
        kem.save(args.out, overwrite=args.force, **encryption)
        public: PublicKey = kem.public_key
    else:
        signer = _with_spinner(lambda: signers.generate(args.spec, allow_weak=args.allow_weak),
                               args.spec, True)
        signers.save_private_key(signer, args.out, overwrite=args.force, **encryption)
        public = signer.public_key
    print_line(f"wrote {args.spec} key to {args.out} (mode 0600); public key SHA-256 "
               f"{public.fingerprint().hex()}", sys.stderr)
    if args.public_out is not None:
        write_file(args.public_out, encode_pem("PUBLIC KEY", public.to_der()).encode("ascii"),
                   overwrite=args.force)
        print_line(f"wrote its public key to {args.public_out}", sys.stderr)
    return 0


class UsageError(CSRError):
    """A command line usage mistake found after parsing."""


def _with_spinner(work: Callable[[], T], spec: str, generating: bool) -> T:
    """Run ``work()``; for RSA generation on a terminal, show that it is busy."""
    if not (generating and spec.startswith("rsa") and sys.stderr.isatty()) or (
            sys.platform == "emscripten"):
        return work()
    done = threading.Event()

    def spin() -> None:
        frames = "|/-\\"
        i = 0
        while not done.wait(0.2):
            sys.stderr.write(f"\rgenerating {escape(spec)} key (pure Python, can take a minute) "
                             f"{frames[i % 4]}")
            sys.stderr.flush()
            i += 1
        sys.stderr.write("\r" + " " * 70 + "\r")

    thread = threading.Thread(target=spin, daemon=True)
    try:
        thread.start()
    except RuntimeError:  # no threads here (Pyodide): just do the work
        return work()
    try:
        return work()
    finally:
        done.set()
        thread.join()


_POLICY_HELP = ("default; legacy (also SHA-1 and 1024-bit RSA); or a JSON file of Policy "
                'fields, e.g. {"min_rsa_bits": 3072}')


class _Parser(argparse.ArgumentParser):
    """argparse with usage mistakes reported as one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        # The message may quote an argument: escaped like everything printed.
        self.exit(2, escape(f"{self.prog}: error: {message} (see {self.prog} --help)") + "\n")


def _add_reading_options(parser: argparse.ArgumentParser) -> None:
    """Add how ``show`` and ``verify`` read and judge requests: --lenient and --policy."""
    parser.add_argument("--lenient", action="store_true", help="accept known DER deviations")
    parser.add_argument("--policy", default="default", metavar="default|legacy|FILE",
                        type=path_argument, help=_POLICY_HELP)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="csrlib",
        description="Strict PKCS#10 certificate signing requests, in pure Python.",
        epilog='example: csrlib new --subject "CN=example.com" --san DNS:example.com '
               "--key-out key.pem --out request.csr",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"csrlib {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fmt = argparse.RawDescriptionHelpFormatter

    new = commands.add_parser(
        "new", help="make a key (or use yours) and a signed request", formatter_class=fmt,
        description="Make a certificate signing request, signed with --key FILE or with a "
                    "new key saved to --key-out FILE.",
        epilog="examples:\n"
               '  csrlib new --subject "CN=example.com,O=Example" --san DNS:example.com \\\n'
               "      --san DNS:www.example.com --key-out key.pem --out request.csr\n"
               "  csrlib new --key key.pem --subject /C=US/CN=example.com --der -o req.der")
    new_arguments(new)
    add_password_options(new, encrypt=True)
    new.set_defaults(run=_cmd_new, parser=new)

    show = commands.add_parser(
        "show", help="print a request's contents and check its signature",
        formatter_class=fmt,
        description="Print what openssl req -text -noout prints (version, subject, key "
                    "numbers, attributes, extensions, signature), whether the signature "
                    "verifies, and (with --lenient) tolerated deviations. Directories are "
                    "walked as verify walks them.",
        epilog="examples:\n  csrlib show request.csr\n  csrlib show --json request.csr\n"
               "  csrlib show --json a.csr b.csr requests/ | jq .subject\n"
               "  openssl req -new ... | csrlib show -")
    show.add_argument("files", nargs="+", metavar="FILE", type=path_argument,
                      help="PEM or DER files, directories, or - for standard input")
    show.add_argument("--json", action="store_true",
                      help="JSON: one object for one file, else one per line (see README)")
    _add_reading_options(show)
    show.set_defaults(run=_cmd_show, parser=show)

    verify = commands.add_parser(
        "verify", help="check the self-signature of requests", formatter_class=fmt,
        description="Check each request's signature; one line per file. Exit status 0: "
                    "all verified; 1: a signature or policy check failed; 2: a file could "
                    "not be read or parsed. Directories are walked for *.csr, *.req, *.pem, "
                    "*.der and *.p10 files.",
        epilog="examples:\n  csrlib verify request.csr\n  csrlib verify --jobs 4 requests/\n"
               "  csrlib verify --signer-cert signature.crt kem.csr")
    verify.add_argument("files", nargs="+", metavar="FILE", type=path_argument,
                        help="files, directories or -")
    _add_reading_options(verify)
    verify.add_argument("--json", action="store_true",
                        help="one JSON object per file and line: file, status, reason, key, "
                             "algorithm")
    verify.add_argument("--jobs", "-j", type=count_argument, default=1, metavar="N",
                        help="verify in N processes (at most one per file)")
    verify.add_argument("--signer-cert", metavar="FILE", type=path_argument,
                        help="the signature certificate (PEM or DER) whose key signed the "
                             "requests, as their privateKeyPossessionStatement names it "
                             "(RFC 9883: requests for ML-KEM and other keys that cannot sign)")
    verify.set_defaults(run=_cmd_verify, parser=verify)

    lint = commands.add_parser(
        "lint", help="judge requests under a profile (rfc, cabf, letsencrypt)",
        formatter_class=fmt,
        description="Check requests against the rules of a profile; one line per finding "
                    "(severity, rule id, message, source). Exit status 0: no finding is an "
                    "error; 1: one is; 2: a file could not be read or is not a request. "
                    "Requests that are not DER are loaded leniently and linted (each "
                    "deviation is a der.deviation finding).",
        epilog="examples:\n  csrlib lint --profile cabf request.csr\n"
               "  csrlib lint --profile letsencrypt --expect-names example.com,www.example.com "
               "request.csr\n  csrlib lint --json --profile my-profile.json requests/")
    lint.add_argument("files", nargs="+", metavar="FILE", type=path_argument,
                      help="files, directories or -")
    lint.add_argument("--profile", default="rfc", type=text_argument, metavar="P",
                      help="rfc (default), cabf, letsencrypt, or a JSON profile file")
    lint.add_argument("--expect-names", action="append", metavar="NAMES", type=text_argument,
                      help="the identifiers the request must hold, comma-separated")
    lint.add_argument("--blocklist", metavar="FILE", type=path_argument,
                      help="blocked keys: SPKI SHA-256 or Debian weak-key entries, one a line")
    lint.add_argument("--json", action="store_true", help="JSON Lines, one object per finding")
    lint.set_defaults(run=_cmd_lint, parser=lint)

    keygen = commands.add_parser(
        "keygen", help="make a private key", formatter_class=fmt,
        description="Write a new private key as PKCS#8 PEM, readable by its owner only.",
        epilog="examples:\n  csrlib keygen ec:P-256 --out key.pem\n"
               "  csrlib keygen rsa:3072 --out rsa.pem\n"
               "  csrlib keygen ml-dsa-87 --out mldsa.pem\n"
               "  csrlib keygen ml-kem-768 --out kem.pem --public-out kem.pub")
    keygen.add_argument("spec", metavar="SPEC", nargs="?", default="ec:P-256", type=text_argument,
                        help="ec:P-256 (default), ec:P-384, ec:P-521, ec:secp256k1, rsa:2048, "
                             "rsa:3072, rsa:4096, ed25519, ed448, ml-dsa-44, ml-dsa-65, "
                             "ml-dsa-87, ml-kem-512, ml-kem-768, ml-kem-1024 (ML-DSA, "
                             "ML-KEM: the pq extra; an ML-KEM key cannot sign: see new "
                             "--public-key)")
    keygen.add_argument("--out", "-o", required=True, metavar="FILE", type=path_argument,
                        help="key file (0600)")
    keygen.add_argument("--public-out", metavar="FILE", type=path_argument,
                        help="also write the public key (SubjectPublicKeyInfo PEM), for "
                             "new --public-key")
    keygen.add_argument("--force", action="store_true",
                        help="replace FILE if it exists (by a new file, never written into)")
    keygen.add_argument("--allow-weak", action="store_true", help="allow RSA under 2048 bits")
    add_password_options(keygen, encrypt=True)
    keygen.set_defaults(run=_cmd_keygen, parser=keygen)

    asn1 = commands.add_parser(
        "asn1", help="dump the DER structure of a file",
        description="Dump the DER tree of FILE (PEM or DER) with offsets, lengths and values; "
                    "stop with the reason at the first departure from DER.",
        epilog="example: csrlib asn1 request.csr")
    asn1.add_argument("file", metavar="FILE", type=path_argument,
                      help="PEM or DER file, or - for standard input")
    asn1.add_argument("--lenient", action="store_true", help="tolerate known DER deviations")
    asn1.set_defaults(run=_cmd_asn1, parser=asn1)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 failed check, 2 error)."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # Reported by the command's own parser, so the message names the command.
        args.parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.run(args))
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (CSRError, OSError) as exc:
        if args.debug:
            raise
        print_line(f"csrlib: error: {_message(exc)}", sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _message(exc: BaseException) -> str:
    if isinstance(exc, InputTooLarge):
        return f"{exc.filename}: {exc}"
    if isinstance(exc, FileExistsError):
        return f"{exc.filename}: already exists (use --force to overwrite)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
