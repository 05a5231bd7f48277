"""Benchmark loading a CSR and checking its signature, side by side with other libraries.

    python benchmarks/verify.py         (needs the bench extra: pip install '.[bench]')

For RSA-2048 (PKCS#1 v1.5, SHA-256), RSA-3072 (RSASSA-PSS, SHA-256, MGF1-SHA-256,
32-octet salt), P-256 (SHA-256), P-384 (SHA-384) and Ed25519 CSRs made with
cryptography, and, if the ``openssl`` command is found, one CSR with an
id-RSASSA-PSS key (``openssl req -newkey rsa-pss``), it times per CSR:

* csrlib load + verify: ``csrlib.load_der(der).verify()``;
* csrlib verify only: ``req.verify()`` on a request loaded beforehand;
* the bare backend primitive on the same inputs, everything else done
  beforehand: ``pow(s, e, n)`` on ints for RSA; a pre-built
  ``ecdsa.VerifyingKey`` and ``verify_digest(sig, digest,
  sigdecode=sigdecode_der)`` on the precomputed digest for ECDSA (which
  csrlib no longer calls: it verifies ECDSA with its own, faster arithmetic,
  so its overhead there is negative; ``benchmarks/ecdsa_verify.py`` compares
  the two on every curve); a pre-built
  Ed25519 ``ecdsa.VerifyingKey`` and ``verify(sig, tbs)`` for EdDSA;
* cryptography load + verify: ``load_der_x509_csr(der).is_signature_valid``;
* x509kit load + verify: ``x509kit.CSR(der).verify_signature()``.

Before timing, every contender's verdict is checked on the CSR and on a copy
whose last signature octet is changed: a contender that rejects the valid CSR,
fails on it, or accepts the altered one is reported in the table and not timed.
csrlib must verify every CSR and reject every altered copy.

Targets (issue): ``verify()`` on a loaded request costs at most 10% more than
the bare primitive; load + verify faster than x509kit on every algorithm x509kit
verifies correctly; csrlib verifies the id-RSASSA-PSS-key CSR made by openssl.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ecdsa
import x509kit
from _timing import best_times, environment, print_table, us
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from ecdsa.util import sigdecode_der

import csrlib

OPENSSL_ROW = "RSA-PSS key (openssl)"
_EC_CURVES = {"secp256r1": ecdsa.NIST256p, "secp384r1": ecdsa.NIST384p}


def sample_csrs() -> dict[str, bytes]:
    """Return the benchmark's CSRs by name, as DER, made with cryptography."""
    builder = x509.CertificateSigningRequestBuilder().subject_name(x509.Name([
        x509.NameAttribute(x509.oid.NameOID.ORGANIZATION_NAME, "Example Inc"),
        x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "example.com"),
    ])).add_extension(x509.SubjectAlternativeName([
        x509.DNSName("example.com"), x509.DNSName("www.example.com"),
    ]), critical=False)

    def der(request: x509.CertificateSigningRequest) -> bytes:
        return request.public_bytes(serialization.Encoding.DER)

    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    return {
        "RSA-2048": der(builder.sign(rsa.generate_private_key(65537, 2048), hashes.SHA256())),
        "RSA-3072-PSS": der(builder.sign(rsa.generate_private_key(65537, 3072),
                                         hashes.SHA256(), rsa_padding=pss)),
        "P-256": der(builder.sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())),
        "P-384": der(builder.sign(ec.generate_private_key(ec.SECP384R1()), hashes.SHA384())),
        "Ed25519": der(builder.sign(ed25519.Ed25519PrivateKey.generate(), None)),
    }


