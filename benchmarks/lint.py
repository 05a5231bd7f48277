"""Benchmark ``csrlib.lint`` with every rule of ``letsencrypt``, verification excluded and included.

The issue's targets: an RSA-2048 request in at most 5 ms, a P-256 request
in at most 1 ms.  CPU time (``time.process_time``), best of many rounds,
the contenders visited in turn so that a slow moment hits them all alike.

    .venv/bin/python benchmarks/lint.py [--rounds N] [--no-gmpy2]

ECDSA verification uses gmpy2's integers when gmpy2 can be imported (it is
native code, never a dependency): with gmpy2 present the table is printed
twice, with it and then (in a new interpreter) with it blocked.
"""

from __future__ import annotations

import sys

if "--no-gmpy2" in sys.argv:  # before anything imports it
    sys.modules["gmpy2"] = None  # type: ignore[assignment]
    sys.modules["gmpy"] = None  # type: ignore[assignment]

import argparse
import importlib.util
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import csrlib
from csrlib import signers
from csrlib.lint import PROFILES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_times

TARGETS_MS = {"RSA-2048": 5.0, "P-256": 1.0}


def _requests() -> dict[str, csrlib.CertificateRequest]:
    key = rsa.generate_private_key(65537, 2048).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    found = {}
    for name, signer in (("RSA-2048", signers.load_private_key(key)),
                         ("P-256", signers.generate("ec:P-256"))):
        req = csrlib.create("CN=shop.example.com", san=["DNS:shop.example.com",
                                                        "DNS:www.shop.example.com"],
                            signer=signer)
        found[name] = csrlib.load(req.der)
    return found


def best_cpu(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Return the best CPU time per call, in seconds, of each contender."""
    return best_times(contenders, rounds=rounds, clock=time.process_time)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-gmpy2", action="store_true", help="block gmpy2 (pure Python)")
    args = parser.parse_args()
    gmpy2 = not args.no_gmpy2 and importlib.util.find_spec("gmpy2") is not None
    full = PROFILES["letsencrypt"]
    no_verify = full.with_changes(disabled=["sig.invalid"])
    contenders: dict[str, Callable[[], object]] = {}
    for name, req in _requests().items():
        assert not [f for f in csrlib.lint(req, full) if f.severity == "error"]
        contenders[f"{name} without verification"] = (
            lambda req=req: csrlib.lint(req, no_verify))  # type: ignore[misc]
        contenders[f"{name} with verification"] = (
            lambda req=req: csrlib.lint(req, full))  # type: ignore[misc]
    best = best_cpu(contenders, args.rounds)
    print(f"csrlib.lint(req, 'letsencrypt'), CPU time, best of {args.rounds} rounds, "
          f"gmpy2 {'used' if gmpy2 else 'not used'}")
    print(f"{'request':<36}{'ms':>8}{'target':>9}")
    for name, seconds in best.items():
        target = TARGETS_MS[name.split()[0]]
        verdict = "ok" if seconds * 1000 <= target else "OVER"
        print(f"{name:<36}{seconds * 1000:>8.3f}{target:>7.1f}  {verdict}")
    if gmpy2:
        print()
        subprocess.run([sys.executable, __file__, "--rounds", str(args.rounds), "--no-gmpy2"],
                       check=True)


if __name__ == "__main__":
    main()
