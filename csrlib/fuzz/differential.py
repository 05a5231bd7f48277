"""Differential harness: feed csrlib and another parser the same requests, tabulate disagreements.

    python -m csrlib.fuzz.differential --against cryptography --examples 200
    python -m csrlib.fuzz.differential --against openssl|asn1crypto|pyasn1

Requests come from :func:`csrlib.fuzz.strategies.csr_ders` (valid) and
:func:`csrlib.fuzz.strategies.malformed_csr_ders` (each broken in one known way).
Each parser gives a verdict: ``ok`` (parsed; for parsers that check
signatures, the signature is valid too), ``bad-signature`` (parsed, but the
signature does not verify) or ``rejected`` (not parsed).  asn1crypto and
pyasn1 do not check signatures, so against them csrlib's verdict is reduced
to parsed / rejected.  The table counts, per defect kind, how often the
verdicts agree and which way they differ; one reproducer per
(kind, csrlib verdict, other verdict) class is written to ``--out``.

Needs hypothesis (``csrlib[fuzz]``) and the parser compared against; they are
imported only when asked for.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import CSRError, InvalidSignature
from ..request import load_der

__all__ = ["PARSERS", "csrlib_verdict", "main", "run"]

Verdict = str


def csrlib_verdict(der: bytes) -> Verdict:
    """Return csrlib's verdict: strict load, then verify with the legacy policy."""
    from ..crypto.verify import Policy

    try:
        req = load_der(der)
    except CSRError:
        return "rejected"
    try:
        req.verify(policy=Policy.legacy())
    except InvalidSignature:
        return "bad-signature"
    except CSRError:
        return "unsupported"
    return "ok"


def _cryptography(der: bytes) -> Verdict:
    from cryptography import x509

    try:
        req = x509.load_der_x509_csr(der)
        # Reading every part, as a user would; lazy parsers fail here.
        req.subject.rfc4514_string()
        list(req.extensions)
        req.public_key()
        valid = req.is_signature_valid
    except Exception:
        return "rejected"
    return "ok" if valid else "bad-signature"


def _openssl(der: bytes) -> Verdict:
    binary = shutil.which("openssl")
    if binary is None:
        raise SystemExit("the openssl command line is not installed")
    with tempfile.NamedTemporaryFile(suffix=".der") as f:
        f.write(der)
        f.flush()
        parsed = subprocess.run([binary, "req", "-inform", "DER", "-in", f.name, "-noout"],
                                capture_output=True, check=False)
        if parsed.returncode:
            return "rejected"
        checked = subprocess.run([binary, "req", "-inform", "DER", "-in", f.name, "-noout",
                                  "-verify"], capture_output=True, check=False)
    # OpenSSL 3.0 exits 0 after "self-signature verify failure": read what it says.
    said = checked.stdout + checked.stderr
    return "ok" if checked.returncode == 0 and b"verify OK" in said else "bad-signature"


def _asn1crypto(der: bytes) -> Verdict:
    import asn1crypto.csr

    try:
        asn1crypto.csr.CertificationRequest.load(der, strict=True).native  # noqa: B018
    except Exception:
        return "rejected"
    return "ok"


def _pyasn1(der: bytes) -> Verdict:
    from pyasn1.codec.der import decoder
    from pyasn1_modules import rfc2986

    try:
        _, rest = decoder.decode(der, asn1Spec=rfc2986.CertificationRequest())
    except Exception:
        return "rejected"
    return "rejected" if rest else "ok"


#: Parser name: (verdict function, whether it checks signatures).
PARSERS: dict[str, tuple[Callable[[bytes], Verdict], bool]] = {
    "cryptography": (_cryptography, True),
    "openssl": (_openssl, True),
    "asn1crypto": (_asn1crypto, False),
    "pyasn1": (_pyasn1, False),
}


def _reduce(verdict: Verdict, checks_signatures: bool) -> Verdict:
    if checks_signatures or verdict == "rejected":
        return verdict
    return "ok"


def run(against: str, examples: int, out: Path | None = None, seed: int = 0
        ) -> Counter[tuple[str, str, str]]:
    """Return counts of (defect kind or ``valid``, csrlib verdict, other verdict)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from . import strategies

    other, checks = PARSERS[against]
    counts: Counter[tuple[str, str, str]] = Counter()
    saved: set[tuple[str, str, str]] = set()

    def record(kind: str, der: bytes) -> None:
        ours = _reduce(csrlib_verdict(der), checks)
        theirs = other(der)
        key = (kind, ours, theirs)
        counts[key] += 1
        if out is not None and ours != theirs and key not in saved:
            saved.add(key)
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{kind}--csrlib-{ours}--{against}-{theirs}.der").write_bytes(der)

    cases = st.one_of(strategies.csr_ders(max_sans=3).map(lambda der: ("valid", der)),
                      strategies.malformed_csr_ders(max_sans=3).map(
                          lambda found: (found[1].kind, found[0])))

    @settings(max_examples=examples, database=None, deadline=None, derandomize=seed == 0,
              suppress_health_check=list(HealthCheck))
    @given(cases)
    def feed(case: tuple[str, bytes]) -> None:
        record(*case)

    feed()
    return counts


def table(counts: Counter[tuple[str, str, str]], against: str) -> list[str]:
    """Return the Markdown table of agreements and disagreements per kind."""
    kinds = sorted({k for k, _, _ in counts}, key=lambda k: (k != "valid", k))
    lines = [f"| case | examples | agree | csrlib accepts, {against} does not "
             f"| {against} accepts, csrlib does not | other differences |",
             "|---|---|---|---|---|---|"]
    for kind in kinds:
        rows = {(o, t): n for (k, o, t), n in counts.items() if k == kind}
        total = sum(rows.values())
        agree = sum(n for (o, t), n in rows.items() if o == t)
        ours_only = sum(n for (o, t), n in rows.items() if o == "ok" and t != "ok")
        theirs_only = sum(n for (o, t), n in rows.items() if t == "ok" and o != "ok")
        other = total - agree - ours_only - theirs_only
        lines.append(f"| {kind} | {total} | {agree} | {ours_only} | {theirs_only} | {other} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the harness; return 0 (disagreements are findings, not failures)."""
    parser = argparse.ArgumentParser(
        prog="python -m csrlib.fuzz.differential",
        description="Compare csrlib with another CSR parser on generated and mutated requests.")
    parser.add_argument("--against", choices=sorted(PARSERS), required=True)
    parser.add_argument("--examples", type=int, default=200, metavar="N")
    parser.add_argument("--out", type=Path, default=Path("differential-out"), metavar="DIR",
                        help="where to write one reproducer per disagreement class")
    parser.add_argument("--seed", type=int, default=0, help="0: the same examples each run")
    args = parser.parse_args(argv)
    counts = run(args.against, args.examples, args.out, args.seed)
    print("\n".join(table(counts, args.against)))
    differing = sorted({(k, o, t) for k, o, t in counts if o != t})
    if differing:
        print(f"\nreproducers in {args.out}/:")
        for kind, ours, theirs in differing:
            print(f"  {kind}--csrlib-{ours}--{args.against}-{theirs}.der")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