def openssl_pss_key_csr() -> bytes | None:
    """Return a CSR with an id-RSASSA-PSS key made by ``openssl req``, or None without openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "req.der"
        subprocess.run(
            [openssl, "req", "-new", "-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048",
             "-keyout", str(Path(tmp) / "key.pem"), "-nodes", "-subj", "/CN=x",
             "-outform", "DER", "-out", str(out)],
            check=True, capture_output=True, timeout=120)
        return out.read_bytes()


def altered(der: bytes) -> bytes:
    """Return ``der`` with the last octet (the signature's last) changed."""
    return der[:-1] + bytes([der[-1] ^ 0x01])


def bare_primitive(req: csrlib.CertificateRequest) -> Callable[[], object]:
    """Return the backend call csrlib's ``verify()`` wraps, all inputs prepared beforehand.

    Before returning, the primitive's result is checked on these inputs.
    """
    key = req.public_key
    signature, tbs = req.signature, req.tbs_der
    if isinstance(key, csrlib.RsaPublicKey):
        n, e = key.n, key.e
        s = int.from_bytes(signature, "big")
        em = pow(s, e, n).to_bytes((n.bit_length() + 7) // 8, "big")
        pss = req.signature_algorithm.pss
        if pss is None:
            assert req.signature_algorithm.hash is not None
            assert em.endswith(hashlib.new(req.signature_algorithm.hash, tbs).digest())
        else:
            assert em[-1] == 0xBC
        return lambda: pow(s, e, n)
    if isinstance(key, csrlib.EcPublicKey):
        curve = _EC_CURVES[key.curve_name]
        size = curve.baselen
        vk = ecdsa.VerifyingKey.from_string(
            b"\x04" + key.x.to_bytes(size, "big") + key.y.to_bytes(size, "big"), curve=curve)
        assert req.signature_algorithm.hash is not None
        digest = hashlib.new(req.signature_algorithm.hash, tbs).digest()
        assert vk.verify_digest(signature, digest, sigdecode=sigdecode_der)
        return lambda: vk.verify_digest(signature, digest, sigdecode=sigdecode_der)
    assert isinstance(key, csrlib.Ed25519PublicKey)
    vk = ecdsa.VerifyingKey.from_string(key.public_bytes, curve=ecdsa.Ed25519)
    assert vk.verify(signature, tbs)
    return lambda: vk.verify(signature, tbs)


def csrlib_verdict(der: bytes) -> bool:
    try:
        csrlib.load_der(der).verify()
    except csrlib.InvalidSignature:
        return False
    return True


def cryptography_verdict(der: bytes) -> bool:
    return x509.load_der_x509_csr(der).is_signature_valid


def x509kit_verdict(der: bytes) -> bool:
    return bool(x509kit.CSR(der).verify_signature())


def judge(verdict: Callable[[bytes], bool], der: bytes) -> str | None:
    """Return None if ``verdict`` accepts ``der`` and rejects it altered; else what went wrong."""
    try:
        if not verdict(der):
            return "rejects"
    except Exception as exc:  # any failure on a valid CSR is the finding
        return f"fails ({type(exc).__name__})"
    try:
        if verdict(altered(der)):
            return "accepts altered"
    except Exception:  # raising on a bad signature is a rejection
        pass
    return None


def main() -> None:
    print(f"csrlib verify benchmark — {environment()}")
    csrs = sample_csrs()
    try:
        extra = openssl_pss_key_csr()
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"openssl req failed, {OPENSSL_ROW} row left out: {exc}")
        extra = None
    if extra is not None:
        csrs[OPENSSL_ROW] = extra
    verdicts = {"csrlib": csrlib_verdict, "cryptography": cryptography_verdict,
                "x509kit": x509kit_verdict}
    rows = []
    overheads: list[float] = []
    vs_x509kit: list[float] = []
    findings: dict[str, dict[str, str]] = {}
    for label, der in csrs.items():
        problems = {name: problem for name, fn in verdicts.items()
                    if (problem := judge(fn, der)) is not None}
        findings[label] = problems
        assert "csrlib" not in problems, f"csrlib on {label}: {problems['csrlib']}"
        req = csrlib.load_der(der)
        contenders: dict[str, Callable[[], object]] = {
            "load+verify": lambda der=der: csrlib.load_der(der).verify(),  # type: ignore[misc]
            "verify": req.verify,
            "bare": bare_primitive(req),
        }
        if "cryptography" not in problems:
            contenders["cryptography"] = (
                lambda der=der: x509.load_der_x509_csr(der).is_signature_valid)  # type: ignore[misc]
        if "x509kit" not in problems:
            contenders["x509kit"] = lambda der=der: x509kit.CSR(der).verify_signature()  # type: ignore[misc]
        t = best_times(contenders)
        ours = t["load+verify"]
        overhead = t["verify"] / t["bare"] - 1
        overheads.append(overhead)

        def cell(name: str, t: dict[str, float] = t, problems: dict[str, str] = problems) -> str:
            return us(t[name]) if name in t else problems[name]

        def ratio(name: str, t: dict[str, float] = t, ours: float = ours) -> str:
            return f"{t[name] / ours:.2f}x" if name in t else "n/a"

        if "x509kit" in t:
            vs_x509kit.append(t["x509kit"] / ours)
        rows.append([
            f"{label} ({len(der)} B)", us(ours), us(t["verify"]), us(t["bare"]),
            cell("cryptography"), cell("x509kit"), f"{overhead:+.1%}", ratio("x509kit"),
            ratio("cryptography"),
        ])
    print_table("Load + verify the self-signature (time per CSR; ratio = other / csrlib "
                "load+verify, above 1 means csrlib is faster)",
                ["CSR", "csrlib load+verify", "csrlib verify", "bare primitive",
                 "cryptography", "x509kit", "verify vs bare", "vs x509kit",
                 "vs cryptography"], rows)
    print("\nVerdicts (valid CSR accepted, altered signature rejected):")
    for label, problems in findings.items():
        wrong = "; ".join(f"{name} {problem}" for name, problem in problems.items())
        print(f"  {label}: {wrong or 'all correct'}")
    worst_x509kit = min(vs_x509kit, default=float("inf"))
    checks = [
        (f"verify() within 10% of the bare primitive (worst {max(overheads):+.1%})",
         max(overheads) <= 0.10),
        (f"load+verify faster than x509kit where it verifies correctly "
         f"(worst {worst_x509kit:.2f}x)", worst_x509kit > 1),
    ]
    if OPENSSL_ROW in csrs:
        checks.append(("csrlib verifies the id-RSASSA-PSS-key CSR", True))  # asserted above
    print("\nTargets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks))


if __name__ == "__main__":
    main()
