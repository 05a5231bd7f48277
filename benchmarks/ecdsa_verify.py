"""Benchmark csrlib's ECDSA verification against python-ecdsa's, with and without gmpy2.

    .venv/bin/python benchmarks/ecdsa_verify.py [--rounds N]

For P-256, P-384, P-521 and secp256k1 (and the other curves csrlib
verifies on, for information), one (key, message, signature) made by
python-ecdsa is verified by

* csrlib: ``csrlib.crypto.ecdsa.verify_ecdsa`` (DER signature, hashing,
  truncation, u1·G + u2·Q; the G table is built before timing, as python-ecdsa
  builds its generator's table at import);
* python-ecdsa: a ``VerifyingKey`` built beforehand, ``verify(sig, message,
  hashfunc, sigdecode=sigdecode_der)``.

CPU time (``time.process_time``), best of ``--rounds`` rounds, the two
visited in turn so that a slow moment of the machine hits both.  Each
contender's verdict is checked first: valid accepted, altered rejected.
The whole run happens twice, in subprocesses: once with gmpy2 importable
(python-ecdsa and csrlib then both use gmpy2.mpz) and once with it blocked
(``sys.modules["gmpy2"] = sys.modules["gmpy"] = None`` before anything is
imported: python-ecdsa tries ``from gmpy2 import mpz``, then ``gmpy``).

Target (issue 19): csrlib ≤ 0.7x python-ecdsa's time on P-256, P-384,
P-521 and secp256k1, with and without gmpy2.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_times

TARGET = 0.7
TARGET_CURVES = ("secp256r1", "secp384r1", "secp521r1", "secp256k1")


def best_cpu(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Return the best CPU time per call, in seconds, of each contender."""
    return best_times(contenders, rounds=rounds, clock=time.process_time)


def run(rounds: int, all_curves: bool) -> bool:
    """Time every curve in this process; print one table; return whether targets are met."""
    import hashlib

    import ecdsa
    from ecdsa.util import sigdecode_der, sigencode_der

    from csrlib.crypto import ec_arith
    from csrlib.crypto.ecdsa import verify_ecdsa
    from csrlib.errors import InvalidSignature
    from csrlib.model.curves import CURVES

    gmpy = "gmpy2" if ec_arith.MPZ is not None else "no gmpy2"
    assert (ec_arith.MPZ is not None) == ecdsa.ellipticcurve.GMPY, "gmpy2 use differs"
    print(f"\n### ECDSA verify, {gmpy} (python-ecdsa GMPY={ecdsa.ellipticcurve.GMPY}), "
          f"CPU time, best of {rounds} rounds\n")
    print("| curve | csrlib | python-ecdsa | ratio | target |")
    print("|---|---|---|---|---|")
    met = True
    message = b"benchmark message " * 8
    for curve in CURVES.values():
        if curve.name not in TARGET_CURVES and not all_curves:
            continue
        ec_curve = getattr(ecdsa.curves, curve.ecdsa_name)
        key = ecdsa.SigningKey.generate(curve=ec_curve)
        hashfunc = getattr(hashlib, curve.default_hash)
        signature = key.sign(message, hashfunc=hashfunc, sigencode=sigencode_der)
        altered = signature[:-1] + bytes([signature[-1] ^ 1])
        point = key.verifying_key.pubkey.point
        x, y = point.x(), point.y()
        vk = ecdsa.VerifyingKey.from_public_point(point, curve=ec_curve)

        def ours(sig: bytes = signature, x: int = x, y: int = y, h: str = curve.default_hash,
                 n: int = curve.n, name: str = curve.name) -> None:
            verify_ecdsa(name, n, x, y, h, sig, message)

        def theirs(sig: bytes = signature, vk: ecdsa.VerifyingKey = vk,
                   hashfunc: Callable[..., object] = hashfunc) -> object:
            return vk.verify(sig, message, hashfunc, sigdecode=sigdecode_der)

        ours()
        assert theirs()
        try:
            ours(altered)
            raise AssertionError("csrlib accepted an altered signature")
        except InvalidSignature:
            pass
        try:
            theirs(altered)
            raise AssertionError("python-ecdsa accepted an altered signature")
        except ecdsa.BadSignatureError:
            pass
        best = best_cpu({"csrlib": ours, "python-ecdsa": theirs}, rounds)
        ratio = best["csrlib"] / best["python-ecdsa"]
        targeted = curve.name in TARGET_CURVES
        verdict = ("ok" if ratio <= TARGET else "MISSED") if targeted else "-"
        met = met and (ratio <= TARGET or not targeted)
        print(f"| {curve.name} | {best['csrlib'] * 1e3:.3f} ms "
              f"| {best['python-ecdsa'] * 1e3:.3f} ms | {ratio:.3f}x | {verdict} |")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--all-curves", action="store_true",
                        help="also P-224 and the brainpool curves (no target)")
    parser.add_argument("--child", choices=["gmpy2", "no-gmpy2"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        sys.exit(0 if run(args.rounds, args.all_curves) else 1)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    root = Path(__file__).resolve().parent.parent
    verdicts = []
    for mode in ("gmpy2", "no-gmpy2"):
        code = ("import sys, runpy\n"
                + ("sys.modules['gmpy2'] = sys.modules['gmpy'] = None\n"
                   if mode == "no-gmpy2" else "")
                + f"sys.argv = [{str(Path(__file__))!r}] + {[*sys.argv[1:], '--child', mode]!r}\n"
                + "runpy.run_path(sys.argv[0], run_name='__main__')\n")
        result = subprocess.run([sys.executable, "-c", code], cwd=root, check=False)
        verdicts.append((mode, result.returncode == 0))
    print("\nTarget (csrlib ≤ 0.7x python-ecdsa on P-256, P-384, P-521, secp256k1): "
          + "; ".join(f"{mode}: {'met' if ok else 'MISSED'}" for mode, ok in verdicts))


if __name__ == "__main__":
    main()
