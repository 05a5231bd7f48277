"""The ``csrlib`` command line (standard library ``argparse`` only).

Only command line code touches files, the terminal and the environment;
everything below it takes and returns bytes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .dump import dump_lines
from .errors import CSRError
from .pem import pem_blocks

__all__ = ["main"]


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as f:
        return f.read()


def _cmd_asn1(args: argparse.Namespace) -> int:
    data = _read(args.file)
    blocks = pem_blocks(data)
    ders = [der for _, der in blocks if der is not None] if blocks else [data]
    status = 0
    for der in ders:
        for line in dump_lines(der, strict=not args.lenient):
            print(line)
            if line.startswith("error:"):
                status = 1
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csrlib",
        description="Strict PKCS#10 certificate signing requests, in pure Python.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    asn1 = commands.add_parser(
        "asn1",
        help="dump the DER structure of a file",
        description="Dump the DER tree of FILE (PEM or DER) with offsets, lengths and values; "
        "stop with the reason at the first departure from DER.",
        epilog="example: csrlib asn1 request.csr",
    )
    asn1.add_argument("file", metavar="FILE", help="PEM or DER file, or - for standard input")
    asn1.add_argument("--lenient", action="store_true", help="tolerate known DER deviations")
    asn1.set_defaults(run=_cmd_asn1)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 failed check, 2 error)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (CSRError, OSError) as exc:
        if args.debug:
            raise
        print(f"csrlib: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
